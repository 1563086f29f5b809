// learner-status/dates: expirationInstant (R11), with date-fns and @date-fns/tz. An entry of its
// own so that the main entry loads no dependency.
export { expirationInstant } from './expiration.js';
