import { describe, expect, it } from 'vitest';
import { type BulkProgress, bulkUpdateFromCsv } from '../../src/bulk/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { rejection } from '../support/thrown.js';
import { conflictingStore, countingStore, failingStore, NOW, user } from './helpers.js';

// bulkUpdateFromCsv hands each option to the step that owns it: the CSV reader, the plan or
// the apply step. Each test below would fail if one option were dropped on the way (S3, S4).

const TWO_ROWS = 'Email,Active\r\na@example.org,No\r\nb@example.org,No\r\n';

function twoUsers() {
  return createMemoryStore([user('a@example.org'), user('b@example.org')]);
}

describe('bulkUpdateFromCsv passes every option to its step (S3, S4)', () => {
  it('S3 now, actor, source and reason reach every event', async () => {
    const store = twoUsers();
    await bulkUpdateFromCsv(TWO_ROWS, store, {
      now: NOW,
      actor: 'admin-7',
      source: 'hr-sync',
      reason: 'left the company',
    });
    expect(store.events()).toHaveLength(2);
    for (const event of store.events()) {
      expect(event).toMatchObject({
        at: NOW,
        actor: 'admin-7',
        source: 'hr-sync',
        reason: 'left the company',
      });
    }
  });

  it("S3 without source, events say 'csv'", async () => {
    const store = twoUsers();
    await bulkUpdateFromCsv(TWO_ROWS, store, { now: NOW });
    expect(store.events().map((e) => e.source)).toEqual(['csv', 'csv']);
  });

  it('S3 readBatchSize sets how many users the plan reads at once', async () => {
    const store = countingStore(twoUsers());
    await bulkUpdateFromCsv(TWO_ROWS, store, { now: NOW, readBatchSize: 1, dryRun: true });
    expect(store.readCalls).toBe(2);
    const together = countingStore(twoUsers());
    await bulkUpdateFromCsv(TWO_ROWS, together, { now: NOW, dryRun: true });
    expect(together.readCalls).toBe(1);
  });

  it('S4 maxChanges and maxChangeRatio with totalUsers reach the guard', async () => {
    const byCount = await bulkUpdateFromCsv(TWO_ROWS, twoUsers(), {
      now: NOW,
      maxChanges: 1,
      dryRun: true,
    });
    expect(byCount.guard).toMatchObject({ refused: true, changes: 2, limit: 1 });
    const byRatio = await bulkUpdateFromCsv(TWO_ROWS, twoUsers(), {
      now: NOW,
      maxChangeRatio: 0.5,
      totalUsers: 2,
      dryRun: true,
    });
    expect(byRatio.guard).toMatchObject({ refused: true, changes: 2, limit: 1 });
  });

  it('S4 a refused guard writes nothing', async () => {
    const store = twoUsers();
    await expect(bulkUpdateFromCsv(TWO_ROWS, store, { now: NOW, maxChanges: 1 })).rejects.toThrow(
      expect.objectContaining({ code: 'CHANGE_LIMIT_EXCEEDED' }),
    );
    expect(store.events()).toEqual([]);
  });

  it('S3 batchSize and onProgress: one progress report per batch', async () => {
    const seen: BulkProgress[] = [];
    await bulkUpdateFromCsv(TWO_ROWS, twoUsers(), {
      now: NOW,
      batchSize: 1,
      onProgress: (progress) => seen.push(progress),
    });
    expect(seen.map((p) => [p.processed, p.total])).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('S3 signal: an aborted run writes nothing and says cancelled', async () => {
    const store = twoUsers();
    const report = await bulkUpdateFromCsv(TWO_ROWS, store, {
      now: NOW,
      signal: { aborted: true },
    });
    expect(report.cancelled).toBe(true);
    expect(report.totals.cancelled).toBe(2);
    expect(store.events()).toEqual([]);
  });

  it("S4 onStoreError 'continue' goes on after a failed batch", async () => {
    const failing = failingStore(twoUsers(), [1]);
    const report = await bulkUpdateFromCsv(TWO_ROWS, failing, {
      now: NOW,
      batchSize: 1,
      onStoreError: 'continue',
    });
    expect(report.rows.map((r) => r.outcome)).toEqual(['failed', 'changed']);
    const stopping = failingStore(twoUsers(), [1]);
    const stopped = await bulkUpdateFromCsv(TWO_ROWS, stopping, { now: NOW, batchSize: 1 });
    expect(stopped.rows.map((r) => r.outcome)).toEqual(['failed', 'cancelled']);
  });

  it('S3 maxAttempts bounds the writes of a row that keeps meeting conflicts', async () => {
    const stubborn = conflictingStore(twoUsers());
    const report = await bulkUpdateFromCsv('Email,Active\r\na@example.org,No\r\n', stubborn, {
      now: NOW,
      maxAttempts: 4,
    });
    expect(report.rows[0]).toMatchObject({
      outcome: 'conflict',
      issues: [expect.objectContaining({ code: 'CONCURRENT_CHANGE' })],
    });
    expect(report.rows[0]?.issues[0]?.message).toContain('kept changing');
    expect(stubborn.writeCalls).toBe(4);
  });

  it('C4 csv: the reader options (here the time zone of date-only cells) are used', async () => {
    const store = createMemoryStore([user('a@example.org')]);
    const report = await bulkUpdateFromCsv(
      'Email,Expiration Date\r\na@example.org,2027-01-01\r\n',
      store,
      { now: NOW, csv: { timeZone: 'Asia/Tokyo' } },
    );
    // Access through the whole local day: ends at the next local midnight, 15:00 UTC.
    expect(report.rows[0]?.after?.expiresAt).toEqual(new Date('2027-01-01T15:00:00.000Z'));
  });

  it('S3 dryRun must be true or false; a misspelled option is refused by name', async () => {
    const store = twoUsers();
    expect(
      await rejection(() =>
        bulkUpdateFromCsv(TWO_ROWS, store, { now: NOW, dryRun: 'yes' as never }),
      ),
    ).toMatchObject({
      code: 'INVALID_OPTION',
      field: 'dryRun',
      message: '`dryRun` must be true or false.',
    });
    expect(
      await rejection(() => bulkUpdateFromCsv(TWO_ROWS, store, { now: NOW, CSV: {} } as never)),
    ).toEqual({
      code: 'INVALID_OPTION',
      field: 'CSV',
      line: undefined,
      message:
        'Unknown option "CSV" of bulkUpdateFromCsv (did you mean `csv`?); the options are now, actor, source, reason, readBatchSize, maxChanges, maxChangeRatio, totalUsers, batchSize, onProgress, signal, onStoreError, maxAttempts, dryRun, csv.',
    });
    expect(store.events()).toEqual([]);
  });

  it('S3 a dry run reports the plan with zero conflicts, failures and cancellations', async () => {
    const result = await bulkUpdateFromCsv(TWO_ROWS, twoUsers(), { now: NOW, dryRun: true });
    expect(result).toMatchObject({
      dryRun: true,
      cancelled: false,
      stoppedByFailure: false,
      guard: null,
    });
    expect(result.totals).toMatchObject({ changed: 2, conflict: 0, failed: 0, cancelled: 0 });
    expect(result.rows).toBe(result.plan.rows);
  });
});
