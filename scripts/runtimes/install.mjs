// Installs the runtimes of the matrix: Node, Bun, Deno and workerd as the npm registry ships
// their Linux x64 binaries, each into a folder of the repository's git-ignored cache, reused
// while its binary still answers `--version` as expected; Chromium from Debian, because
// Playwright's own browser downloads cannot be reached from CI.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, tail } from './process.mjs';

const QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];

/**
 * The binary `bin` of npm package `name@range`, installed under `<cache>/<dir>`: resolves to
 * `{ path, version }`, or throws with npm's output when the install fails or the binary does
 * not answer `--version` as `accept` expects.
 */
export async function ensureNpmBinary(cache, { dir, name, range, bin, accept }) {
  const prefix = join(cache, dir);
  const path = join(prefix, 'node_modules', ...name.split('/'), bin);
  const versionOf = async () => {
    if (!existsSync(path)) return undefined;
    const result = await run(path, ['--version'], { timeoutMs: 30_000 });
    const version = result.stdout.trim().split('\n')[0];
    return result.code === 0 && accept.test(version) ? version : undefined;
  };
  const cached = await versionOf();
  if (cached !== undefined) return { path, version: cached };
  // A partial or wrong install (an interrupted run, another major) is replaced, not patched.
  rmSync(prefix, { recursive: true, force: true });
  const result = await run(
    'npm',
    ['install', '--no-save', ...QUIET, '--prefix', prefix, `${name}@${range}`],
    {
      timeoutMs: 300_000,
    },
  );
  if (result.code !== 0) throw new Error(`npm install ${name}@${range} failed:\n${tail(result)}`);
  const version = await versionOf();
  if (version === undefined) throw new Error(`${path} --version does not answer ${accept}`);
  return { path, version };
}

const commandPath = async (command) =>
  (await run('sh', ['-c', `command -v ${command}`], { timeoutMs: 10_000 })).stdout.trim();

/**
 * Chromium's path, after installing Debian's package when the machine has none (the first run
 * on a fresh machine). Package lists are refreshed only when apt knows no candidate or the
 * install fails, as on a machine whose lists went stale.
 */
export async function ensureChromium() {
  const found = await commandPath('chromium');
  if (found !== '') return { path: found };
  const asRoot = (args) =>
    process.getuid?.() === 0
      ? run('apt-get', args, {
          env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
          timeoutMs: 900_000,
        })
      : // -n: a password prompt would wait unseen behind the captured output; fail instead.
        run('sudo', ['-n', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], {
          timeoutMs: 900_000,
        });
  const install = () => asRoot(['install', '-y', '-q', '--no-install-recommends', 'chromium']);
  const policy = await run('apt-cache', ['policy', 'chromium'], { timeoutMs: 60_000 });
  let result;
  if (/Candidate: (?!\(none\))/.test(policy.stdout)) result = await install();
  if (result === undefined || result.code !== 0) {
    const update = await asRoot(['update', '-q']);
    if (update.code !== 0) throw new Error(`apt-get update failed:\n${tail(update)}`);
    result = await install();
  }
  if (result.code !== 0) throw new Error(`apt-get install chromium failed:\n${tail(result)}`);
  const path = await commandPath('chromium');
  if (path === '')
    throw new Error('apt-get installed chromium, but `command -v chromium` finds none');
  return { path };
}
