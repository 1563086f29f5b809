export { parseUser, userSchema } from './user.js';
