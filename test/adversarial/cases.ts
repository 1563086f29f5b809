// Helpers for the adversarial catalogue (catalogue.test.ts): the case type and small tools
// that go through the public API only.
import { expect } from 'vitest';
import { type CsvInput, type CsvOptions, type CsvRow, parseCsv } from '../../src/csv/index.js';
import {
  type BulkInputRow,
  createMemoryStore,
  isLearnerStatusError,
  type LearnerStatusError,
  type MemoryStore,
  type StoredStatus,
  USER_STORE_INTERFACE_VERSION,
  type User,
  type UserStore,
} from '../../src/index.js';

/** One named adversarial case: the rule(s) it checks, what should happen, and the check. */
export interface Case {
  readonly name: string;
  /** SPEC rule id(s), e.g. 'C3' or 'R4, L1'. */
  readonly rule: string;
  /** What the library must do, in a few words. */
  readonly expected: string;
  readonly run: () => void | Promise<void>;
}

export interface CaseGroup {
  readonly group: string;
  readonly cases: readonly Case[];
}

export const NOW = new Date('2026-06-01T12:00:00.000Z');
export const PAST = new Date('2026-01-01T00:00:00.000Z');
export const FUTURE = new Date('2027-01-01T00:00:00.000Z');
export const MAX_MS = 8.64e15;

/** Every row of a parse. */
export async function rows(input: CsvInput, options?: CsvOptions): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const row of parseCsv(input, options)) out.push(row);
  return out;
}

/** The single row of a file of one data row. */
export async function onlyRow(input: CsvInput, options?: CsvOptions): Promise<CsvRow> {
  const all = await rows(input, options);
  expect(all).toHaveLength(1);
  return all[0] as CsvRow;
}

/** The LearnerStatusError that reading a file throws (fails when the file is accepted). */
export async function fileError(
  input: CsvInput,
  options?: CsvOptions,
): Promise<LearnerStatusError> {
  return rejectionOf(rows(input, options));
}

/** The LearnerStatusError a promise rejects with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<LearnerStatusError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('expected a rejection, but the promise resolved');
  if (!isLearnerStatusError(caught)) throw caught;
  return caught;
}

/** The LearnerStatusError a call throws synchronously. */
export function thrown(fn: () => unknown): LearnerStatusError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('expected a thrown LearnerStatusError');
  if (!isLearnerStatusError(caught)) throw caught;
  return caught;
}

/** The issue codes of a parsed row. */
export function codes(row: CsvRow): string[] {
  return row.result.issues.map((issue) => issue.code);
}

/** UTF-8 bytes from text and raw byte values, concatenated. */
export function bytes(...parts: (string | readonly number[])[]): Uint8Array {
  const encoder = new TextEncoder();
  const pieces = parts.map((part) =>
    typeof part === 'string' ? encoder.encode(part) : Uint8Array.from(part),
  );
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** An async iterable over the given chunks, as a Node stream would deliver them. */
export async function* chunks(
  ...parts: (string | Uint8Array)[]
): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) yield part;
}

export function user(
  id: string,
  status: StoredStatus = 'active',
  expiresAt: Date | null = null,
  extra: Partial<User> = {},
): User {
  return { id, status, expiresAt, ...extra };
}

/** A bulk input row that parsed fine. */
export function okRow(
  line: number,
  userId: string,
  change: { status?: StoredStatus; expiresAt?: Date | null },
): BulkInputRow {
  return { line, result: { ok: true, update: { userId, ...change }, issues: [] } };
}

/** Wraps a memory store, counting calls and optionally replacing its methods. */
export function wrapStore(
  inner: MemoryStore,
  overrides: Partial<Pick<UserStore, 'readUsers' | 'writeUsers'>> & {
    interfaceVersion?: number;
  } = {},
): UserStore & { reads: number; writes: number } {
  const wrapped = {
    interfaceVersion: (overrides.interfaceVersion ??
      USER_STORE_INTERFACE_VERSION) as typeof USER_STORE_INTERFACE_VERSION,
    capabilities: { atomicBatches: true },
    reads: 0,
    writes: 0,
    readUsers(ids: readonly string[]) {
      wrapped.reads++;
      return (overrides.readUsers ?? inner.readUsers)(ids);
    },
    writeUsers(writes: Parameters<UserStore['writeUsers']>[0]) {
      wrapped.writes++;
      return (overrides.writeUsers ?? inner.writeUsers)(writes);
    },
    countUsers: () => inner.countUsers?.() ?? Promise.resolve(0),
  };
  return wrapped;
}

/** A fresh memory store with the given users. */
export function storeOf(...users: User[]): MemoryStore {
  return createMemoryStore(users);
}

/** A promise that never settles: a store or loader that hangs. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** Splits a CSV line written by formatCsv into its cells (no quoted commas in the input). */
export function cellsOf(line: string): string[] {
  return line.split(',');
}
