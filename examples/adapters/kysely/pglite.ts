// Kysely on PGlite without another package: Kysely's PostgresDialect over a "pool" whose one
// client is the PGlite instance (PGlite has a single connection; it queues queries itself).
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresQueryResult } from 'kysely';

const COMMANDS = ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'SELECT', 'COMMIT', 'ROLLBACK'] as const;

function pglitePool(pglite: PGlite): PostgresPool {
  const client = {
    async query<R>(text: string, parameters: readonly unknown[]) {
      const result = await pglite.query<R>(text, [...parameters]);
      // Kysely reads the command to count affected rows; PGlite does not name it.
      const word = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase();
      const command = COMMANDS.find((known) => known === word) ?? 'SELECT';
      return {
        command,
        rowCount: result.affectedRows ?? result.rows.length,
        rows: result.rows,
      } satisfies PostgresQueryResult<R>;
    },
    release() {},
  };
  return {
    connect: async () => client as unknown as Awaited<ReturnType<PostgresPool['connect']>>,
    end: async () => {},
  };
}

export function kyselyOnPGlite<DB>(pglite: PGlite): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
}
