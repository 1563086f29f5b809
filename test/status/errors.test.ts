// R12: every error of the status functions names the field it is about, so that a log line
// says what to fix. (These also pin the field names that mutation testing would blank out.)
import { describe, expect, it } from 'vitest';
import {
  canLogIn,
  checkLogin,
  effectiveStatus,
  nextStatusChangeAt,
  type User,
} from '../../src/index.js';
import { expectError } from '../support/errors.js';

const NOW = new Date('2026-06-01T09:00:00.000Z');
const valid = { id: 'u1', status: 'active', expiresAt: null } as const;
const asUser = (value: unknown) => value as User;

describe('R12: an invalid user is INVALID_USER naming the field', () => {
  it.each([
    ['a number', 5],
    ['a string', 'u1'],
    ['true', true],
    ['null', null],
    ['undefined', undefined],
  ])('the user itself when it is %s: `user`', async (_, value) => {
    await expectError(() => effectiveStatus(asUser(value), NOW), 'INVALID_USER', 'user');
  });

  it.each([
    ['id', { ...valid, id: '' }],
    ['id', { ...valid, id: 42 }],
    ['status', { ...valid, status: 'expired' }],
    ['status', { ...valid, status: 'Active' }],
    ['expiresAt', { ...valid, expiresAt: new Date(Number.NaN) }],
    ['expiresAt', { ...valid, expiresAt: undefined }],
    ['expiresAt', { ...valid, expiresAt: '2027-01-01' }],
    ['accessRevokedAt', { ...valid, accessRevokedAt: new Date(Number.NaN) }],
    ['accessRevokedAt', { ...valid, accessRevokedAt: 0 }],
  ])('`%s`', async (field, user) => {
    await expectError(() => effectiveStatus(asUser(user), NOW), 'INVALID_USER', field);
    await expectError(() => canLogIn(asUser(user), NOW), 'INVALID_USER', field);
    await expectError(() => nextStatusChangeAt(asUser(user), NOW), 'INVALID_USER', field);
  });

  it.each([
    ['user', 'u1', '`user` must be an object.'],
    ['id', { ...valid, id: '' }, '`id` must be a non-empty string.'],
    ['status', { ...valid, status: 'Active' }, "`status` must be 'active' or 'deactivated'."],
    ['expiresAt', { ...valid, expiresAt: 'soon' }, '`expiresAt` must be a valid Date or null.'],
    [
      'accessRevokedAt',
      { ...valid, accessRevokedAt: 'soon' },
      '`accessRevokedAt` must be a valid Date or null.',
    ],
  ])(
    'the message for `%s` says what it must be, and is the detail of the login refusal',
    async (field, user, message) => {
      const error = await expectError(
        () => effectiveStatus(asUser(user), NOW),
        'INVALID_USER',
        field,
      );
      expect(error.message).toBe(message);
      expect(checkLogin(asUser(user), NOW)).toEqual({
        allowed: false,
        reason: 'invalid',
        detail: `LearnerStatusError: ${message}`,
      });
    },
  );

  it('accessRevokedAt may be null or absent; a valid user with one is not refused', () => {
    expect(effectiveStatus({ ...valid, accessRevokedAt: null }, NOW)).toBe('active');
    expect(effectiveStatus({ ...valid, accessRevokedAt: NOW }, NOW)).toBe('active');
  });
});

describe('R4, L2: a bad now is INVALID_DATE naming `now`', () => {
  it.each([
    ['effectiveStatus', (now: Date) => effectiveStatus(valid, now)],
    ['canLogIn', (now: Date) => canLogIn(valid, now)],
    ['nextStatusChangeAt', (now: Date) => nextStatusChangeAt(valid, now)],
  ])('%s', async (_, call) => {
    await expectError(() => call(new Date(Number.NaN)), 'INVALID_DATE', 'now');
    await expectError(() => call('2026-06-01' as unknown as Date), 'INVALID_DATE', 'now');
  });
});
