// Arbitraries of learner-status's domain for consumers' property tests (issue 5).
export * from './csv.js';
export { type InstantArbConstraints, instantArb } from './instants.js';
export * from './users.js';
