import { expect } from 'vitest';
import { isLearnerStatusError, type LearnerStatusError } from '../../src/index.js';

/** The LearnerStatusError that `run` throws (synchronously or as a rejection); fails otherwise. */
async function errorOf(run: () => unknown): Promise<LearnerStatusError> {
  try {
    await run();
  } catch (error) {
    if (isLearnerStatusError(error)) return error;
    throw error;
  }
  return expect.fail('expected a LearnerStatusError, but nothing was thrown');
}

/** Expects `run` to throw a LearnerStatusError with this code and field. */
export async function expectError(
  run: () => unknown,
  code: string,
  field: string,
): Promise<LearnerStatusError> {
  const error = await errorOf(run);
  expect({ code: error.code, field: error.field }).toEqual({ code, field });
  expect(error.message).toContain(`\`${field}\``);
  return error;
}
