import { LearnerStatusError } from '../errors.js';
import type { StoredStatus } from '../status/types.js';
import type { UserUpdate } from '../transitions/types.js';
import { readActiveCell, readIdCell } from './cells.js';
import { prepareCsvDatesNow } from './date-fns.js';
import { readExpirationCell } from './expiration-cell.js';
import { type HeaderLayout, resolveHeaders } from './headers.js';
import { type CsvIssue, type CsvRowResult, makeIssue, rowError } from './issues.js';
import { type CsvOptions, type ResolvedCsvOptions, resolveCsvOptions } from './options.js';
import { fieldBit } from './tokenizer.js';

const NO_ISSUES: readonly CsvIssue[] = Object.freeze([]);

// Valid rows never allocate an issue list; this starts one at the first problem.
function append(list: CsvIssue[] | undefined, issue: CsvIssue): CsvIssue[] {
  if (list === undefined) return [issue];
  list.push(issue);
  return list;
}

/**
 * Reads one record's cells (in header order) into a row result. Compiled once per file so
 * that the per-row path does no header lookups and allocates only what it returns.
 */
export type RowReader = (
  cells: readonly (string | undefined)[],
  unusual?: number,
  preset?: ReadonlyMap<number, CsvIssue>,
) => CsvRowResult;

/**
 * Where a {@link RowReader} leaves the identifier of the row it read last: the trimmed id
 * when the identifier cell itself is valid, also for a row refused for another cell, and
 * undefined when that cell is refused (C2, C9, F6) or too long. A refused result does not
 * carry it (`parseCsvRow` answers the same result either way); the row assembler puts it on
 * the `CsvRow`, so that a refused row still names its user.
 */
export interface RowIdSlot {
  id: string | undefined;
}

/**
 * Builds the {@link RowReader} of a file from its resolved header. Internal.
 *
 * @example
 * ```ts
 * const options = resolveCsvOptions(undefined);
 * const read = compileRowReader(resolveHeaders(['Email', 'Active'], options), options);
 * read(['ada@example.org', 'No']); // { ok: true, update: { userId: 'ada@example.org', status: 'deactivated' }, issues: [] }
 * ```
 */
export function compileRowReader(
  layout: HeaderLayout,
  options: ResolvedCsvOptions,
  slot?: RowIdSlot,
): RowReader {
  const { names, idIndex, activeIndex, expirationIndex } = layout;
  const width = names.length;
  const idColumn = names[idIndex] as string;
  const activeColumn = activeIndex === -1 ? '' : (names[activeIndex] as string);
  const expirationColumn = expirationIndex === -1 ? '' : (names[expirationIndex] as string);
  const maxFieldLength = options.maxFieldLength;
  const idBit = fieldBit(idIndex);
  const changeColumns = [activeColumn, expirationColumn]
    .filter((name) => name !== '')
    .map((name) => `'${name}'`);
  const noChange =
    changeColumns.length === 1
      ? `Column ${changeColumns[0]} is blank, so this row changes nothing. Fill it in, or delete the row.`
      : `Columns ${changeColumns.join(' and ')} are blank, so this row changes nothing. Fill in what should change, or delete the row.`;

  // A workbook's typed cell may already be decided (F8): its issue stands for the cell.
  const readId = (
    cells: readonly (string | undefined)[],
    unusual: number,
    preset: ReadonlyMap<number, CsvIssue> | undefined,
  ): string | CsvIssue =>
    (preset === undefined ? undefined : preset.get(idIndex)) ??
    readIdCell(cells[idIndex] ?? '', idColumn, (unusual & idBit) !== 0);

  return (cells, unusual = -1, preset) => {
    let errors: CsvIssue[] | undefined;
    for (let index = 0; index < width; index++) {
      const cell = cells[index];
      if (cell !== undefined && cell.length > maxFieldLength) {
        errors = append(
          errors,
          rowError(
            'FIELD_TOO_LONG',
            names[index],
            cell,
            `Column '${names[index]}' is longer than ${maxFieldLength} characters (option maxFieldLength). Shorten the value.`,
          ),
        );
      }
    }
    if (errors !== undefined) {
      if (slot !== undefined) {
        // A refused row still names its user when its own identifier cell is fine.
        const idCell = cells[idIndex];
        const id =
          idCell !== undefined && idCell.length > maxFieldLength
            ? undefined
            : readId(cells, unusual, preset);
        slot.id = typeof id === 'string' ? id : undefined;
      }
      return { ok: false, issues: errors };
    }

    const id = readId(cells, unusual, preset);
    if (slot !== undefined) slot.id = typeof id === 'string' ? id : undefined;
    if (typeof id !== 'string') errors = append(errors, id);
    let status: StoredStatus | undefined;
    if (activeIndex !== -1) {
      const active =
        (preset === undefined ? undefined : preset.get(activeIndex)) ??
        readActiveCell(cells[activeIndex] ?? '', activeColumn, options);
      if (typeof active === 'object') errors = append(errors, active);
      else status = active;
    }
    let expiresAt: Date | null | undefined;
    if (expirationIndex !== -1) {
      const expiration =
        (preset === undefined ? undefined : preset.get(expirationIndex)) ??
        readExpirationCell(cells[expirationIndex] ?? '', expirationColumn, options);
      if (expiration === null || expiration === undefined || expiration instanceof Date)
        expiresAt = expiration;
      else errors = append(errors, expiration);
    }
    if (errors !== undefined) return { ok: false, issues: errors };

    const userId = id as string;
    let update: UserUpdate;
    if (status === undefined) {
      if (expiresAt === undefined) {
        return {
          ok: true,
          update: { userId },
          issues: [makeIssue('NO_CHANGE', 'warning', undefined, undefined, noChange)],
        };
      }
      update = { userId, expiresAt };
    } else {
      update = expiresAt === undefined ? { userId, status } : { userId, status, expiresAt };
    }
    return { ok: true, update, issues: NO_ISSUES };
  };
}

/**
 * C3-C6, C9: reads one CSV record given as cells keyed by the header names as they appear in
 * the file (headers match per C1: trimmed, ASCII case-insensitive). Returns the update the row
 * asks for, or every problem found in it. Throws `INVALID_OPTION` for bad options, and the
 * file-level header codes (`MISSING_ID_COLUMN`, `MISSING_CHANGE_COLUMN`, `DUPLICATE_HEADER`,
 * `AMBIGUOUS_ID_COLUMN`, `RESERVED_HEADER`) when the keys cannot be a valid header; a value
 * that is neither a string nor undefined throws `INVALID_INPUT`. With `dateFormats`, date-fns
 * must be loaded first (`await loadCsvDates()`, once per process): without it this throws
 * `INVALID_OPTION`, since a synchronous function cannot load a module.
 *
 * @example
 * ```ts
 * import { parseCsvRow } from 'learner-status/csv';
 *
 * const result = parseCsvRow({ Email: ' ada@example.org ', Active: 'no', 'Expiration Date': '2026-12-31' });
 * // { ok: true, issues: [], update: { userId: 'ada@example.org', status: 'deactivated',
 * //   expiresAt: new Date('2027-01-01T00:00:00.000Z') } }
 * parseCsvRow({ Email: 'bob@example.org', Active: 'TRUE' }).ok; // false: INVALID_ACTIVE_VALUE
 * ```
 */
export function parseCsvRow(
  values: Readonly<Record<string, string | undefined>>,
  options?: CsvOptions,
): CsvRowResult {
  const resolved = resolveCsvOptions(options);
  prepareCsvDatesNow(resolved);
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      'parseCsvRow needs an object of cells keyed by header, such as { Email: "ada@example.org", Active: "Yes" }.',
      { field: 'values' },
    );
  }
  const names = Object.keys(values);
  const cells = names.map((name) => {
    const cell = values[name];
    if (cell !== undefined && typeof cell !== 'string') {
      throw new LearnerStatusError(
        'INVALID_INPUT',
        `The cell '${name}' must be a string or undefined, but it is a ${typeof cell}. Pass the raw text of the cell.`,
        { field: name },
      );
    }
    return cell;
  });
  return compileRowReader(resolveHeaders(names, resolved), resolved)(cells);
}
