// The main entry of learner-status: re-exports only. Runtime-neutral (no Node built-ins), so it
// bundles for browsers and edge runtimes. The login path (status, login, transitions) imports
// no dependency; zod and date-fns sit behind parseUser and expirationInstant.

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
