import { describe, expect, it } from 'vitest';
import {
  applyBulkUpdate,
  formatBulkReportCsv,
  formatBulkReportCsvRows,
  planBulkUpdate,
} from '../../src/bulk/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { thrown } from '../support/thrown.js';
import { badRow, FUTURE, NOW, PAST, row, user } from './helpers.js';

// Issue 18 (S4, C10): the report written row by row, without holding its text: the lines of
// formatBulkReportCsvRows, joined, are formatBulkReportCsv's text, byte for byte.

async function sample() {
  const store = createMemoryStore([
    user('a', 'active', FUTURE),
    user('b', 'deactivated', PAST),
    user('=c', 'active', null),
  ]);
  const plan = await planBulkUpdate(
    [
      row(2, 'a', { status: 'deactivated', expiresAt: null }),
      row(3, 'b', { status: 'active' }),
      row(4, 'ghost', { status: 'deactivated' }),
      badRow(5),
      row(6, 'a', { status: 'deactivated', expiresAt: null }),
      // C10: an id a spreadsheet would run as a formula.
      row(7, '=c', { expiresAt: PAST }),
    ],
    store,
    { now: NOW },
  );
  return { store, plan };
}

describe('formatBulkReportCsvRows (issue 18; S4, C10)', () => {
  it('gives the header, then one CRLF-ended line per row, joined exactly formatBulkReportCsv', async () => {
    const { store, plan } = await sample();
    const lines = [...formatBulkReportCsvRows(plan)];
    expect(lines).toHaveLength(plan.rows.length + 1);
    expect(lines.every((line) => line.endsWith('\r\n'))).toBe(true);
    expect(lines.join('')).toBe(formatBulkReportCsv(plan));
    expect(lines[6]).toMatch(/^7,'=c,changed,/);
    const report = await applyBulkUpdate(plan, store);
    expect([...formatBulkReportCsvRows(report)].join('')).toBe(formatBulkReportCsv(report));
    const problems = { outcomes: ['not-found', 'invalid'] as const };
    expect([...formatBulkReportCsvRows(report, problems)].join('')).toBe(
      formatBulkReportCsv(report, problems),
    );
  });

  it('makes each line only when it is asked for', async () => {
    const { plan } = await sample();
    const lines = formatBulkReportCsvRows(plan)[Symbol.iterator]();
    expect(lines.next().value).toMatch(/^Line,User,Outcome,/);
    expect(lines.next().value).toMatch(/^2,a,changed,/);
  });

  it('checks its arguments when called, before any line (INVALID_OPTION, INVALID_INPUT)', async () => {
    const { plan } = await sample();
    expect(
      thrown(() => formatBulkReportCsvRows(plan, { outcomes: ['nope'] } as never)),
    ).toMatchObject({ code: 'INVALID_OPTION', field: 'outcomes' });
    expect(thrown(() => formatBulkReportCsvRows({} as never))).toMatchObject({
      code: 'INVALID_INPUT',
      message:
        'formatBulkReportCsvRows takes the plan or report of planBulkUpdate / applyBulkUpdate.',
    });
  });
});
