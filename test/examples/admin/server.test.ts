// `npm run demo:admin` as a person runs it: one command starts the page on PGlite, or on a
// PostgreSQL server given by DATABASE_URL; it prints where it listens and how to sign in.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { withPostgresServer } from '../../support/pg-server.js';

const root = join(import.meta.dirname, '..', '..', '..');
const ADMIN_PASSWORD = 'server-test-password';

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly banner: string;
}

/**
 * Starts the server as `npm run demo:admin` does (`node --import tsx …`: one process, which
 * gets the signals itself) and resolves once it prints its address.
 */
function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/admin/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed:\n${output}`)), 50_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /(http:\/\/127\.0\.0\.1:\d+)\/admin/.exec(output)?.[1];
      if (url !== undefined && output.includes('learner login:')) {
        clearTimeout(timer);
        resolve({ child, url, banner: output });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
}

/** Signs in as the administrator and answers the list page's status counts. */
async function countsOf(url: string): Promise<string[]> {
  const login = await fetch(`${url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(303);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const list = await (await fetch(`${url}/admin/learners`, { headers: { cookie } })).text();
  return [...list.matchAll(/>((?:All|Active|Deactivated|Expired) \(\d+\))</g)].map(
    (m) => m[1] ?? '',
  );
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

describe('npm run demo:admin', () => {
  it('starts on PGlite with a few hundred learners in every status, and stops on Ctrl-C', async () => {
    const { child, url, banner } = await start({ DATABASE_URL: '' });
    try {
      expect(banner).toContain('an embedded PGlite database in memory');
      expect(banner).toContain('seeded with 300 learners');
      expect(banner).toContain(`administrator:  admin / ${ADMIN_PASSWORD}`);
      const counts = await countsOf(url);
      expect(counts[0]).toBe('All (300)');
      for (const count of counts.slice(1)) expect(count).toMatch(/\((?!0\))\d+\)$/);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('refuses a PORT that is not a port, saying so', async () => {
    await expect(start({ PORT: 'eighty' })).rejects.toThrow(
      /exited with 2:\nPORT must be a port number \(0 to 65535\), but it is "eighty"\./,
    );
  });

  it('is the command these tests run', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(scripts['demo:admin']).toBe('node --import tsx examples/admin/server.ts');
  });

  it('imports learner-status only through its public entries, as a copy of it would', () => {
    const exportsMap = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports;
    const dir = join(root, 'examples', 'admin');
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.ts'))) {
      const source = readFileSync(join(dir, name), 'utf8');
      for (const [, specifier = ''] of source.matchAll(/from '([^']+)'/g)) {
        expect(specifier, `${name} imports ${specifier}`).not.toMatch(/(^|\/)src\//);
        if (specifier.startsWith('learner-status')) {
          expect(Object.keys(exportsMap)).toContain(`.${specifier.slice('learner-status'.length)}`);
        }
      }
    }
  });
});

withPostgresServer('npm run demo:admin on a PostgreSQL server', (serverUrl) => {
  it('uses the server given by DATABASE_URL, seeding an empty database once', async () => {
    const name = `admin_example_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      const first = await start({ DATABASE_URL: url.href });
      expect(first.banner).toContain(`PostgreSQL at ${url.hostname}:${url.port}/${name}`);
      expect(first.banner).toContain('seeded with 300 learners');
      expect((await countsOf(first.url))[0]).toBe('All (300)');
      expect(await stop(first.child)).toBe(0);
      // A second start finds the learners there and adds none.
      const second = await start({ DATABASE_URL: url.href });
      expect(second.banner).not.toContain('seeded');
      expect((await countsOf(second.url))[0]).toBe('All (300)');
      expect(await stop(second.child)).toBe(0);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
