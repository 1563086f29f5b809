// The main entry of learner-status: re-exports only. Runtime-neutral (no Node built-ins), so it
// bundles for browsers and edge runtimes. The login path (status, login, transitions) imports
// no dependency; zod sits behind parseUser, date-fns behind expirationInstant and the CSV
// reading of the bulk helpers. scripts/check-package.mjs proves a bundler drops them.

export * from './bulk/index.js';
export { expirationInstant } from './dates/index.js';
export {
  isLearnerStatusError,
  LearnerStatusError,
  type LearnerStatusErrorCode,
  type LearnerStatusErrorDetails,
} from './errors.js';
export * from './login/index.js';
export { type DueReminder, dueReminder, type ReminderOptions } from './reminders/index.js';
export { parseUser, userSchema } from './schema/index.js';
export * from './status/index.js';
export * from './store/index.js';
export * from './transitions/index.js';
