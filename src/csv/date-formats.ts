// F7: which caller date format (C4's `dateFormats`) would read a column of date cells. C4 stays
// strict: nothing here is applied to a file, it only suggests what the caller could pass.
// date-fns loads when suggestDateFormats is first called, not with learner-status/csv.
import { parseIsoInstant } from '../dates/instant.js';
import { type DateFns, loadDateFns } from './date-fns.js';
import { asciiLower, trimCell } from './text.js';

/**
 * F7: the caller date formats (date-fns patterns for C4's `dateFormats`) that
 * {@link suggestDateFormats} can suggest, in the order they are preferred: by separator (`/`,
 * `.`, `-`), then the unpadded pair (`M/d/yyyy`, `d/M/yyyy`, which also read `1/5/2026`) before
 * the padded one (`MM/dd/yyyy`, `dd/MM/yyyy`), each pair month first, then day first.
 *
 * @example
 * ```ts
 * import { SUGGESTED_DATE_FORMATS } from 'learner-status/csv';
 *
 * SUGGESTED_DATE_FORMATS.includes('dd.MM.yyyy'); // true
 * ```
 */
export const SUGGESTED_DATE_FORMATS: readonly string[] = Object.freeze([
  'M/d/yyyy',
  'd/M/yyyy',
  'MM/dd/yyyy',
  'dd/MM/yyyy',
  'M.d.yyyy',
  'd.M.yyyy',
  'MM.dd.yyyy',
  'dd.MM.yyyy',
  'M-d-yyyy',
  'd-M-yyyy',
  'MM-dd-yyyy',
  'dd-MM-yyyy',
]);

/**
 * F7: what {@link suggestDateFormats} found for a column of date cells.
 *
 * @example
 * ```ts
 * import { type DateFormatSuggestion, suggestDateFormats } from 'learner-status/csv';
 *
 * const found: DateFormatSuggestion = await suggestDateFormats(['12/31/2026', '1/5/2026']);
 * found.format; // 'M/d/yyyy'
 * ```
 */
export interface DateFormatSuggestion {
  /**
   * Every format of {@link SUGGESTED_DATE_FORMATS} that reads every cell looked at, in that
   * order. Empty when none does, and when no cell needs a format (`cells` is 0).
   */
  readonly formats: readonly string[];
  /**
   * The one format to pass, when the cells decide it: every format in `formats` has the same
   * day/month order (of two such, the unpadded one, which also reads `1/5/2026`). Undefined
   * when `formats` is empty, or when it holds both orders (then `ambiguous` is true).
   */
  readonly format: string | undefined;
  /**
   * True when some format reads the cells month first and another day first (every day and
   * every month is 12 or less): only a person who knows the data can choose.
   */
  readonly ambiguous: boolean;
  /**
   * How many cells were looked at: non-blank and not already read by C4 (`Never`, `YYYY-MM-DD`
   * whether or not that date exists, an ISO instant). The search stops at the first cell that
   * leaves no format, so then it counts the cells up to and including that one.
   */
  readonly cells: number;
}

interface Candidate {
  readonly pattern: string;
  readonly separator: number;
  readonly monthFirst: boolean;
  readonly padded: boolean;
}

const CANDIDATES: readonly Candidate[] = SUGGESTED_DATE_FORMATS.map((pattern) => ({
  pattern,
  separator: pattern.charCodeAt(pattern.indexOf('yyyy') - 1),
  monthFirst: pattern[0] === 'M',
  padded: pattern[1] === pattern[0],
}));
const ALL = (1 << CANDIDATES.length) - 1;
// Candidates whose separator, and whose padding, a cell's text allows: built from CANDIDATES so
// that the order of SUGGESTED_DATE_FORMATS may change freely.
const BY_SEPARATOR = new Map<number, number>();
let unpaddedMask = 0;
let paddedMask = 0;
CANDIDATES.forEach((candidate, index) => {
  BY_SEPARATOR.set(
    candidate.separator,
    (BY_SEPARATOR.get(candidate.separator) ?? 0) | (1 << index),
  );
  if (candidate.padded) paddedMask |= 1 << index;
  else unpaddedMask |= 1 << index;
});
const UNPADDED = unpaddedMask;
const PADDED = paddedMask;
const FORMAT_PROBE = new Date(2026, 11, 31);
const CACHE_LIMIT = 4096;
// C4 decides every cell of this shape, existing date or not: formats are never tried on it.
const YYYY_MM_DD = /^\d{4}-\d{2}-\d{2}$/;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * The candidates that the shape of `text` allows: `D{1,2} S D{1,2} S DDDD` with one separator
 * S, ASCII digits. A format without padding never writes a leading zero; a padded one always
 * writes two digits. These are necessary conditions only (date-fns decides); 0 when no
 * candidate can read the text.
 */
function shapeMask(text: string): number {
  const n = text.length;
  // The year: yyyy writes exactly four digits for the years 1 to 9999.
  if (n < 8 || n > 10) return 0;
  for (let i = n - 4; i < n; i++) if (!isDigit(text.charCodeAt(i))) return 0;
  const separator = text.charCodeAt(n - 5);
  const first = text.charCodeAt(0);
  if (!isDigit(first)) return 0;
  let i = 1;
  if (isDigit(text.charCodeAt(i))) i++;
  const firstLength = i;
  if (text.charCodeAt(i) !== separator) return 0;
  const second = i + 1;
  const secondLength = n - 5 - second;
  if (secondLength < 1 || secondLength > 2) return 0;
  for (let j = second; j < n - 5; j++) if (!isDigit(text.charCodeAt(j))) return 0;
  let widths = 0;
  if (first !== 48 && text.charCodeAt(second) !== 48) widths |= UNPADDED;
  if (firstLength === 2 && secondLength === 2) widths |= PADDED;
  return (BY_SEPARATOR.get(separator) ?? 0) & widths;
}

/** Whether `pattern` reads `text` exactly as the CSV parser's `dateFormats` do (C4, C9). */
function reads(text: string, pattern: string, { parse, format }: DateFns): boolean {
  const parsed = parse(text, pattern, FORMAT_PROBE);
  if (Number.isNaN(parsed.getTime()) || format(parsed, pattern) !== text) return false;
  const year = parsed.getFullYear();
  return year >= 0 && year <= 9999;
}

/** Blank, `Never`, `YYYY-MM-DD` (existing or not) or an ISO instant: C4 reads it without formats. */
function readByC4(text: string): boolean {
  if (text === '' || asciiLower(text) === 'never') return true;
  if (YYYY_MM_DD.test(text)) return true;
  return !Number.isNaN(parseIsoInstant(text));
}

/**
 * F7: which of {@link SUGGESTED_DATE_FORMATS} reads every cell of a column, exactly as
 * `parseCsv` with `dateFormats` would read it (date-fns parse, then the same text written back,
 * a real calendar date: `2/30/2026` is read by no format). Cells are trimmed like the parser
 * does; blank cells, `Never`, `YYYY-MM-DD` and ISO instants are C4's and ignored. A cell that
 * no format reads leaves `formats` empty. One pass, bounded memory: a format is dropped at the
 * first cell it does not read, and the search stops when none is left. Asynchronous because it
 * loads date-fns on its first call (importing `learner-status/csv` does not).
 *
 * @example
 * ```ts
 * import { suggestDateFormats } from 'learner-status/csv';
 *
 * (await suggestDateFormats(['12/31/2026', '1/5/2026', 'Never'])).format; // 'M/d/yyyy'
 * (await suggestDateFormats(['31.12.2026', ''])).formats; // ['d.M.yyyy', 'dd.MM.yyyy']
 * (await suggestDateFormats(['1/2/2026', '3/4/2026'])).ambiguous; // true
 * ```
 */
export async function suggestDateFormats(cells: Iterable<string>): Promise<DateFormatSuggestion> {
  return suggestDateFormatsWith(cells, await loadDateFns());
}

/** {@link suggestDateFormats} with date-fns already loaded. Internal. */
export function suggestDateFormatsWith(
  cells: Iterable<string>,
  fns: DateFns,
): DateFormatSuggestion {
  let live = ALL;
  let count = 0;
  // Text -> the live candidates that read it, as checked when it was first met. `live` only
  // shrinks, so every candidate still live was checked then. Cleared when full: bounded.
  const seen = new Map<string, number>();
  for (const raw of cells) {
    const text = trimCell(raw);
    const shape = shapeMask(text);
    // A text of that shape is none of C4's own forms.
    if (shape === 0 && readByC4(text)) continue;
    count++;
    let read = seen.get(text);
    if (read === undefined) {
      read = 0;
      const wanted = shape & live;
      for (let index = 0; index < CANDIDATES.length; index++) {
        const bit = 1 << index;
        if ((wanted & bit) !== 0 && reads(text, (CANDIDATES[index] as Candidate).pattern, fns)) {
          read |= bit;
        }
      }
      if (seen.size >= CACHE_LIMIT) seen.clear();
      seen.set(text, read);
    }
    live &= read;
    if (live === 0) break;
  }
  if (count === 0) live = 0;
  const formats: string[] = [];
  let monthFirst: string | undefined;
  let dayFirst: string | undefined;
  CANDIDATES.forEach((candidate, index) => {
    if ((live & (1 << index)) === 0) return;
    formats.push(candidate.pattern);
    if (candidate.monthFirst) monthFirst ??= candidate.pattern;
    else dayFirst ??= candidate.pattern;
  });
  const ambiguous = monthFirst !== undefined && dayFirst !== undefined;
  return {
    formats,
    format: ambiguous ? undefined : (monthFirst ?? dayFirst),
    ambiguous,
    cells: count,
  };
}

/**
 * F7: one sentence for a person about a {@link DateFormatSuggestion}: the format that reads the
 * column, or, when the order is ambiguous, the two to choose from. Undefined when no cell was
 * looked at or no format reads them all.
 *
 * @example
 * ```ts
 * import { describeDateFormatSuggestion, suggestDateFormats } from 'learner-status/csv';
 *
 * describeDateFormatSuggestion(await suggestDateFormats(['31/12/2026']));
 * // 'Every date in this column reads as d/M/yyyy (day first).'
 * ```
 */
export function describeDateFormatSuggestion(s: DateFormatSuggestion): string | undefined {
  if (s.cells === 0 || s.formats.length === 0) return undefined;
  if (s.format !== undefined) {
    const order = s.format[0] === 'M' ? 'month first' : 'day first';
    return `Every date in this column reads as ${s.format} (${order}).`;
  }
  const monthFirst = s.formats.find((f) => f[0] === 'M');
  const dayFirst = s.formats.find((f) => f[0] !== 'M');
  if (!s.ambiguous || monthFirst === undefined || dayFirst === undefined) return undefined;
  return `The dates in this column read both day-first and month-first (every day is 12 or less); check one date in the spreadsheet and pass ${monthFirst} or ${dayFirst}.`;
}
