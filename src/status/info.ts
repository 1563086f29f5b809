import type { AccountStatus } from './types.js';

/**
 * What the portal shows and allows for one status.
 *
 * @example
 * ```ts
 * import { STATUS_INFO, type StatusInfo } from 'learner-status';
 *
 * const info: StatusInfo = STATUS_INFO.deactivated;
 * console.log(`${info.label}: ${info.canLogIn ? 'can' : 'cannot'} log in`); // Deactivated: cannot log in
 * ```
 */
export interface StatusInfo {
  /** The label shown to people: "Active", "Deactivated", "Expired". */
  readonly label: string;
  /** R5: whether a learner with this effective status can log in. */
  readonly canLogIn: boolean;
  /** R6: whether an administrator may choose this status (`expired` comes from the clock). */
  readonly selectable: boolean;
}

/**
 * The seed's table of statuses (R1, R2, R5, R6), for display and for admin screens that
 * list the statuses an administrator may choose.
 *
 * @example
 * ```ts
 * import { STATUS_INFO } from 'learner-status';
 *
 * STATUS_INFO.expired; // { label: 'Expired', canLogIn: false, selectable: false }
 * const choices = Object.entries(STATUS_INFO).filter(([, info]) => info.selectable);
 * ```
 */
export const STATUS_INFO: Readonly<Record<AccountStatus, StatusInfo>> =
  /* @__PURE__ */ Object.freeze({
    active: /* @__PURE__ */ info('Active', true, true),
    deactivated: /* @__PURE__ */ info('Deactivated', false, true),
    expired: /* @__PURE__ */ info('Expired', false, false),
  });

function info(label: string, canLogIn: boolean, selectable: boolean): StatusInfo {
  return Object.freeze({ label, canLogIn, selectable });
}
