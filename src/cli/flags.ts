// The library's messages as the command line says them (issue 17). The library names its own
// options (`dateFormats`, `idColumn`, `maxChanges`, ...) because it is used without this tool;
// a person at the command line can only pass flags. Every library message printed by the CLI
// (table, JSON, report CSV, stderr) goes through this module, and nowhere else is a message
// rewritten.
import type { BulkGuard, BulkIssue, BulkRow } from '../bulk/types.js';
import {
  type CsvRow,
  type DateFormatSuggestion,
  describeDateFormatSuggestion,
} from '../csv/index.js';
import { plural } from './format.js';

/** Each library option the command line sets, and the flag that sets it. */
export const OPTION_FLAGS: Readonly<Record<string, string>> = {
  idColumn: '--id-column',
  timeZone: '--time-zone',
  dateFormats: '--date-format',
  delimiter: '--delimiter',
  encoding: '--encoding',
  sheet: '--sheet',
  now: '--now',
  actor: '--actor',
  maxChanges: '--max-changes',
  maxChangeRatio: '--max-change-ratio',
  batchSize: '--batch-size',
  schema: '--schema',
  usersTable: '--users-table',
  eventsTable: '--events-table',
};

/**
 * Limits the command line leaves at the library's defaults (C9): a message that reaches it
 * still says what to do (split the file, shorten the value), without an option to raise.
 */
const UNSET_LIMITS = new Set(['maxBytes', 'maxRows', 'maxFieldLength']);

/** A word the shell passes through as it is, or the word in single quotes. */
export function shellWord(word: string): string {
  return /^[\w./:@%+,=-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

const flagOf = (option: string): string | undefined =>
  Object.hasOwn(OPTION_FLAGS, option) ? OPTION_FLAGS[option] : undefined;

// `dateFormats: ['dd/MM/yyyy']` (backticks optional, either quote): the flag once per pattern.
const DATE_FORMAT_LIST = /`?\bdateFormats: \[([^\]]*)\]`?/g;
const QUOTED = /'([^']*)'|"([^"]*)"/g;
// ` (option maxBytes)` and `, or raise maxBytes`: advice about a limit with no flag.
const UNSET_NOTE = /,? \(option (\w+)\)|,? or raise (\w+)(?=[.;)]|$)/g;
// `(option encoding, such as 'windows-1252' ...)`, `(option encoding, 'utf-16le' or 'utf-16be')`.
const OPTION_SUCH_AS = /\boption (\w+), such as '([^']*)'/g;
const OPTION_EITHER = /\boption (\w+), '([^']*)' or '([^']*)'/g;
// "Option `timeZone` must ...", "set the option idColumn", "(option encoding)".
const OPTION_NAMED = /\b(?:[Tt]he )?[Oo]ption `?(\w+)`?/g;
// `raise maxChanges/maxChangeRatio`.
const RAISE = /\braise (\w+(?:\/\w+)*)/g;
// "`batchSize` must ...": an option in code quotes.
const CODE_QUOTED = /`(\w+)`/g;
// "configure the format in `dateFormats`": the flag is not a place, so "with" it.
const IN_DATE_FORMATS = /\bin `dateFormats`/g;
// For a date problem only: `dateFormats` as a bare word, and `in dateFormats`.
const DATE_IN = /\bin dateFormats\b/g;
const DATE_WORD = /\bdateFormats\b/g;

/**
 * `text` with every mention of a library option that has a flag said as the flag, and the
 * advice to raise a limit without a flag left out. `date` (the message is about a date cell)
 * also turns the bare word `dateFormats` into `--date-format`: in other messages a bare word
 * could be a person's data.
 */
function rewrite(text: string, date: boolean): string {
  let out = text.replace(DATE_FORMAT_LIST, (whole, list: string) => {
    const patterns = [...list.matchAll(QUOTED)].map((m) => m[1] ?? m[2] ?? '');
    return patterns.length === 0
      ? whole
      : patterns.map((p) => `--date-format ${shellWord(p)}`).join(' ');
  });
  out = out.replace(IN_DATE_FORMATS, 'with --date-format');
  if (date) out = out.replace(DATE_IN, 'with --date-format');
  out = out.replace(UNSET_NOTE, (whole, a: string | undefined, b: string | undefined) =>
    UNSET_LIMITS.has(a ?? b ?? '') ? '' : whole,
  );
  out = out.replace(OPTION_SUCH_AS, (whole, option: string, value: string) => {
    const flag = flagOf(option);
    return flag === undefined ? whole : `${flag} ${shellWord(value)}`;
  });
  out = out.replace(OPTION_EITHER, (whole, option: string, a: string, b: string) => {
    const flag = flagOf(option);
    return flag === undefined ? whole : `${flag} ${shellWord(a)} or ${flag} ${shellWord(b)}`;
  });
  out = out.replace(OPTION_NAMED, (whole, option: string) => flagOf(option) ?? whole);
  out = out.replace(RAISE, (whole, options: string) => {
    const flags = options.split('/').map(flagOf);
    return flags.every((flag) => flag !== undefined) ? `raise ${flags.join(' or ')}` : whole;
  });
  out = out.replace(CODE_QUOTED, (whole, option: string) => flagOf(option) ?? whole);
  if (date) out = out.replace(DATE_WORD, '--date-format');
  return out;
}

/**
 * The codes of problems about a date cell: `INVALID_DATE` today, and any later code about a
 * date (the library may split it, such as an ambiguous day/month order), whatever its wording.
 */
function isDateCode(code: string): boolean {
  return /(^|_)DATES?(_|$)/.test(code);
}

/**
 * Every pattern of {@link rewrite} needs one of these; a message with none (most problems of
 * a large file) is passed on as it is, at the cost of one test.
 */
const MAY_NAME_OPTION = /`|\b[Oo]ption\b|\braise\b|dateFormats/;

/**
 * A row problem as the command line says it: options named as flags (by its code: a date
 * problem's `dateFormats` is `--date-format`). The cell's own text, which a message quotes,
 * is left as written. The same object when nothing changes, so that a million clean
 * messages cost no copy.
 */
export function cliIssue<I extends BulkIssue>(issue: I): I {
  const { message } = issue;
  if (!MAY_NAME_OPTION.test(message)) return issue;
  const date = isDateCode(issue.code);
  // The message quotes the trimmed cell as csv/issues.ts `quote` does: in single quotes, cut
  // at 60 characters. Only that quoted text is kept out of the rewrite.
  const trimmed = issue.value?.trim() ?? '';
  const cell = `'${trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed}'`;
  const rewritten =
    trimmed === '' || !message.includes(cell)
      ? rewrite(message, date)
      : message
          .split(cell)
          .map((part) => rewrite(part, date))
          .join(cell);
  return rewritten === message ? issue : { ...issue, message: rewritten };
}

function cliIssues<I extends BulkIssue>(issues: readonly I[]): readonly I[] {
  let out: I[] | undefined;
  for (let i = 0; i < issues.length; i++) {
    const issue = issues[i] as I;
    const said = cliIssue(issue);
    if (said !== issue) {
      out ??= issues.slice();
      out[i] = said;
    }
  }
  return out ?? issues;
}

/**
 * One plan or report row with its problems as the command line says them: the same object
 * when nothing changes. The printers call it row by row as they write, so that a
 * million-row plan is never copied.
 *
 * @example
 * ```ts
 * cliRow(row).issues[0]?.message; // '... with --date-format dd/MM/yyyy'
 * ```
 */
export function cliRow<R extends BulkRow<string>>(row: R): R {
  const issues = cliIssues(row.issues);
  return issues === row.issues ? row : { ...row, issues };
}

/** A parsed CSV row with its problems as the command line says them, for the report. */
export function cliCsvRow(row: CsvRow): CsvRow {
  const issues = cliIssues(row.result.issues);
  return issues === row.result.issues ? row : { ...row, result: { ...row.result, issues } };
}

/**
 * A thrown library error's message as the command line says it. `field` names the option an
 * `INVALID_OPTION` is about: its flag is named even when the wording changes.
 */
export function cliErrorMessage(error: {
  readonly code: string;
  readonly message: string;
  readonly field?: string | undefined;
}): string {
  const message = rewrite(error.message, isDateCode(error.code));
  const flag = error.field === undefined ? undefined : flagOf(error.field);
  if (error.code !== 'INVALID_OPTION' || flag === undefined || message.includes(flag))
    return message;
  return `${flag}: ${message}`;
}

/**
 * F7: the library's sentence about the refused dates, ending with the exact flag to pass:
 * `Run again with --date-format M/d/yyyy.`, or both orders when every day is 12 or less.
 */
export function cliDateHint(dates: DateFormatSuggestion): string | undefined {
  const sentence = describeDateFormatSuggestion(dates)?.replace('in this column', 'refused');
  if (sentence === undefined) return undefined;
  if (dates.format === undefined)
    return sentence.replace(' and pass ', ' and run again with --date-format ');
  return `${sentence} Run again with --date-format ${shellWord(dates.format)}.`;
}

/** The guard flags a run was given, and the number of users a ratio is taken of. */
export interface GuardFlags {
  readonly maxChanges: number | undefined;
  readonly maxChangeRatio: number | undefined;
  readonly totalUsers: number | undefined;
}

/**
 * S4's guard as the command line says it, from the guard's numbers rather than its wording:
 * what set the limit (`--max-change-ratio 0.2 of 40 users`) and which flag to raise.
 */
export function cliGuard(guard: BulkGuard, flags: GuardFlags): BulkGuard {
  const { maxChanges, maxChangeRatio, totalUsers } = flags;
  const setBy: string[] = [];
  const raise: string[] = [];
  if (maxChanges !== undefined && maxChanges === guard.limit) {
    setBy.push(`--max-changes ${maxChanges}`);
    raise.push('--max-changes');
  }
  if (
    maxChangeRatio !== undefined &&
    (totalUsers === undefined || Math.floor(totalUsers * maxChangeRatio) === guard.limit)
  ) {
    setBy.push(
      `--max-change-ratio ${maxChangeRatio}${totalUsers === undefined ? '' : ` of ${plural(totalUsers, 'user')}`}`,
    );
    raise.push('--max-change-ratio');
  }
  const limit = `the limit of ${guard.limit}${setBy.length === 0 ? '' : ` (${setBy.join(' and ')})`}`;
  const message = guard.refused
    ? `This file would change ${plural(guard.changes, 'user')}, more than ${limit}. Check that it is the file you meant (a truncated or stale export?), or raise ${raise.length === 0 ? '--max-changes or --max-change-ratio' : raise.join(' and ')}.`
    : `This file changes ${plural(guard.changes, 'user')}, within ${limit}.`;
  return { ...guard, message };
}
