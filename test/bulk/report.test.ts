import { describe, expect, it } from 'vitest';
import { formatBulkReportCsv, planBulkUpdate } from '../../src/bulk/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { thrown } from '../support/thrown.js';
import { FUTURE, NOW, row, user } from './helpers.js';

// S4, C10: the report CSV an administrator downloads, line for line.

const HEADER =
  'Line,User,Outcome,Status Before,Expires Before,Effective Before,Status After,Expires After,Effective After,Codes,Messages';

describe('formatBulkReportCsv writes every row exactly (S4, C10)', () => {
  it('a changed row, a row for an unknown user, a row without user, with codes and messages', async () => {
    const store = createMemoryStore([user('a', 'active', FUTURE)]);
    const plan = await planBulkUpdate(
      [
        row(2, 'a', { status: 'deactivated', expiresAt: null }),
        row(3, 'ghost', { status: 'deactivated' }),
        {
          line: 4,
          result: {
            ok: false,
            issues: [
              { code: 'A', severity: 'error', message: 'First.' },
              { code: 'B', severity: 'warning', message: 'Second.' },
            ],
          },
        },
      ],
      store,
      { now: NOW },
    );
    expect(formatBulkReportCsv(plan).split('\r\n')).toEqual([
      HEADER,
      `2,a,changed,active,${FUTURE.toISOString()},active,deactivated,never,deactivated,,`,
      '3,ghost,not-found,,,,,,,USER_NOT_FOUND,"No user has the id ""ghost""; check the identifier column (ids match exactly after trimming; an email is also looked up in lower case)."',
      '4,,invalid,,,,,,,A; B,First. Second.',
      '',
    ]);
  });

  it('outcomes keeps only the rows asked for; the header always', async () => {
    const store = createMemoryStore([user('a'), user('b', 'deactivated')]);
    const plan = await planBulkUpdate(
      [row(2, 'a', { status: 'deactivated' }), row(3, 'b', { status: 'deactivated' })],
      store,
      { now: NOW },
    );
    expect(formatBulkReportCsv(plan, { outcomes: ['unchanged'] }).split('\r\n')).toEqual([
      HEADER,
      '3,b,unchanged,deactivated,never,deactivated,deactivated,never,deactivated,,',
      '',
    ]);
    expect(formatBulkReportCsv(plan, { outcomes: [] })).toBe(`${HEADER}\r\n`);
    expect(formatBulkReportCsv(plan, { outcomes: undefined }).split('\r\n')).toHaveLength(4);
  });

  it('refuses unknown outcomes, options and reports, naming them', async () => {
    const plan = await planBulkUpdate([], createMemoryStore(), { now: NOW });
    const outcomesMessage =
      '`outcomes` must be a list of changed, unchanged, not-found, invalid, duplicate, conflict, failed, cancelled.';
    for (const outcomes of [['changed', 'nope'], 'changed', [null]]) {
      expect(thrown(() => formatBulkReportCsv(plan, { outcomes } as never))).toEqual({
        code: 'INVALID_OPTION',
        field: 'outcomes',
        line: undefined,
        message: outcomesMessage,
      });
    }
    expect(thrown(() => formatBulkReportCsv(plan, { outcome: [] } as never))).toEqual({
      code: 'INVALID_OPTION',
      field: 'outcome',
      line: undefined,
      message:
        'Unknown option "outcome" of formatBulkReportCsv (did you mean `outcomes`?); the options are outcomes.',
    });
    for (const report of [null, {}, { rows: 'x' }]) {
      expect(thrown(() => formatBulkReportCsv(report as never))).toEqual({
        code: 'INVALID_INPUT',
        field: 'report',
        line: undefined,
        message:
          'formatBulkReportCsv takes the plan or report of planBulkUpdate / applyBulkUpdate.',
      });
    }
  });
});
