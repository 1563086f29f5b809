import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, inProcess, oneLine, tempDir } from './run.js';

// Issue 18: the users export is read as a stream into the store, never held whole: a CSV, a
// workbook, or a JSON array read item by item. What it refuses is refused as before: one line
// on stderr naming where, exit 2.

const NOW = '2026-11-25T09:00:00Z';
const dir = tempDir();

function users(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const preview = (usersPath: string, ...more: string[]) =>
  inProcess(['preview', fixture('clean.csv'), '--users', usersPath, '--now', NOW, ...more]);

describe('the users export (issue 18)', () => {
  it('a user listed twice in a CSV: exit 2, naming both lines', async () => {
    const path = users(
      'twice.csv',
      'Email,Active\nada@example.org,Yes\ngrace@example.org,Yes\nada@example.org,No\n',
    );
    const run = await preview(path);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toBe(
      `learner-status: error: ${path}: the users export lists 'ada@example.org' twice (lines 2 and 4); each user once, please.`,
    );
  });

  it('a user listed twice in a JSON array: exit 2, naming both positions', async () => {
    const record = (id: string) => JSON.stringify({ id, status: 'active', expiresAt: null });
    const path = users('twice.json', `[${record('a')}, ${record('b')}, ${record('a')}]`);
    const run = await preview(path);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(/lists 'a' twice \(users 1 and 3 of the array\)/);
  });

  it('a refused row after a repeated user is what is said (the file is read to its end first)', async () => {
    const path = users(
      'both.csv',
      'Email,Active\nada@example.org,Yes\nada@example.org,Yes\ngrace@example.org,Maybe\n',
    );
    const run = await preview(path);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(/both\.csv: line 4: .*\(INVALID_ACTIVE_VALUE\)$/);
  });

  it('JSON read item by item: strings with brackets, commas and escapes, any spacing', async () => {
    const path = users(
      'odd.json',
      ' \n[ {"id":"ada@example.org","status":"active","expiresAt":"2027-07-01T00:00:00Z","note":"[,]\\"}"},\n\t{"id":"grace@example.org","status":"deactivated","expiresAt":null} ]\n',
    );
    const run = await preview(path, '--json');
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ totals: { changed: 2, 'not-found': 0 } });
  });

  it.each([
    ['', /not valid JSON \(Unexpected end of JSON input\)/],
    ['{"id":"u1"}', /expected a JSON array of users/],
    ['"users"', /expected a JSON array of users/],
    ['nonsense', /not valid JSON \(/],
    ['[{"id":"u1","status":"active","expiresAt":null}', /not valid JSON \(Unexpected end/],
    ['[{"id":"u1","status":"active","expiresAt":null},]', /not valid JSON \(/],
    ['[{"id":"u1","status":"active","expiresAt":null}] x', /not valid JSON \(/],
    ['[{"id":"u1",}]', /not valid JSON \(/],
    ['[1]', /user 1 of the array: Invalid user record/],
  ])('a JSON export %j is refused in one line, exit 2', async (text, message) => {
    const run = await preview(users('bad.json', text));
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(message);
  });

  it('an empty JSON array is an export of no users', async () => {
    const run = await preview(users('none.json', '[ ]'), '--json');
    expect(JSON.parse(run.stdout)).toMatchObject({ totals: { 'not-found': 2 } });
  });
});
