import * as z from 'zod';
import { parseIsoInstant, timeOf } from '../dates/instant.js';
import { describeValue, LearnerStatusError } from '../errors.js';
import type { User } from '../status/types.js';

/**
 * An instant as it arrives from JSON or a database: a valid `Date`, or an ISO-8601 string with
 * `Z` or an offset (every string `toISOString()` produces, expanded years included). Strings
 * without an offset, impossible dates and `new Date(string)`-style guesses are refused.
 */
const instant = /* @__PURE__ */ z.unknown().transform((value, ctx): Date => {
  const ms = typeof value === 'string' ? parseIsoInstant(value) : timeOf(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({
      code: 'custom',
      message: `is ${describeValue(value)}, not a Date or an ISO-8601 instant with Z or an offset such as '2026-12-31T17:00:00Z'`,
    });
    return z.NEVER;
  }
  return new Date(ms);
});

/**
 * The zod schema behind {@link parseUser}: `id` a non-empty string, `status` exactly
 * `'active'` or `'deactivated'`, `expiresAt` an instant or `null`, `accessRevokedAt` an
 * instant, `null` or absent. Unknown fields are dropped; extend the schema to keep yours.
 *
 * @example
 * ```ts
 * import { userSchema } from 'learner-status/schema';
 * import * as z from 'zod';
 *
 * const myUser = userSchema.extend({ email: z.string() });
 * myUser.parse({ id: 'u1', status: 'active', expiresAt: null, email: 'ada@example.org' });
 * ```
 */
export const userSchema = /* @__PURE__ */ z.object(
  {
    id: z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'),
    status: z.enum(['active', 'deactivated'], {
      error: "must be 'active' or 'deactivated' (in lower case; 'expired' is never stored)",
    }),
    expiresAt: instant.nullable(),
    accessRevokedAt: instant.nullable().optional(),
  },
  { error: 'must be an object with id, status and expiresAt' },
);

/**
 * Turns a user record from JSON or a database into a {@link User}, or throws `INVALID_USER`
 * naming the field (R12). Dates may be `Date` objects or ISO-8601 strings with `Z` or an
 * offset; `null` means never. A status in any other spelling (`'Active'`) is refused.
 *
 * @example
 * ```ts
 * import { parseUser } from 'learner-status/schema';
 *
 * const user = parseUser(JSON.parse('{"id":"u1","status":"active","expiresAt":"2026-12-31T23:00:00.000Z"}'));
 * user.expiresAt?.toISOString(); // '2026-12-31T23:00:00.000Z'
 * ```
 */
export function parseUser(input: unknown): User {
  let result: ReturnType<typeof userSchema.safeParse>;
  try {
    result = userSchema.safeParse(input);
  } catch (error) {
    // A getter that throws, a revoked Proxy: not a user record.
    throw new LearnerStatusError(
      'INVALID_USER',
      `Invalid user record: reading it failed (${String(error)}).`,
      {
        field: 'user',
        cause: error,
      },
    );
  }
  if (result.success) {
    const { id, status, expiresAt, accessRevokedAt } = result.data;
    return accessRevokedAt === undefined
      ? { id, status, expiresAt }
      : { id, status, expiresAt, accessRevokedAt };
  }
  // zod reports at least one issue. The first names the field: a key of the record, or no
  // path when the record itself is wrong.
  const issue = result.error.issues[0]!;
  const field = issue.path.length === 0 ? 'user' : String(issue.path[0]);
  throw new LearnerStatusError(
    'INVALID_USER',
    `Invalid user record: \`${field}\` ${issue.message}.`,
    {
      field,
      cause: result.error,
    },
  );
}
