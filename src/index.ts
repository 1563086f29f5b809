// The main entry of learner-status: re-exports only. Runtime-neutral (no Node built-ins), so it
// bundles for browsers and edge runtimes. Loading it loads no dependency: zod (parseUser) and
// date-fns (expirationInstant) are in the entries learner-status/schema and learner-status/dates,
// and the CSV reader behind bulkUpdateFromCsv loads date-fns only when caller dateFormats or a
// time zone other than UTC ask for it. scripts/check-package.mjs checks it, in plain Node and in
// a bundle.

export * from './bulk/index.js';
export {
  isLearnerStatusError,
  LearnerStatusError,
  type LearnerStatusErrorCode,
  type LearnerStatusErrorDetails,
} from './errors.js';
export * from './login/index.js';
export { type DueReminder, dueReminder, type ReminderOptions } from './reminders/index.js';
export * from './status/index.js';
export * from './store/index.js';
export * from './transitions/index.js';
