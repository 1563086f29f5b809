/// <reference types="node" />
// Command-line options: one table says how parseArgs reads each option and what its help
// line says, so that a command's help lists exactly the options its parser takes (issue 17).
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CsvOptions } from '../csv/index.js';
import { closestName } from '../options.js';
import { COMMANDS, type CommandSpec } from './commands.js';
import { UsageError } from './io.js';
import { delimiterOption } from './source.js';

/** One option: how parseArgs reads it, and its line in the help. */
interface OptionDef {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** The value's name in the help, such as `<zone>`; none for a boolean. */
  readonly arg?: string;
  /** The help line; a command may say it its own way (CommandSpec's `help`). */
  readonly help: string;
}

/**
 * Every option of every command. A command takes the ones its {@link CommandSpec} lists, and
 * nothing else: its parser and its help are both built from that list.
 */
export const OPTIONS = {
  users: {
    type: 'string',
    arg: '<file>',
    help: 'the export of current users: CSV, .xlsx or JSON (required)',
  },
  'database-url': {
    type: 'string',
    arg: '<url>',
    help: 'postgres://user@host:port/database (default: env DATABASE_URL)',
  },
  schema: { type: 'string', arg: '<name>', help: 'the schema of the tables (default public)' },
  'users-table': {
    type: 'string',
    arg: '<name>',
    help: 'the users table (default learner_status_users)',
  },
  'events-table': {
    type: 'string',
    arg: '<name>',
    help: 'the events table (default learner_status_events)',
  },
  yes: {
    type: 'boolean',
    short: 'y',
    help: 'apply without asking (required when stdin is not a terminal)',
  },
  now: {
    type: 'string',
    arg: '<instant>',
    help: 'the instant to plan at, ISO 8601 with Z or an offset (default: the clock)',
  },
  'max-changes': {
    type: 'string',
    arg: '<n>',
    help: 'refuse (exit 1) when more than n users would change',
  },
  'max-change-ratio': {
    type: 'string',
    arg: '<0..1>',
    help: 'refuse (exit 1) when more than this share of all users would change',
  },
  actor: {
    type: 'string',
    arg: '<name>',
    help: 'recorded in every event (default learner-status-cli)',
  },
  'batch-size': { type: 'string', arg: '<n>', help: 'rows per write, 1 to 100000 (default 500)' },
  'id-column': {
    type: 'string',
    arg: '<header>',
    help: 'the identifier column (default: User ID, UserId, Username, Login, Email or Email Address)',
  },
  'date-format': {
    type: 'string',
    multiple: true,
    arg: '<fmt>',
    help: 'an extra date-only format such as dd/MM/yyyy (repeatable)',
  },
  'time-zone': {
    type: 'string',
    arg: '<zone>',
    help: 'IANA time zone for date-only expiration dates (default UTC)',
  },
  delimiter: {
    type: 'string',
    arg: '<d>',
    help: "CSV field delimiter: ',', ';', tab, '|' or auto (default: auto, from the header; a first line sep=; also sets it)",
  },
  encoding: {
    type: 'string',
    arg: '<name>',
    help: 'CSV encoding: utf-8 (default), utf-16le, utf-16be or windows-1252 (Excel\'s "CSV (Comma delimited)"); a byte order mark wins',
  },
  sheet: {
    type: 'string',
    arg: '<name>',
    help: 'the worksheet of an .xlsx workbook (default: the first)',
  },
  json: { type: 'boolean', help: 'print the result as JSON on stdout (for scripts)' },
  report: {
    type: 'string',
    arg: '<file.csv>',
    help: 'write the downloadable report (CSV, formula-safe)',
  },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const satisfies Record<string, OptionDef>;

export type OptionName = keyof typeof OPTIONS;

/** The option as written in a help line: `-y, --yes`, `--report <file.csv>`. */
export function optionLabel(name: OptionName): string {
  const def: OptionDef = OPTIONS[name];
  const long = `--${name}${def.arg === undefined ? '' : ` ${def.arg}`}`;
  return def.short === undefined ? long : `-${def.short}, ${long}`;
}

/** The option's help line for `command`: the command's own wording, or the common one. */
export function optionHelp<K extends OptionName>(command: CommandSpec<K>, name: K): string {
  return command.help?.[name] ?? OPTIONS[name].help;
}

/** The options `command` takes, in its sections' order. */
export function optionsOf<K extends OptionName>(command: CommandSpec<K>): K[] {
  return command.sections.flatMap((section) => section.options);
}

/** The commands other than `command` that take `--name`, for a helpful unknown-option line. */
function takenBy(command: string, name: string): string[] {
  return COMMANDS.filter(
    (other) =>
      other.name !== command &&
      optionsOf<OptionName>(other).some(
        (option) => option === name || (OPTIONS[option] as OptionDef).short === name,
      ),
  ).map((other) => other.name);
}

/** parseArgs with `strict` and the options of `command`, its errors as one usage line. */
export function parseCommand<K extends OptionName>(
  command: CommandSpec<K>,
  args: readonly string[],
) {
  const options = {} as Record<string, NonNullable<ParseArgsConfig['options']>[string]>;
  for (const name of optionsOf(command)) {
    // Only what parseArgs reads: the help text stays out of its configuration.
    const { type, short, multiple } = OPTIONS[name] as OptionDef;
    options[name] = {
      type,
      ...(short === undefined ? {} : { short }),
      ...(multiple === undefined ? {} : { multiple }),
    };
  }
  try {
    return parseArgs({
      args: [...args],
      options: options as Pick<typeof OPTIONS, K>,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // The first sentence: parseArgs goes on over several lines about `--` and `=`.
    const message =
      error instanceof Error ? (error.message.split(/\.\s/)[0] ?? error.message) : String(error);
    const unknown = /^Unknown option '--?([^'=]+)'/.exec(message)?.[1];
    const others = unknown === undefined ? [] : takenBy(command.name, unknown);
    const near =
      unknown === undefined || others.length > 0
        ? undefined
        : closestName(unknown, optionsOf(command));
    const elsewhere =
      others.length > 0
        ? ` (${others.join(' and ')} ${others.length === 1 ? 'takes' : 'take'} it)`
        : near === undefined
          ? ''
          : ` (did you mean '--${near}'?)`;
    throw new UsageError(
      `${command.name}: ${message.replace(/\.$/, '')}${elsewhere}. See 'learner-status ${command.name} --help'.`,
    );
  }
}

/** One positional file argument, or a usage error naming what is missing. */
export function onePositional(
  command: string,
  positionals: readonly string[],
  what: string,
): string {
  const [first, ...rest] = positionals;
  if (first === undefined || first === '') {
    throw new UsageError(
      `${command}: missing ${what}. Usage: learner-status ${command} ${what} [options]`,
    );
  }
  if (rest.length > 0) {
    throw new UsageError(`${command}: unexpected argument '${rest[0]}'; give one ${what}.`);
  }
  return first;
}

/** The values of the options that say how a file is read. */
export interface ReadingValues {
  readonly 'time-zone'?: string | undefined;
  readonly 'id-column'?: string | undefined;
  readonly 'date-format'?: string[] | undefined;
  readonly delimiter?: string | undefined;
  readonly encoding?: string | undefined;
}

const ENCODINGS: Readonly<Record<string, NonNullable<CsvOptions['encoding']>>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  latin1: 'latin1',
  'iso-8859-1': 'iso-8859-1',
};

/** `--encoding`, checked here so that the message names the flag, not the library option. */
function encodingOption(value: string | undefined): CsvOptions['encoding'] {
  if (value === undefined) return undefined;
  const encoding = ENCODINGS[value.trim().toLowerCase()];
  if (encoding === undefined) {
    throw new UsageError(
      `--encoding must be utf-8, utf-16le, utf-16be or windows-1252 (also latin1, iso-8859-1), but it is '${value}'. Excel's "CSV (Comma delimited)" is windows-1252.`,
    );
  }
  return encoding;
}

export function csvOptions(values: ReadingValues): CsvOptions {
  const options: { -readonly [K in keyof CsvOptions]: CsvOptions[K] } = {};
  if (values['time-zone'] !== undefined) options.timeZone = values['time-zone'];
  if (values['id-column'] !== undefined) options.idColumn = values['id-column'];
  if (values['date-format'] !== undefined) options.dateFormats = values['date-format'];
  const delimiter = delimiterOption(values.delimiter);
  if (delimiter !== undefined) options.delimiter = delimiter;
  const encoding = encodingOption(values.encoding);
  if (encoding !== undefined) options.encoding = encoding;
  return options;
}

/** `--now`: an ISO 8601 instant with Z or an offset, read as strictly as stored dates are. */
export async function nowOption(value: string | undefined, clock: () => Date): Promise<Date> {
  if (value === undefined) return clock();
  // parseUser (and zod with it) is loaded only when --now is given: a run without it starts
  // a tenth of a second faster.
  const { parseUser } = await import('../schema/index.js');
  try {
    const parsed = parseUser({ id: 'now', status: 'active', expiresAt: value }).expiresAt;
    if (parsed !== null) return parsed;
  } catch {
    // reported below
  }
  throw new UsageError(
    `--now must be an ISO 8601 instant with Z or an offset, such as 2026-11-25T09:00:00Z, but it is '${value}'.`,
  );
}

/** `--max-change-ratio`: a share of all users, checked before any file is read. */
export function ratioOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ratio = Number(value);
  if (value.trim() === '' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new UsageError(
      `--max-change-ratio must be a number from 0 to 1, such as 0.2, but it is '${value}'.`,
    );
  }
  return ratio;
}

/**
 * A whole-number option such as `--max-changes` (from 0) or `--batch-size` (from 1, at most
 * applyBulkUpdate's 100000): checked before any file is read or any question asked, so that
 * a bad value never surfaces as a library error after the confirmation.
 */
export function wholeNumberOption(
  flag: '--max-changes' | '--batch-size',
  value: string | undefined,
  min: 0 | 1,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? min === 0
          ? '0 or more'
          : 'at least 1'
        : `from ${min} to ${max}`;
    throw new UsageError(`${flag} must be a whole number, ${range}, but it is '${value}'.`);
  }
  return n;
}
