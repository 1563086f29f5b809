// The database of the admin example: a PostgreSQL server when DATABASE_URL is set, otherwise
// PGlite (PostgreSQL compiled to WebAssembly) in memory, so that one command starts the page.
import { PGlite } from '@electric-sql/pglite';
import type { PostgresClient } from 'learner-status/postgres';
import pg from 'pg';

export interface Database {
  readonly client: PostgresClient;
  /** Where the data lives, for the start-up message (no password). */
  readonly description: string;
  close(): Promise<void>;
}

/** Opens the database: `url` is a postgres:// connection string, or undefined for PGlite. */
export async function openDatabase(url: string | undefined): Promise<Database> {
  if (url !== undefined && url !== '') {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    await pool.query('SELECT 1');
    const where = new URL(url);
    return {
      client: pool,
      description: `PostgreSQL at ${where.hostname}:${where.port || 5432}${where.pathname}`,
      close: () => pool.end(),
    };
  }
  const db = new PGlite();
  await db.waitReady;
  return {
    client: db,
    description: 'an embedded PGlite database in memory (set DATABASE_URL for a server)',
    close: () => db.close(),
  };
}
