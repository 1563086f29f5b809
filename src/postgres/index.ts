// The entry of `learner-status/postgres`: the PostgreSQL UserStore, its schema and the SQL of
// the effective status. No runtime dependency: bring any client with query(text, params).

// Every entry that throws exports the error's class and guard, so that a caller catching an
// error of this entry needs no second import.
export {
  isLearnerStatusError,
  LearnerStatusError,
  type LearnerStatusErrorCode,
  type LearnerStatusErrorDetails,
} from '../errors.js';
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
