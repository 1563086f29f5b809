// The entry of `learner-status/postgres`: the PostgreSQL UserStore, its schema and the SQL of
// the effective status. No runtime dependency: bring any client with query(text, params).
export {
  effectiveStatusSql,
  type PostgresTables,
  postgresSchemaSql,
  postgresSchemaStatements,
} from './schema.js';
export {
  createPostgresStore,
  type PostgresClient,
  type PostgresStore,
  type PostgresStoreOptions,
} from './store.js';
