// What `learner-status apply` needs of node-postgres (`new Pool({ connectionString })`, `query`,
// `end`, `on('error')`), answered by PGlite running in the same process on the database in
// PGLITE_DATA_DIR. Loaded in place of `pg` by bench/cli/pglite-pg.mjs, so that the end-to-end
// benchmark runs the real command line against PGlite (issue 18).
import { PGlite } from '@electric-sql/pglite';

export class Pool {
  constructor() {
    const dir = process.env.PGLITE_DATA_DIR;
    if (!dir) throw new Error('PGLITE_DATA_DIR is not set');
    this.db = new PGlite(dir);
  }

  async query(text, params) {
    const result = await this.db.query(text, params);
    return { rows: result.rows };
  }

  async end() {
    await this.db.close();
  }

  on() {
    return this;
  }
}

export default { Pool };
