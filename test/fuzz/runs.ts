// Run counts of the fuzz properties in test/fuzz. Every property runs FUZZ_RUNS times
// (default 10,000) in the normal test run; `npm run fuzz` sets FUZZ_RUNS=200000 for long runs.
// FUZZ_SEED (and FUZZ_PATH, both printed by fast-check on a failure) replay a counterexample:
//   FUZZ_SEED=-1234 FUZZ_PATH=12:3:0 npx vitest run test/fuzz -t 'C7'
import type fc from 'fast-check';
import type { LearnerStatusErrorCode } from '../../src/index.js';

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive whole number, but it is ${JSON.stringify(raw)}.`);
  }
  return value;
}

function seedOf(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) {
    throw new Error(`FUZZ_SEED must be an integer (fast-check's seed), but it is ${raw}.`);
  }
  return value;
}

/** How many times each fuzz property runs: FUZZ_RUNS, default 10,000. */
const FUZZ_RUNS = positiveInteger('FUZZ_RUNS', 10_000);

/** The seed to replay (FUZZ_SEED), or undefined for a fresh random one. */
const FUZZ_SEED = seedOf(process.env['FUZZ_SEED']);

const FUZZ_PATH = process.env['FUZZ_PATH']?.trim() || undefined;

/** The fast-check parameters of every fuzz property. */
export function fuzzParameters<T>(): fc.Parameters<T> {
  return {
    numRuns: FUZZ_RUNS,
    ...(FUZZ_SEED === undefined ? {} : { seed: FUZZ_SEED }),
    ...(FUZZ_SEED === undefined || FUZZ_PATH === undefined ? {} : { path: FUZZ_PATH }),
  };
}

/**
 * The vitest timeout of one fuzz test: generous, proportional to the run count (`msPerRun`
 * is a pessimistic cost of one run on a slow machine, shrinking included), never below the
 * suite's 60 s. No property asserts on wall-clock time.
 */
export function fuzzTimeout(msPerRun: number): number {
  return Math.max(60_000, Math.ceil(FUZZ_RUNS * msPerRun));
}

/**
 * Every `LearnerStatusErrorCode`, at run time. The library exports the codes only as a type;
 * the `satisfies` makes this list fail to compile when a code is added to or removed from it.
 */
const CODES = {
  INVALID_USER: true,
  INVALID_DATE: true,
  INVALID_TIME_ZONE: true,
  INVALID_STATUS: true,
  EXPIRED_NOT_SELECTABLE: true,
  INVALID_OPTION: true,
  UNCLOSED_QUOTE: true,
  INVALID_QUOTE: true,
  DUPLICATE_HEADER: true,
  RESERVED_HEADER: true,
  MISSING_ID_COLUMN: true,
  AMBIGUOUS_ID_COLUMN: true,
  MISSING_CHANGE_COLUMN: true,
  LOOKALIKE_HEADER: true,
  EMPTY_FILE: true,
  INVALID_ENCODING: true,
  TOO_LARGE: true,
  INVALID_INPUT: true,
  NOT_A_WORKBOOK: true,
  ENCRYPTED_WORKBOOK: true,
  LEGACY_XLS: true,
  SHEET_NOT_FOUND: true,
  STORE_FAILED: true,
  CHANGE_LIMIT_EXCEEDED: true,
} as const satisfies Record<LearnerStatusErrorCode, true>;

export const ERROR_CODES: ReadonlySet<string> = new Set(Object.keys(CODES));
