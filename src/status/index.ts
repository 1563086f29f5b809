export { canLogIn, effectiveStatus, nextStatusChangeAt } from './effective.js';
export { STATUS_INFO, type StatusInfo } from './info.js';
export type { AccountStatus, StoredStatus, User } from './types.js';
