import * as fc from 'fast-check';
import type { StoredStatus, User } from '../../status/types.js';
import type { UserWrite, WriteResult } from '../../store/types.js';
import type { StatusChangeEvent } from '../../transitions/types.js';
import { check, checkEqual, checkEvent, checkUser } from './assert.js';
import {
  type ConformanceCase,
  type ConformanceUser,
  conformanceUser,
  type ErasedFactory,
  type StoreUnderTest,
} from './cases.js';

// The model is the contract in miniature: what each user must look like, every version the
// store ever answered for them (so that a stale one can be sent on purpose), and the events.
interface ModelUser {
  user: User;
  current: string;
  old: string[];
}
interface Model {
  users: Map<string, ModelUser>;
  events: StatusChangeEvent[];
  /** A user of the store for an id it does not hold (the writes of unknown ids). */
  stranger(id: string): User;
}
interface Real {
  underTest: StoreUnderTest;
}

const KNOWN = ['u0', 'u1', 'u2', 'u3', 'u4'] as const;
const IDS = [...KNOWN, 'ghost-5', 'ghost-6'] as const;
const NOW = new Date('2026-06-01T00:00:00.000Z');

/** The instants a store holds, in epoch ms: the whole Date range unless it states its own. */
export interface InstantBounds {
  readonly min: number;
  readonly max: number;
}

/** Instants from year 1 to 9999 within `bounds`, and the largest one, `now` and just before. */
function instantArbOf(bounds: InstantBounds): fc.Arbitrary<Date | null> {
  return fc.oneof(
    fc.constant(null),
    fc
      .integer({
        min: Math.max(bounds.min, -62_135_596_800_000),
        max: Math.min(bounds.max, 253_402_300_799_999),
      })
      .map((ms) => new Date(ms)),
    fc.constantFrom(
      new Date(Math.min(bounds.max, 8.64e15)),
      new Date(NOW.getTime()),
      new Date(NOW.getTime() - 1),
    ),
  );
}

type VersionChoice = 'current' | 'stale' | 'bogus';

interface WriteSpec {
  readonly id: string;
  readonly choice: VersionChoice;
  readonly status: StoredStatus;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly withEvent: boolean;
}

function effectiveOf(status: StoredStatus, expiresAt: Date | null) {
  return expiresAt !== null && NOW.getTime() >= expiresAt.getTime() ? 'expired' : status;
}

class ReadCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ids: readonly string[]) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const answers = await real.underTest.store.readUsers(this.ids);
    checkEqual(answers.length, this.ids.length, 'S1 model: readUsers length');
    this.ids.forEach((id, index) => {
      const expected = model.users.get(id);
      const answer = answers[index];
      if (expected === undefined) {
        checkEqual(answer, null, `S1 model: read of unknown ${id}`);
        return;
      }
      check(answer !== null && answer !== undefined, `S1 model: ${id} must be found.`);
      checkUser(answer.user, expected.user, `S1 model: read of ${id}`);
      checkEqual(answer.version, expected.current, `S1 model: version of ${id}`);
    });
  }
  toString(): string {
    return `read(${this.ids.join(',')})`;
  }
}

class WriteCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly specs: readonly WriteSpec[]) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const planned: { spec: WriteSpec; write: UserWrite; expect: WriteResult['status'] }[] = [];
    for (const spec of this.specs) {
      const entry = model.users.get(spec.id);
      let version = 'bogus-version';
      let expect: WriteResult['status'] = 'conflict';
      if (entry === undefined) {
        expect = 'not-found';
      } else if (spec.choice === 'current') {
        version = entry.current;
        expect = 'ok';
      } else if (spec.choice === 'stale' && entry.old.length > 0) {
        version = entry.old[entry.old.length - 1]!;
      }
      // The record as the store holds it, the store's own fields included (S1: a write
      // carries the complete record), with the contract's fields of this write.
      const user: User = {
        ...(entry?.user ?? model.stranger(spec.id)),
        id: spec.id,
        status: spec.status,
        expiresAt: spec.expiresAt,
        accessRevokedAt: spec.revokedAt,
      };
      const before = entry?.user ?? user;
      const event: StatusChangeEvent | null = spec.withEvent
        ? {
            userId: spec.id,
            at: NOW,
            actor: 'model',
            source: 'api',
            before: {
              status: before.status,
              expiresAt: before.expiresAt,
              effective: effectiveOf(before.status, before.expiresAt),
            },
            after: {
              status: spec.status,
              expiresAt: spec.expiresAt,
              effective: effectiveOf(spec.status, spec.expiresAt),
            },
            endSessions: false,
          }
        : null;
      planned.push({ spec, write: { user, expectedVersion: version, event }, expect });
    }
    const results = await real.underTest.store.writeUsers(planned.map((p) => p.write));
    checkEqual(results.length, planned.length, 'S1 model: writeUsers length');
    planned.forEach(({ spec, write, expect }, index) => {
      const result = results[index]!;
      checkEqual(result.status, expect, `S1 model: write ${index} (${spec.id}, ${spec.choice})`);
      if (result.status !== 'ok') return;
      const entry = model.users.get(spec.id)!;
      check(
        result.version !== entry.current && !entry.old.includes(result.version),
        `S1 model: ${spec.id} got the version ${JSON.stringify(result.version)} again; a new version must never repeat an old one.`,
      );
      entry.old.push(entry.current);
      entry.current = result.version;
      entry.user = write.user;
      if (write.event !== null) model.events.push(write.event);
    });
  }
  toString(): string {
    return `write(${this.specs.map((s) => `${s.id}:${s.choice}:${s.status}:${s.expiresAt?.toISOString() ?? 'never'}${s.withEvent ? ':event' : ''}`).join(',')})`;
  }
}

class EventsCommand implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    if (real.underTest.events === undefined) return;
    const events = await real.underTest.events();
    checkEqual(events.length, model.events.length, 'S1 model: number of events recorded');
    model.events.forEach((expected, index) => {
      checkEvent(events[index], expected, `S1 model: event ${index}`);
    });
  }
  toString(): string {
    return 'events()';
  }
}

function commandArbsOf(bounds: InstantBounds) {
  const instantArb = instantArbOf(bounds);
  const writeSpecArb: fc.Arbitrary<WriteSpec> = fc.record({
    id: fc.constantFrom(...IDS),
    choice: fc.constantFrom<VersionChoice>('current', 'current', 'stale', 'bogus'),
    status: fc.constantFrom<StoredStatus>('active', 'deactivated'),
    expiresAt: instantArb,
    revokedAt: fc.oneof(fc.constant(null), instantArb),
    withEvent: fc.boolean(),
  });
  return [
    fc
      .uniqueArray(fc.constantFrom(...IDS), { minLength: 1, maxLength: IDS.length })
      .map((ids) => new ReadCommand(ids)),
    fc
      .uniqueArray(writeSpecArb, { minLength: 1, maxLength: 4, selector: (spec) => spec.id })
      .map((specs) => new WriteCommand(specs)),
    fc.constant(new EventsCommand()),
  ];
}

/**
 * S1, S2: random sequences of batched reads and conditional writes (current, stale and bogus
 * versions, unknown ids, instants across the store's range) against an in-memory model.
 */
export function modelBasedCase(
  factory: ErasedFactory,
  numRuns: number,
  storeUser: (base: ConformanceUser) => User,
  bounds: InstantBounds,
): ConformanceCase {
  const commandArbs = commandArbsOf(bounds);
  return {
    name: 'S1 model-based: random read/write sequences agree with the model (fc.commands)',
    run: () =>
      fc.assert(
        fc.asyncProperty(fc.commands(commandArbs, { maxCommands: 12 }), async (commands) => {
          const seed: User[] = KNOWN.map((id, index) =>
            storeUser(
              conformanceUser(
                id,
                index % 2 === 0 ? 'active' : 'deactivated',
                index === 3 ? new Date('2026-01-01T00:00:00.000Z') : null,
              ),
            ),
          );
          const underTest = await factory.create(seed);
          try {
            const reads = await underTest.store.readUsers(KNOWN);
            const users = new Map<string, ModelUser>();
            KNOWN.forEach((id, index) => {
              const read = reads[index];
              check(read !== null && read !== undefined, `S1 model: seeded ${id} must be found.`);
              users.set(id, { user: seed[index]!, current: read.version, old: [] });
            });
            const model: Model = {
              users,
              events: [],
              stranger: (id) => storeUser(conformanceUser(id)),
            };
            const real: Real = { underTest };
            await fc.asyncModelRun(() => ({ model, real }), commands);
            // Whatever the sequence, the events recorded at the end are exactly the model's.
            await new EventsCommand().run(model, real);
          } finally {
            await underTest.close?.();
          }
        }),
        { numRuns },
      ),
  };
}
