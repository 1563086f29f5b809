// learner-status/dates: expirationInstant (R11), with date-fns and @date-fns/tz. An entry of its
// own so that the main entry loads no dependency.

// Every entry that throws exports the error's class and guard, so that a caller catching an
// error of this entry needs no second import.
export {
  isLearnerStatusError,
  LearnerStatusError,
  type LearnerStatusErrorCode,
  type LearnerStatusErrorDetails,
} from '../errors.js';
export { expirationInstant } from './expiration.js';
