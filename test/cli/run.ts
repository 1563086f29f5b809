// Helpers for the CLI tests: spawn the real command line, or call main() in-process.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliIo, main } from '../../src/cli/main.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A library option named in a message (issue 17): what the command line must never print,
 * since a person there can only pass flags. The names that are also plain words (`sheet`,
 * `encoding`, ...) count only in code quotes or after "option".
 */
export const LIBRARY_OPTION =
  /\b(idColumn|timeZone|dateFormats|activeValues|maxBytes|maxRows|maxFieldLength|maxChanges|maxChangeRatio|totalUsers|batchSize|readBatchSize|usersTable|eventsTable)\b|`(delimiter|encoding|sheet|schema|now|actor)`|\boption (delimiter|encoding|sheet)\b/;
export const fixture = (name: string) => `test/cli/fixtures/${name}`;

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node --import tsx src/cli/main.ts ...args`, cwd the repo root, no colour settings inherited. */
export function cli(
  args: readonly string[],
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): Promise<Run> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') base[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', ...nodeArgs, 'src/cli/main.ts', ...args],
      {
        cwd: root,
        env: { ...base, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ClosedRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** Bytes read from stdout before it was closed. */
  readonly read: number;
}

/**
 * Like {@link cli}, but the reader of stdout goes away after the first chunk (as `| head -1`
 * does). Rejects when the command has not exited `timeoutMs` after that (it is then killed).
 */
export function cliClosingStdout(args: readonly string[], timeoutMs = 20_000): Promise<ClosedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let read = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.once('data', (chunk: Buffer) => {
      read = chunk.length;
      child.stdout.destroy();
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`still running ${timeoutMs} ms after stdout was closed:\n${stderr}`));
      }, timeoutMs);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, read });
    });
  });
}

/** main() in-process with string outputs; `tty` makes stdout claim to be a terminal. */
export async function inProcess(
  args: readonly string[],
  options: { tty?: boolean; env?: Record<string, string> } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
      },
      isTTY: options.tty ?? false,
    },
    stderr: {
      write: (chunk: string) => {
        stderr += chunk;
      },
    },
    env: options.env ?? {},
    cwd: root,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'learner-status-cli-'));
}

/** One line on stderr, no stack trace. */
export function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  if (lines.length !== 1 || /\n\s+at /.test(stderr))
    throw new Error(`expected one line, got:\n${stderr}`);
  return lines[0] ?? '';
}
