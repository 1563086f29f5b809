import type { User } from '../../src/status/index.js';
import type { UserStore, UserWrite } from '../../src/store/index.js';

/**
 * A store that also answers reads by an alias (an email, an employee number): `resolve` says
 * which user id each alias stands for, and the read answers that user, with its own id, as
 * docs/adapters.md allows. Writes go to `inner` by id, as they are.
 */
export function withAliases<U extends User>(
  inner: UserStore<U>,
  resolve: (aliases: readonly string[]) => Promise<ReadonlyMap<string, string>>,
): UserStore<U> {
  return {
    ...inner,
    async readUsers(ids) {
      const found = await resolve(ids);
      return inner.readUsers(ids.map((id) => found.get(id) ?? id));
    },
  };
}

/** Wraps a store so that the user ids of every writeUsers call are recorded, call by call. */
export function recordingWrites<U extends User>(
  inner: UserStore<U>,
): UserStore<U> & { readonly calls: string[][] } {
  const calls: string[][] = [];
  return {
    ...inner,
    calls,
    writeUsers(writes: readonly UserWrite<U>[]) {
      calls.push(writes.map((write) => write.user.id));
      return inner.writeUsers(writes);
    },
  };
}

/** The ids that appear more than once in one call, per call (empty when every call is clean). */
export function repeatedIds(calls: readonly (readonly string[])[]): string[] {
  return calls.flatMap((ids) => ids.filter((id, at) => ids.indexOf(id) !== at));
}
