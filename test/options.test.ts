import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/csv/index.js';
import { checkLogin, createMemoryStore, planBulkUpdate } from '../src/index.js';
import { closestName } from '../src/options.js';
import { userArb } from '../src/testing/index.js';

// Everywhere, an unknown option is refused by name (never silently ignored) and the message
// names the closest valid one, so a misspelling is fixed without reading the source.
const NOW = new Date('2026-06-01T00:00:00Z');
const user = { id: 'u1', status: 'active' as const, expiresAt: null };

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('an unknown option names the closest valid one', () => {
  it('on the login path (L1) the key is named, without a suggestion (its size budget)', () => {
    expect(messageOf(() => checkLogin(user, NOW, { maxSessionMS: 1 } as never))).toBe(
      '`maxSessionMS` must be left out (unknown).',
    );
  });

  it('in the testing kit, by edit distance', () => {
    expect(messageOf(() => userArb({ withExpiresat: true } as never))).toContain(
      '`withExpiresat` must be left out (unknown; did you mean `withExpiresAt`?).',
    );
  });

  it('in the CSV reader (C4): timezone', () => {
    expect(messageOf(() => parseCsv('Email,Active\n', { timezone: 'UTC' } as never))).toMatch(
      /^Unknown option `timezone`\. Did you mean `timeZone`\? The CSV options are: /,
    );
  });

  it('in bulk updates (S3): maxchange', async () => {
    const error = await planBulkUpdate([], createMemoryStore([]), {
      now: NOW,
      maxchange: 3,
    } as never).then(
      () => new Error('expected a refusal'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(
      /^Unknown option "maxchange" of planBulkUpdate \(did you mean `maxChanges`\?\); the options are /,
    );
  });

  it('names nothing when no option is close', () => {
    expect(messageOf(() => userArb({ colour: 'red' } as never))).toBe(
      '`colour` must be left out (unknown).',
    );
  });
});

describe('closestName', () => {
  const NAMES = ['timeZone', 'idColumn', 'dateFormats', 'activeValues', 'maxBytes', 'maxRows'];

  test.prop([fc.constantFrom(...NAMES), fc.boolean()])(
    'a known name in other case is that name',
    (name, upper) => {
      expect(closestName(upper ? name.toUpperCase() : name.toLowerCase(), NAMES)).toBe(name);
    },
  );

  test.prop([fc.constantFrom(...NAMES), fc.nat(), fc.constantFrom('x', 'q', '')])(
    'one character replaced, dropped or added still finds a name at most that far',
    (name, at, letter) => {
      const i = at % name.length;
      const typo = name.slice(0, i) + letter + name.slice(i + 1);
      const found = closestName(typo, NAMES);
      expect(found).toBeDefined();
      // The original is one edit away, so whatever is found is no farther.
      expect(NAMES).toContain(found);
    },
  );

  it('finds nothing for a name three or more edits from every option', () => {
    expect(closestName('colour', NAMES)).toBeUndefined();
    expect(closestName('', ['ab', 'abc'])).toBe('ab');
    expect(closestName('abcdef', [])).toBeUndefined();
  });
});
