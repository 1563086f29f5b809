export { deactivate, reactivate, setExpiration, setStatus } from './transitions.js';
export type {
  ChangeSource,
  StatusChangeEvent,
  StatusSnapshot,
  TransitionContext,
  TransitionResult,
  UserUpdate,
} from './types.js';
