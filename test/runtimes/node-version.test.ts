import { describe, expect, it } from 'vitest';

// scripts/test-runtimes.mjs runs this whole suite again on Node 22 and 24 by putting their
// binary first on PATH, and says which major it meant: a run that fell back to another Node
// would pass and prove nothing about the Node it names.
describe('the Node.js of this run', () => {
  it('is one the package supports, and the major the runtime matrix asked for', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(major).toBeGreaterThanOrEqual(20);
    const expected = process.env['LEARNER_STATUS_EXPECT_NODE_MAJOR'];
    if (expected !== undefined && expected !== '') expect(major).toBe(Number(expected));
  });
});
