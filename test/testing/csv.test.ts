import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvRow, parseCsv, parseCsvRow } from '../../src/csv/index.js';
import {
  type CsvFileSample,
  type CsvRowExpectation,
  type CsvValuesSample,
  csvFileArb,
  csvValuesArb,
} from '../../src/testing/index.js';

/** The row result reduced to what an expectation states. */
function outcomeOf(result: CsvRow['result']): CsvRowExpectation {
  return result.ok
    ? { ok: true, update: result.update, warnings: result.issues.map((issue) => issue.code) }
    : { ok: false, codes: result.issues.map((issue) => issue.code) };
}

describe('csvValuesArb against parseCsvRow (C3, C4, C9)', () => {
  test.prop([csvValuesArb()], { numRuns: 300 })(
    'every record has its expected outcome',
    ({ values, expected }) => {
      expect(outcomeOf(parseCsvRow(values))).toStrictEqual(expected);
    },
  );

  test.prop([csvValuesArb({ valid: true })], { numRuns: 150 })(
    'valid records are accepted',
    ({ values, expected }) => {
      expect(expected.ok).toBe(true);
      expect(outcomeOf(parseCsvRow(values))).toStrictEqual(expected);
    },
  );

  test.prop([csvValuesArb({ valid: false })], { numRuns: 300 })(
    'invalid records are refused with their codes',
    ({ values, expected }) => {
      expect(expected.ok).toBe(false);
      expect(outcomeOf(parseCsvRow(values))).toStrictEqual(expected);
    },
  );

  test('every class of invalid cell is generated', () => {
    const codes = new Set(
      fc
        .sample(csvValuesArb({ valid: false }), { numRuns: 2000, seed: 5 })
        .flatMap(({ expected }) => (expected.ok ? [] : expected.codes)),
    );
    expect([...codes].sort()).toEqual([
      'CONTROL_CHARACTER',
      'EXPIRED_NOT_SELECTABLE',
      'INVALID_ACTIVE_VALUE',
      'INVALID_DATE',
      'LOOKALIKE_CHARACTER',
      'MANGLED_ID',
      'MISSING_ID',
    ]);
  });
});

describe('csvFileArb against parseCsv (C1-C9)', () => {
  test.prop([csvFileArb()], { numRuns: 200 })(
    'every file, in every chunking, has its expected outcome',
    async ({ chunks, text, expected }) => {
      for (const input of [chunks, text]) {
        const rows: {
          line: number;
          values: Record<string, string>;
          expected: CsvRowExpectation;
        }[] = [];
        let code: string | undefined;
        try {
          for await (const row of parseCsv(input)) {
            rows.push({
              line: row.line,
              values: { ...row.values },
              expected: outcomeOf(row.result),
            });
          }
        } catch (error) {
          code = (error as { code?: string }).code ?? String(error);
        }
        if (expected.ok) {
          expect(code).toBeUndefined();
          expect(rows).toEqual(expected.rows);
        } else {
          expect(code).toBe(expected.code);
        }
        if (expected.ok === false && expected.code === 'INVALID_ENCODING') break;
      }
    },
  );

  it('draws every file-level error, row-level COLUMN_COUNT and MANGLED_ID, and the F1 and F3 warnings on accepted and refused rows', () => {
    const samples = fc.sample(csvFileArb(), { numRuns: 1000, seed: 5 });
    const codes = new Set<string>(
      samples.flatMap(({ expected }) =>
        expected.ok
          ? expected.rows.flatMap((row) => (row.expected.ok ? [] : row.expected.codes))
          : [expected.code],
      ),
    );
    const warnings = new Set<string>(
      samples.flatMap(({ expected }) =>
        expected.ok
          ? expected.rows.flatMap((row) => (row.expected.ok ? row.expected.warnings : []))
          : [],
      ),
    );
    for (const code of ['NO_CHANGE', 'MISSING_CELLS', 'UNNAMED_COLUMN']) {
      expect(warnings.has(code), code).toBe(true);
    }
    for (const code of ['MISSING_CELLS', 'UNNAMED_COLUMN']) {
      expect(codes.has(code), `${code} on a refused row`).toBe(true);
    }
    for (const code of [
      'EMPTY_FILE',
      'UNCLOSED_QUOTE',
      'INVALID_QUOTE',
      'DUPLICATE_HEADER',
      'RESERVED_HEADER',
      'MISSING_ID_COLUMN',
      'AMBIGUOUS_ID_COLUMN',
      'MISSING_CHANGE_COLUMN',
      'INVALID_ENCODING',
      'COLUMN_COUNT',
      'MANGLED_ID',
    ]) {
      expect(codes.has(code), code).toBe(true);
    }
    expect(samples.some(({ chunks }) => chunks.length > 1)).toBe(true);
    expect(samples.some(({ chunks }) => chunks.some((chunk) => chunk instanceof Uint8Array))).toBe(
      true,
    );
  });
});

describe('the CSV arbitraries shrink to small cases', () => {
  it('a failing record property shrinks to a two-cell record', () => {
    const details = fc.check(
      fc.property(csvValuesArb({ valid: false }), () => false),
      { seed: 5 },
    );
    const sample = details.counterexample?.[0] as CsvValuesSample | undefined;
    expect(Object.keys(sample?.values ?? {}).length).toBeLessThanOrEqual(2);
    expect(Object.values(sample?.values ?? {}).join('').length).toBeLessThanOrEqual(6);
  });

  it('a failing file property shrinks to a one-row file', () => {
    const details = fc.check(
      fc.property(csvFileArb(), () => false),
      { seed: 5 },
    );
    const sample = details.counterexample?.[0] as CsvFileSample | undefined;
    expect(sample?.text.length).toBeLessThanOrEqual(20);
    expect(sample?.expected.ok && sample.expected.rows.length).toBe(1);
  });
});
