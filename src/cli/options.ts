/// <reference types="node" />
// Command-line options: node:util parseArgs, strict, with errors turned into one usage line.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CsvOptions } from '../csv/index.js';
import { UsageError } from './io.js';
import { delimiterOption } from './source.js';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** The options every command reading a bulk file takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  report: { type: 'string' },
  'time-zone': { type: 'string' },
  'id-column': { type: 'string' },
  'date-format': { type: 'string', multiple: true },
  delimiter: { type: 'string' },
  encoding: { type: 'string' },
  sheet: { type: 'string' },
  now: { type: 'string' },
} as const satisfies OptionSpecs;

export const COMMON_HELP = `Options:
  --json                 print the result as JSON on stdout (for scripts)
  --report <file.csv>    write the downloadable report (CSV, formula-safe)
  --time-zone <zone>     IANA time zone for date-only expiration dates (default UTC)
  --id-column <header>   the identifier column (default: User ID, UserId, Username,
                         Login, Email or Email Address)
  --date-format <fmt>    an extra date-only format such as dd/MM/yyyy (repeatable)
  --delimiter <d>        CSV field delimiter: ',', ';', tab, '|' or auto (default: auto,
                         from the header; a first line sep=; also sets it)
  --encoding <name>      CSV encoding: utf-8 (default), utf-16le, utf-16be or windows-1252
                         (Excel's "CSV (Comma delimited)"); a byte order mark wins
  --sheet <name>         the worksheet of an .xlsx workbook (default: the first)
  --now <instant>        the instant to plan at, ISO 8601 with Z or an offset
  -h, --help             show this help`;

/** parseArgs with `strict`, its errors as a {@link UsageError} of one line. */
export function parseCommand<const O extends OptionSpecs>(
  command: string,
  args: readonly string[],
  options: O,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message =
      error instanceof Error ? (error.message.split('. ')[0] ?? error.message) : String(error);
    throw new UsageError(
      `${command}: ${message.replace(/\.$/, '')}. See 'learner-status ${command} --help'.`,
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

export interface CommonValues {
  readonly 'time-zone'?: string | undefined;
  readonly 'id-column'?: string | undefined;
  readonly 'date-format'?: string[] | undefined;
  readonly delimiter?: string | undefined;
  readonly encoding?: string | undefined;
  readonly now?: string | undefined;
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

export function csvOptions(values: CommonValues): CsvOptions {
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
  // parseUser (and zod with it) is loaded only when --now is given: `check` without it starts
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
