export { deactivate, reactivate, setExpiration, setStatus } from './transitions.js';
export type {
  ChangeSource,
  StatusChangeEvent,
  StatusSnapshot,
  TransitionContext,
  TransitionNotice,
  TransitionResult,
  UserUpdate,
} from './types.js';
