// The entry of `learner-status/testing`: the UserStore conformance suite. It imports
// fast-check (a peer dependency of this entry only) and no test runner.
export { ConformanceFailure } from './assert.js';
export {
  CONFORMANCE_INSTANTS,
  type ConformanceCase,
  type ConformanceStore,
  type ConformanceUser,
  type StoreFactory,
  type StoreFactoryBase,
  type StoreUnderTest,
  userStoreConformanceCases,
} from './cases.js';
export type { ConcurrentStoreFactory, ConcurrentStoresUnderTest } from './concurrent.js';
export { type ConformanceRunner, runUserStoreConformance } from './runner.js';
