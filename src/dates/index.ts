export { expirationInstant } from './expiration.js';
