// The entry of `learner-status/testing`: what consumers need to test their own code and stores
// against learner-status. It imports fast-check (an optional peer dependency of this entry
// only) and no test runner.

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
