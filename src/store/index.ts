export type { StoreErrorCode } from './errors.js';
export { createMemoryStore, type MemoryStore } from './memory.js';
export {
  USER_STORE_INTERFACE_VERSION,
  type UserStore,
  type UserStoreCapabilities,
  type UserWrite,
  type VersionedUser,
  type WriteResult,
} from './types.js';
