// learner-status/schema: parseUser and the zod schema behind it. An entry of its own so that
// the main entry loads no dependency (zod is loaded by importing this entry).

// Every entry that throws exports the error's class and guard, so that a caller catching an
// error of this entry needs no second import.
export {
  isLearnerStatusError,
  LearnerStatusError,
  type LearnerStatusErrorCode,
  type LearnerStatusErrorDetails,
} from '../errors.js';
export { parseUser, userSchema } from './user.js';
