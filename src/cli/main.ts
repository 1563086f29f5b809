#!/usr/bin/env node
/// <reference types="node" />
// learner-status: check, preview and apply a bulk status CSV before it touches anyone's access
// (issue 6). `main(argv, io)` runs one command and answers its exit code; the block at the
// end runs it when this file is the process entry.
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLearnerStatusError } from '../errors.js';
import { printable } from './format.js';
import { type CliIo, EXIT_OK, EXIT_USAGE, UsageError } from './io.js';

export type { CliIo, CliOutput } from './io.js';

export const MAIN_HELP = `Usage: learner-status <command> [options]

Commands:
  check <file.csv>                       validate a bulk status file
  preview <file.csv> --users <export>    dry run against an export of the users
  apply <file.csv> --database-url <url>  apply it to PostgreSQL (needs pg)

Run 'learner-status <command> --help' for a command's options.

Options:
  -h, --help      show this help
  -v, --version   print the version
`;

/** The version in the package.json next to this module (src/cli or dist), read at run time. */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (
        typeof pkg === 'object' &&
        pkg !== null &&
        (pkg as { name?: unknown }).name === 'learner-status'
      ) {
        const version = (pkg as { version?: unknown }).version;
        if (typeof version === 'string') return version;
      }
    } catch {
      // no package.json here: look further up
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    // Each command is loaded when it runs: `check` then never loads zod (parseUser, for the
    // users export of `preview`) nor the Postgres store, which saves a tenth of a second on
    // every run (docs/cli.md).
    case 'check':
      return (await import('./check.js')).check(rest, io);
    case 'preview':
      return (await import('./preview.js')).preview(rest, io);
    case 'apply':
      return (await import('./apply.js')).apply(rest, io);
    case '-h':
    case '--help':
    case 'help':
      io.stdout.write(MAIN_HELP);
      return EXIT_OK;
    case '-v':
    case '--version':
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT_OK;
    case undefined:
      io.stderr.write(MAIN_HELP);
      return EXIT_USAGE;
    default:
      throw new UsageError(
        command.startsWith('-')
          ? `unknown option '${command}'. See 'learner-status --help'.`
          : `unknown command '${command}'. Commands: check, preview, apply. See 'learner-status --help'.`,
      );
  }
}

/**
 * Runs the command line `argv` (without `node` and the script) and answers the exit code:
 * 0 clean, 1 rows with errors (or the change guard tripped), 2 bad usage or a file refused
 * whole. Never throws: every failure is one line on `io.stderr`.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number;
  try {
    code = await run(argv, io);
  } catch (error) {
    // A library error here is about what was passed (a --time-zone the runtime does not know,
    // a --date-format with a time in it): said with the flags, not as a failure of the tool.
    // (flags.ts is loaded only then: `--help` and `--version` stay quick.)
    const message =
      error instanceof UsageError
        ? error.message
        : isLearnerStatusError(error)
          ? (await import('./flags.js')).cliErrorMessage(error)
          : `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
    const paint =
      io.stderr.isTTY === true && !io.env['NO_COLOR'] ? '\u001b[31merror\u001b[39m' : 'error';
    io.stderr.write(`learner-status: ${paint}: ${printable(message)}\n`);
    if (
      !(error instanceof UsageError) &&
      io.env['LEARNER_STATUS_DEBUG'] &&
      error instanceof Error
    ) {
      io.stderr.write(`${error.stack ?? ''}\n`);
    }
    code = EXIT_USAGE;
  }
  io.exit?.(code);
  return code;
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  // The reader went away (`learner-status check big.csv | head`): stop quietly with the
  // shell's code for SIGPIPE instead of an unhandled EPIPE with its stack.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      process.exit(error.code === 'EPIPE' ? 141 : EXIT_USAGE);
    });
  }
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
}
