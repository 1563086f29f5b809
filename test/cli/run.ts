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
  /** Bytes read from stdout before it was closed (1 when the command wrote anything). */
  readonly read: number;
}

/**
 * Like {@link cli}, but stdout is a pipe to `head -c 1`, which reads one byte and exits (as
 * `| head -1` does), so the command meets a closed pipe on a later write. A real `head`
 * rather than a stream closed in this process: Node reads a pipe in chunks of up to 64 KiB,
 * several per turn of its event loop, so a stream destroyed after its first chunk may still
 * have drained the whole output of a fast command (the test then flaked under load). Rejects
 * when the command has not exited `timeoutMs` after it started (it is then killed).
 */
export function cliClosingStdout(args: readonly string[], timeoutMs = 60_000): Promise<ClosedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      [
        '-c',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's, not JavaScript's.
        '"$NODE" --import tsx src/cli/main.ts "$@" | head -c 1; exit "${PIPESTATUS[0]}"',
        'learner-status',
        ...args,
      ],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', NODE: process.execPath },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let read = 0;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      read += chunk.length;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running ${timeoutMs} ms after it started:\n${stderr}`));
    }, timeoutMs);
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
