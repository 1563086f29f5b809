// learner-status/schema: parseUser and the zod schema behind it. An entry of its own so that
// the main entry loads no dependency (zod is loaded by importing this entry).
export { parseUser, userSchema } from './user.js';
