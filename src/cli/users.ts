/// <reference types="node" />
// The export of current users for `preview`: a CSV or workbook with the bulk file's column
// conventions (id column, Active Yes/No, optional Expiration Date) or a JSON array of parseUser
// records. Read as a stream straight into a compact read-only store (issue 18): a
// million-user export is neither held as text nor as a million user objects.
import type { CsvOptions } from '../csv/index.js';
import {
  isLearnerStatusError,
  USER_STORE_INTERFACE_VERSION,
  type User,
  type UserStore,
  type VersionedUser,
} from '../index.js';
import { parseUser } from '../schema/index.js';
import { fileError, openInput } from './files.js';
import { cliErrorMessage, cliIssue } from './flags.js';
import { UsageError } from './io.js';
import { openRows } from './source.js';

const WHAT = 'the users export';

/**
 * A string of its own. The parser's cells are slices of its 64 KiB pieces of the file, and a
 * kept slice keeps its whole piece alive: a store of a million ids would hold the file. A
 * round trip through UTF-16 bytes (lossless for any string) makes one flat string.
 */
function ownCopy(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/** Grows a typed array to hold index `at`. */
function room<T extends Float64Array | Uint8Array | Int32Array>(
  array: T,
  at: number,
  make: (length: number) => T,
): T {
  if (at < array.length) return array;
  const grown = make(Math.max(1024, array.length * 2));
  grown.set(array);
  return grown;
}

/**
 * The users of an export, one column per field (about 80 bytes per user with its id): a
 * read-only {@link UserStore} for the plan. Every user reads with the same version, as nothing
 * is ever written to it.
 */
class ExportStore implements UserStore<User> {
  readonly interfaceVersion = USER_STORE_INTERFACE_VERSION;
  private readonly index = new Map<string, number>();
  private readonly ids: string[] = [];
  private statuses = new Uint8Array(0);
  // Epoch milliseconds; NaN for "never".
  private expiries = new Float64Array(0);
  // Where each user is in the export (line or array position), for the duplicate's message.
  private places = new Int32Array(0);
  // accessRevokedAt, for the few records of a JSON export that carry it.
  private readonly revoked = new Map<number, Date | null>();
  private readonly dates = new Map<number, Date>();
  private repeated = false;

  get size(): number {
    return this.ids.length;
  }

  /**
   * Adds a user, or answers the place of the user with the same id (nothing is added then;
   * the export is refused, so the store is not used after that).
   */
  add(user: User, place: number): number | undefined {
    const at = this.ids.length;
    const id = ownCopy(user.id);
    // One lookup per user rather than two (has, then set): a lookup in a map of a million
    // ids costs about a third of a microsecond. A repeated id leaves the size as it was.
    this.index.set(id, at);
    if (this.index.size === at) {
      // Only the first repeat is named, so only it is looked for.
      const first = this.repeated ? 0 : (this.places[this.ids.indexOf(user.id)] as number);
      this.repeated = true;
      return first;
    }
    this.ids.push(id);
    this.statuses = room(this.statuses, at, (n) => new Uint8Array(n));
    this.expiries = room(this.expiries, at, (n) => new Float64Array(n));
    this.places = room(this.places, at, (n) => new Int32Array(n));
    this.statuses[at] = user.status === 'active' ? 0 : 1;
    this.expiries[at] = user.expiresAt === null ? Number.NaN : user.expiresAt.getTime();
    this.places[at] = place;
    if (user.accessRevokedAt !== undefined) this.revoked.set(at, user.accessRevokedAt);
    return undefined;
  }

  /**
   * A Date for an expiration: one per distinct instant (an export holds few), shared by the
   * users read with it. Nothing mutates them: the plan only reads, and preview writes nothing.
   */
  private dateOf(ms: number): Date {
    let date = this.dates.get(ms);
    if (date === undefined) {
      date = new Date(ms);
      if (this.dates.size < 65_536) this.dates.set(ms, date);
    }
    return date;
  }

  async readUsers(ids: readonly string[]): Promise<(VersionedUser | null)[]> {
    const answers: (VersionedUser | null)[] = new Array(ids.length);
    for (let k = 0; k < ids.length; k++) {
      const at = this.index.get(ids[k] as string);
      if (at === undefined) {
        answers[k] = null;
        continue;
      }
      const ms = this.expiries[at] as number;
      const user: User = {
        id: this.ids[at] as string,
        status: this.statuses[at] === 0 ? 'active' : 'deactivated',
        expiresAt: Number.isNaN(ms) ? null : this.dateOf(ms),
      };
      const revoked = this.revoked.get(at);
      answers[k] = {
        user: revoked === undefined ? user : { ...user, accessRevokedAt: revoked },
        version: '1',
      };
    }
    return answers;
  }

  async writeUsers(): Promise<never> {
    throw new Error('the users export is read-only: preview writes nothing');
  }

  async countUsers(): Promise<number> {
    return this.ids.length;
  }
}

/**
 * The users of an export, in a store, and how many there are.
 *
 * @example
 * ```ts
 * const users: UsersExport = await loadUsers(io, 'users.json', {});
 * users.count; // 1000000
 * ```
 */
export interface UsersExport {
  readonly store: UserStore<User>;
  readonly count: number;
}

/**
 * Reads the export at `path` into a read-only store. A malformed export, one without an id
 * column, a refused row, or a user listed twice is a UsageError (exit 2) naming the line.
 *
 * @example
 * ```ts
 * const { store, count } = await loadUsers(io, 'users.csv', {});
 * ```
 */
export async function loadUsers(
  io: Parameters<typeof openInput>[0],
  path: string,
  options: CsvOptions,
): Promise<UsersExport> {
  const store = new ExportStore();
  // A user listed twice is said once the whole export is read, as before: a refused row
  // later in the file is reported first.
  let twice: string | undefined;
  const add: Add = (user, place, where) => {
    const first = store.add(user, place);
    if (first !== undefined && twice === undefined) {
      twice = `${path}: the users export lists '${user.id}' twice (${where(first, place)}); each user once, please.`;
    }
  };
  if (path.toLowerCase().endsWith('.json')) await loadJson(io, path, add);
  else await loadCsv(io, path, options, add);
  if (twice !== undefined) throw new UsageError(twice);
  return { store, count: store.size };
}

type Add = (user: User, place: number, where: (first: number, again: number) => string) => void;

const onLines = (first: number, again: number) => `lines ${first} and ${again}`;
const inArray = (first: number, again: number) => `users ${first} and ${again} of the array`;

async function loadCsv(
  io: Parameters<typeof openInput>[0],
  path: string,
  options: CsvOptions,
  add: Add,
): Promise<void> {
  // A workbook export is read from its first worksheet: --sheet names the bulk file's.
  const { rows } = await openRows(io, path, WHAT, options, undefined);
  try {
    for await (const row of rows) {
      if (!row.result.ok) {
        const found = row.result.issues.find((i) => i.severity === 'error') ?? row.result.issues[0];
        const issue = found === undefined ? undefined : cliIssue(found);
        throw new UsageError(
          `${path}: line ${row.line}: ${issue?.message ?? 'the row is refused'} (${issue?.code ?? 'INVALID'})`,
        );
      }
      const { userId, status, expiresAt } = row.result.update;
      if (status === undefined) {
        throw new UsageError(
          `${path}: line ${row.line}: a users export needs Active Yes or No for every user.`,
        );
      }
      add({ id: userId, status, expiresAt: expiresAt ?? null }, row.line, onLines);
    }
  } catch (error) {
    if (
      isLearnerStatusError(error) &&
      (error.code === 'MISSING_ID_COLUMN' || error.code === 'AMBIGUOUS_ID_COLUMN')
    ) {
      throw new UsageError(
        `${path}: the users export has no usable id column: ${cliErrorMessage(error)}`,
      );
    }
    throw fileError(path, error);
  }
}

/** The text of `path` as UTF-8, piece by piece; an invalid byte is exit 2. */
async function* utf8Pieces(
  io: Parameters<typeof openInput>[0],
  path: string,
): AsyncGenerator<string, void, undefined> {
  const input = await openInput(io, path, WHAT);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const fail = (error: unknown) =>
    new UsageError(
      `cannot read ${WHAT} '${path}': ${error instanceof Error ? error.message : String(error)}.`,
    );
  try {
    for await (const chunk of input) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
  } catch (error) {
    throw error instanceof UsageError ? error : fail(error);
  }
}

const notJson = (path: string, error: unknown) =>
  new UsageError(
    `${path}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
  );

const NOT_AN_ARRAY = (path: string) =>
  new UsageError(
    `${path}: expected a JSON array of users such as [{"id":"u1","status":"active","expiresAt":null}].`,
  );

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The items of a JSON array, each as its own text, read piece by piece: the array's brackets
 * and commas are checked here, each item by `JSON.parse` (through `parse`). A document that
 * is not an array is read whole and said to be one, or not JSON.
 */
async function* jsonArrayItems(
  pieces: AsyncIterable<string>,
  path: string,
): AsyncGenerator<string, void, undefined> {
  // before: before '['; open: after '[' or ','; item: in an item; after: after an item; done.
  let state: 'before' | 'open' | 'item' | 'after' | 'done' = 'before';
  let items = 0;
  let item = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let rest: string | undefined;
  for await (const piece of pieces) {
    if (rest !== undefined) {
      rest += piece;
      continue;
    }
    let start = state === 'item' ? 0 : -1;
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      if (state === 'item') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
          continue;
        }
        if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          if (depth > 0) {
            depth--;
            continue;
          }
        }
        if (depth > 0 || !(c === 0x2c || c === 0x5d || isSpace(c))) continue;
        item += piece.slice(start, i);
        start = -1;
        items++;
        yield item;
        item = '';
        state = 'after';
      }
      if (isSpace(c)) continue;
      if (state === 'before') {
        if (c !== 0x5b) {
          rest = piece.slice(i);
          break;
        }
        state = 'open';
      } else if (state === 'open') {
        if (c === 0x5d && items === 0) state = 'done';
        else if (c === 0x5d || c === 0x2c)
          throw notJson(
            path,
            new SyntaxError(`Unexpected '${piece[i]}' after user ${items} of the array`),
          );
        else {
          state = 'item';
          start = i;
          i--;
        }
      } else if (state === 'after') {
        if (c === 0x2c) state = 'open';
        else if (c === 0x5d) state = 'done';
        else
          throw notJson(
            path,
            new SyntaxError(`Expected ',' or ']' after user ${items} of the array`),
          );
      } else {
        throw notJson(path, new SyntaxError('Unexpected non-whitespace character after the array'));
      }
    }
    if (state === 'item' && start !== -1) item += piece.slice(start);
  }
  if (rest !== undefined || state === 'before') {
    try {
      JSON.parse(rest ?? '');
    } catch (error) {
      throw notJson(path, error);
    }
    // Valid JSON, but not an array.
    throw NOT_AN_ARRAY(path);
  }
  if (state !== 'done') throw notJson(path, new SyntaxError('Unexpected end of JSON input'));
}

async function loadJson(
  io: Parameters<typeof openInput>[0],
  path: string,
  add: Add,
): Promise<void> {
  let place = 0;
  for await (const text of jsonArrayItems(utf8Pieces(io, path), path)) {
    place++;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw notJson(path, error);
    }
    let user: User;
    try {
      user = parseUser(record);
    } catch (error) {
      const message = isLearnerStatusError(error) ? error.message : String(error);
      throw new UsageError(`${path}: user ${place} of the array: ${message}`);
    }
    add(user, place, inArray);
  }
}
