// R6, R10, R12: every error of the transitions names what to fix: the context and its fields,
// the status asked for (with `expired` told apart, in any case and spacing, but only whole),
// and the expiration date.
import { describe, expect, it } from 'vitest';
import {
  deactivate,
  reactivate,
  type StoredStatus,
  setExpiration,
  setStatus,
  type TransitionContext,
  type User,
} from '../../src/index.js';
import { expectError } from '../support/errors.js';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const user: User = { id: 'u1', status: 'active', expiresAt: null };
const asCtx = (value: unknown) => value as TransitionContext;

describe('R10: the transition context', () => {
  const transitions = [
    ['setStatus', (ctx: TransitionContext) => setStatus(user, 'deactivated', ctx)],
    ['deactivate', (ctx: TransitionContext) => deactivate(user, ctx)],
    ['reactivate', (ctx: TransitionContext) => reactivate(user, ctx)],
    ['setExpiration', (ctx: TransitionContext) => setExpiration(user, null, ctx)],
  ] as const;

  it.each(transitions)('%s: a context that is not an object is `ctx`', async (_, call) => {
    for (const ctx of [null, undefined, 5, 'now']) {
      await expectError(() => call(asCtx(ctx)), 'INVALID_OPTION', 'ctx');
    }
  });

  it.each(transitions)('%s: a bad now is `now`', async (_, call) => {
    await expectError(() => call(asCtx({})), 'INVALID_DATE', 'now');
    await expectError(() => call(asCtx({ now: new Date(Number.NaN) })), 'INVALID_DATE', 'now');
  });

  it.each(transitions)(
    '%s: an unknown field is named exactly, prefix and suffix included',
    async (_, call) => {
      for (const key of ['xactor', 'actorx', 'nowx', 'xline', 'Reason']) {
        await expectError(() => call(asCtx({ now: NOW, [key]: 'x' })), 'INVALID_OPTION', key);
      }
      const ctx = asCtx({ now: NOW, actor: 'a', source: 's', reason: 'r', line: 2 });
      expect(() => call(ctx)).not.toThrow();
    },
  );
});

describe('R6: the status asked for', () => {
  const ask = (status: unknown) => () => setStatus(user, status as StoredStatus, { now: NOW });

  it('`expired` in any case and spacing is EXPIRED_NOT_SELECTABLE, saying to change the date', async () => {
    for (const status of ['expired', 'EXPIRED', ' Expired\t']) {
      const error = await expectError(ask(status), 'EXPIRED_NOT_SELECTABLE', 'status');
      expect(error.message).toContain('change the expiration date');
    }
  });

  it('only the whole word: anything else is INVALID_STATUS', async () => {
    for (const status of ['expiredx', 'xexpired', 'not expired', 'Active', '', null, 1]) {
      await expectError(ask(status), 'INVALID_STATUS', 'status');
    }
  });
});

describe('R7: the expiration date', () => {
  it('a value that is not a valid Date or null is INVALID_DATE naming `expiresAt`', async () => {
    for (const expiresAt of [new Date(Number.NaN), '2027-01-01', undefined]) {
      await expectError(
        () => setExpiration(user, expiresAt as Date, { now: NOW }),
        'INVALID_DATE',
        'expiresAt',
      );
    }
  });
});
