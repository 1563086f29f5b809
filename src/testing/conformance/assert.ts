import { timeOf } from '../../dates/instant.js';
import type { User } from '../../status/types.js';
import type { StatusChangeEvent, StatusSnapshot } from '../../transitions/types.js';

/**
 * A broken promise of the store contract. Plain Error on purpose: the suite reports test
 * failures through whatever runner the caller uses, and the rule id in the message says
 * which promise was broken.
 *
 * @example
 * ```ts
 * import { ConformanceFailure } from 'learner-status/testing';
 *
 * const isContractBreach = (error: unknown) => error instanceof ConformanceFailure;
 * ```
 */
export class ConformanceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceFailure';
  }
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

export function show(value: unknown): string {
  if (value instanceof Date) {
    const ms = timeOf(value);
    return Number.isNaN(ms) ? 'Invalid Date' : value.toISOString();
  }
  return JSON.stringify(value) ?? String(value);
}

export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  check(Object.is(actual, expected), `${what}: expected ${show(expected)}, got ${show(actual)}.`);
}

/** Instants compare by epoch milliseconds; `null` and `undefined` both mean "none". */
export function checkInstant(
  actual: unknown,
  expected: Date | null | undefined,
  what: string,
): void {
  if (expected === null || expected === undefined) {
    check(actual === null || actual === undefined, `${what}: expected none, got ${show(actual)}.`);
    return;
  }
  check(
    actual instanceof Date,
    `${what}: expected the Date ${show(expected)}, got ${show(actual)}.`,
  );
  checkEqual(timeOf(actual), timeOf(expected), `${what} (epoch ms)`);
}

export function checkUser(actual: unknown, expected: User, what: string): void {
  check(
    typeof actual === 'object' && actual !== null,
    `${what}: expected a user object, got ${show(actual)}.`,
  );
  const user = actual as Record<string, unknown>;
  checkEqual(user['id'], expected.id, `${what}.id`);
  checkEqual(user['status'], expected.status, `${what}.status`);
  checkInstant(user['expiresAt'], expected.expiresAt, `${what}.expiresAt`);
  checkInstant(user['accessRevokedAt'], expected.accessRevokedAt, `${what}.accessRevokedAt`);
}

function checkSnapshot(actual: unknown, expected: StatusSnapshot, what: string): void {
  check(typeof actual === 'object' && actual !== null, `${what}: missing.`);
  const snapshot = actual as Record<string, unknown>;
  checkEqual(snapshot['status'], expected.status, `${what}.status`);
  checkInstant(snapshot['expiresAt'], expected.expiresAt, `${what}.expiresAt`);
  checkEqual(snapshot['effective'], expected.effective, `${what}.effective`);
}

export function checkEvent(actual: unknown, expected: StatusChangeEvent, what: string): void {
  check(
    typeof actual === 'object' && actual !== null,
    `${what}: expected an event, got ${show(actual)}.`,
  );
  const event = actual as Record<string, unknown>;
  checkEqual(event['userId'], expected.userId, `${what}.userId`);
  checkInstant(event['at'], expected.at, `${what}.at`);
  for (const key of ['actor', 'source', 'reason', 'line'] as const) {
    checkEqual(event[key] ?? undefined, expected[key], `${what}.${key}`);
  }
  checkSnapshot(event['before'], expected.before, `${what}.before`);
  checkSnapshot(event['after'], expected.after, `${what}.after`);
  checkEqual(event['endSessions'], expected.endSessions, `${what}.endSessions`);
}

/** The fields of the contract; every other field of a user is the caller's own. */
const CONTRACT_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'status',
  'expiresAt',
  'accessRevokedAt',
]);

/** Plain data compared by value: Dates by epoch ms, arrays and plain objects field by field. */
function sameData(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && Object.is(timeOf(a), timeOf(b));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Object.is(a, b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((key) => Object.hasOwn(recordB, key) && sameData(recordA[key], recordB[key]));
}

/**
 * The fields of `expected` beyond the contract, in `actual`: each must equal (a field a store
 * keeps is never blanked or changed). A field missing from `actual` is lost, unless
 * `mayOmit` (a store that keeps none of the caller's fields answers none of them).
 */
export function checkExtraFields(
  actual: unknown,
  expected: object,
  what: string,
  mayOmit: boolean,
): void {
  check(
    typeof actual === 'object' && actual !== null,
    `${what}: expected a user object, got ${show(actual)}.`,
  );
  const user = actual as Record<string, unknown>;
  for (const [key, value] of Object.entries(expected)) {
    if (CONTRACT_FIELDS.has(key)) continue;
    if (!Object.hasOwn(user, key)) {
      check(mayOmit, `${what}.${key}: expected ${show(value)}, got no such field (lost).`);
      continue;
    }
    check(
      sameData(user[key], value),
      `${what}.${key}: expected ${show(value)}, got ${show(user[key])}.`,
    );
  }
}
