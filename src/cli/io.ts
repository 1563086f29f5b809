/// <reference types="node" />
// The streams, environment and terminal facts a command runs with, so that tests can call
// `main()` in-process with fakes and the real entry passes `process`'s own.
import { resolve } from 'node:path';

/** Where a command writes: a stream with `write`, and whether it is a terminal. */
export interface CliOutput {
  write(chunk: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

/** What `main()` runs with. Everything but the two outputs and `env` is optional. */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin?: (NodeJS.ReadableStream & { readonly isTTY?: boolean | undefined }) | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths are resolved against it; default `process.cwd()`. */
  readonly cwd?: string | undefined;
  /** Called once with the exit code when `main()` ends. */
  readonly exit?: ((code: number) => void) | undefined;
}

/** Exit codes of every command (issue 6). */
export const EXIT_OK = 0;
export const EXIT_ROW_ERRORS = 1;
export const EXIT_USAGE = 2;

/** Bad usage or a file-level error: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function resolvePath(io: CliIo, path: string): string {
  return resolve(io.cwd ?? process.cwd(), path);
}

export interface Paint {
  readonly enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

/** Colour only on a terminal, and never when NO_COLOR is set to a non-empty value. */
export function paintFor(output: CliOutput, env: CliIo['env']): Paint {
  const noColor = env['NO_COLOR'];
  const enabled = output.isTTY === true && (noColor === undefined || noColor === '');
  const sgr = (open: number, close: number) => (text: string) =>
    enabled && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled,
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    bold: sgr(1, 22),
    dim: sgr(2, 22),
  };
}
