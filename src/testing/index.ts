// The entry of `learner-status/testing`: what consumers need to test their own code and stores
// against learner-status. It imports fast-check (an optional peer dependency of this entry
// only) and no test runner.

// Every entry that throws exports the error's class and guard, so that a caller catching an
// error of this entry needs no second import.
export {
  isLearnerStatusError,
  LearnerStatusError,
  type LearnerStatusErrorCode,
  type LearnerStatusErrorDetails,
} from '../errors.js';
export {
  accountStatusArb,
  type CsvFileExpectation,
  type CsvFileRowExpectation,
  type CsvFileSample,
  type CsvRowExpectation,
  type CsvValuesArbConstraints,
  type CsvValuesSample,
  csvFileArb,
  csvValuesArb,
  type InstantArbConstraints,
  instantArb,
  storedStatusArb,
  type UserAndNow,
  type UserArbConstraints,
  userAndNowArb,
  userArb,
} from './arbitraries/index.js';
export * from './conformance/index.js';
