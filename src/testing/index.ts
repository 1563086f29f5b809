// The entry of `learner-status/testing`: what consumers need to test their own code and stores
// against learner-status. It imports fast-check (an optional peer dependency of this entry
// only) and no test runner.
export * from './conformance/index.js';
