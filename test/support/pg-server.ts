import { describe, it } from 'vitest';

/**
 * Registers tests that need a real PostgreSQL server (S2, S3, the CLI's apply). The URL comes
 * from LEARNER_STATUS_PG_URL (`scripts/pg-server.sh start` prints one; `.ci/run` exports it).
 * Without it the tests fail in CI, and are skipped with a message when run by hand.
 */
export function withPostgresServer(name: string, register: (url: string) => void): void {
  const url = process.env['LEARNER_STATUS_PG_URL'];
  if (url !== undefined && url !== '') {
    register(url);
    return;
  }
  const ci = process.env['CI'];
  if (ci !== undefined && ci !== '' && ci !== 'false') {
    describe(name, () => {
      it('needs LEARNER_STATUS_PG_URL in CI', () => {
        throw new Error(
          'LEARNER_STATUS_PG_URL is not set, but CI is: start a server with `scripts/pg-server.sh start` and export its URL.',
        );
      });
    });
    return;
  }
  console.warn(
    `[learner-status] Skipping ${name}: LEARNER_STATUS_PG_URL is not set. Run \`export LEARNER_STATUS_PG_URL="$(scripts/pg-server.sh start)"\` to include them.`,
  );
  describe.skipIf(true)(`${name} (LEARNER_STATUS_PG_URL not set)`, () => {
    it('runs only with a server', () => {
      throw new Error('registered only to report the skip');
    });
  });
}
