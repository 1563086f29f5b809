// The date libraries of the CSV reader, loaded by a dynamic import() the first time they are
// needed, not by importing learner-status/csv (nor the main entry, whose bulkUpdateFromCsv uses
// the reader): date-fns's `parse` and `format` for caller `dateFormats` (C4) and the F7
// suggestions (in plain Node, `date-fns/parse` alone costs about a second and 180 MB at start on
// Node 24, docs/performance.md), and @date-fns/tz with `startOfDay` for R11 in a zone other than
// UTC. Every target imports nothing of this package, so a bundler wraps none of our modules.
import type { format } from 'date-fns/format';
import type { parse } from 'date-fns/parse';
import type { startOfNextDay } from '../dates/next-day.js';
import { LearnerStatusError } from '../errors.js';
import { probeDateFormat } from './expiration-cell.js';
import type { ResolvedCsvOptions } from './options.js';

/** The two date-fns functions that caller date formats are read with. */
export interface DateFns {
  readonly parse: typeof parse;
  readonly format: typeof format;
}

/** R11 in a time zone: the first instant of the next day there. */
export type NextDay = typeof startOfNextDay;

// The module cache holds them anyway; these keep them at hand for the synchronous parseCsvRow.
let loadedFns: DateFns | undefined;
let loadingFns: Promise<DateFns> | undefined;
let loadedNextDay: NextDay | undefined;
let loadingNextDay: Promise<NextDay> | undefined;

/** Loads date-fns's parse and format once per process (a failed load is tried again). */
export function loadDateFns(): Promise<DateFns> {
  loadingFns ??= Promise.all([import('date-fns/parse'), import('date-fns/format')]).then(
    ([p, f]) => {
      loadedFns = { parse: p.parse, format: f.format };
      return loadedFns;
    },
    /* v8 ignore next 4 */
    (error: unknown) => {
      loadingFns = undefined;
      throw error;
    },
  );
  return loadingFns;
}

function loadNextDay(): Promise<NextDay> {
  loadingNextDay ??= import('../dates/next-day.js').then(
    (module) => {
      loadedNextDay = module.startOfNextDay;
      return loadedNextDay;
    },
    /* v8 ignore next 4 */
    (error: unknown) => {
      loadingNextDay = undefined;
      throw error;
    },
  );
  return loadingNextDay;
}

/**
 * Loads the date libraries of `learner-status/csv`, once per process: date-fns's `parse` and
 * `format` (for `dateFormats`) and `@date-fns/tz` (for a `timeZone` other than UTC).
 * `parseCsv`, `parseXlsx` and `suggestDateFormats` load what they need themselves; the
 * synchronous `parseCsvRow` needs them loaded when it is given `dateFormats` or a `timeZone`
 * other than `'UTC'`, and throws `INVALID_OPTION` otherwise. Importing `learner-status/csv`
 * loads none of them.
 *
 * @example
 * ```ts
 * import { loadCsvDates, parseCsvRow } from 'learner-status/csv';
 *
 * await loadCsvDates();
 * parseCsvRow({ Email: 'ada@example.org', 'Expiration Date': '31/12/2026' }, { dateFormats: ['dd/MM/yyyy'], timeZone: 'Europe/Paris' });
 * ```
 */
export async function loadCsvDates(): Promise<void> {
  await Promise.all([loadDateFns(), loadNextDay()]);
}

function attachFns(options: ResolvedCsvOptions, fns: DateFns): void {
  for (const pattern of options.dateFormats) {
    const problem = probeDateFormat(pattern, fns);
    if (problem !== undefined) {
      throw new LearnerStatusError('INVALID_OPTION', `Option \`dateFormats\`: ${problem}`, {
        field: 'dateFormats',
      });
    }
  }
  options.dateFns = fns;
}

const needsFns = (options: ResolvedCsvOptions): boolean =>
  options.dateFormats.length > 0 && options.dateFns === undefined;
const needsNextDay = (options: ResolvedCsvOptions): boolean =>
  options.timeZone !== 'UTC' && options.nextDay === undefined;

/**
 * Before the first row of a file: loads what `options` need (date-fns for caller date formats,
 * checking each by a round trip, `INVALID_OPTION`; the zone library for a zone other than UTC).
 */
export async function prepareCsvDates(options: ResolvedCsvOptions): Promise<void> {
  if (needsNextDay(options)) options.nextDay = await loadNextDay();
  if (needsFns(options)) attachFns(options, await loadDateFns());
}

/** {@link prepareCsvDates} for the synchronous `parseCsvRow`: what is needed must be loaded. */
export function prepareCsvDatesNow(options: ResolvedCsvOptions): void {
  if (needsNextDay(options)) {
    if (loadedNextDay === undefined) throw notLoaded('timeZone');
    options.nextDay = loadedNextDay;
  }
  if (needsFns(options)) {
    if (loadedFns === undefined) throw notLoaded('dateFormats');
    attachFns(options, loadedFns);
  }
}

function notLoaded(field: string): LearnerStatusError {
  return new LearnerStatusError(
    'INVALID_OPTION',
    `Option \`${field}\` needs a date library that learner-status/csv loads on first use: call \`await loadCsvDates()\` once before parseCsvRow with \`dateFormats\` or a \`timeZone\` other than 'UTC' (parseCsv and parseXlsx load it themselves).`,
    { field },
  );
}
