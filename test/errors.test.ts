import { describe, expect, it } from 'vitest';
import * as csv from '../src/csv/index.js';
import * as dates from '../src/dates/index.js';
import * as main from '../src/index.js';
import * as postgres from '../src/postgres/index.js';
import * as schema from '../src/schema/index.js';
import * as testing from '../src/testing/index.js';
import * as xlsx from '../src/xlsx/index.js';

// Every public entry that throws exports the error class and its guard, so that code catching
// an error of one entry recognises it with an import from that same entry.
const entries = [
  [
    'learner-status',
    main,
    () =>
      main.setStatus({ id: 'u1', status: 'active', expiresAt: null }, 'expired' as never, {
        now: new Date(),
      }),
  ],
  [
    'learner-status/csv',
    csv,
    () => csv.parseCsvRow({ Email: 'a@example.org', Active: 'No' }, { timezone: 'UTC' } as never),
  ],
  [
    'learner-status/xlsx',
    xlsx,
    () => xlsx.parseXlsx(new Uint8Array(), { delimiter: ';' } as never),
  ],
  [
    'learner-status/postgres',
    postgres,
    () => postgres.postgresSchemaSql({ usersTable: 'a"; drop' }),
  ],
  ['learner-status/schema', schema, () => schema.parseUser({ id: '', status: 'gone' })],
  ['learner-status/dates', dates, () => dates.expirationInstant('2026-02-30', 'UTC')],
  ['learner-status/testing', testing, () => testing.userArb({ nope: true } as never)],
] as const;

describe('isLearnerStatusError and LearnerStatusError from every entry', () => {
  it.each(entries)(
    '%s exports them, and they recognise what it throws',
    (_name, entry, thrower) => {
      expect(entry.isLearnerStatusError).toBe(main.isLearnerStatusError);
      expect(entry.LearnerStatusError).toBe(main.LearnerStatusError);
      let caught: unknown;
      try {
        thrower();
      } catch (error) {
        caught = error;
      }
      expect(entry.isLearnerStatusError(caught)).toBe(true);
      expect(caught).toBeInstanceOf(entry.LearnerStatusError);
    },
  );
});
