// The admin example's bulk update through HTTP: upload, preview (nothing written), apply
// (exactly the previewed rows), cancel, report, refused files, workbooks (S3, S4, C8, C10, F8).
import type { User } from 'learner-status';
import type { PostgresStore } from 'learner-status/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { row, xlsx } from '../../xlsx/workbooks.js';
import { adminHarness, type Client, type Harness, textOf } from './harness.js';

const NOW = new Date('2026-12-03T10:00:00Z');

let h: Harness;
let admin: Client;
beforeAll(async () => {
  h = await adminHarness({ seed: 30, now: NOW });
  for (const [id, status] of [
    ['ada@example.org', 'active'],
    ['grace@example.org', 'active'],
    ['alan@example.org', 'deactivated'],
    ['edsger@example.org', 'active'],
  ] as const) {
    await h.addLearner({ id, status, expiresAt: null }, id);
  }
  admin = await h.admin();
});
afterAll(() => h.close());

const FILE = [
  'Email,Active,Expiration Date',
  'ada@example.org,No,', // 2: changed
  'grace@example.org,Yes,', // 3: unchanged
  'nobody@example.org,No,', // 4: not found
  'alan@example.org,Maybe,', // 5: invalid, names its user
  'edsger@example.org,,2027-01-31', // 6: changed
  'ADA@example.org,No,', // 7: duplicate of line 2 (C8, C9)
].join('\r\n');

const storedUsers = async () =>
  Object.fromEntries(
    (
      await h.store.readUsers([
        'ada@example.org',
        'grace@example.org',
        'alan@example.org',
        'edsger@example.org',
      ])
    ).map((read) => [read?.user.id, { ...(read?.user as User) }]),
  );
const allEvents = async () =>
  (await h.db.query('SELECT count(*)::int AS n FROM learner_status_events')).rows[0];

const preview = async (client: Client, name: string, content: string | Uint8Array) => {
  const response = await client.upload(name, content);
  expect(response.status).toBe(303);
  const location = response.headers.get('location') ?? '';
  return { location, html: await client.page(location) };
};

/** Applies from the preview page and waits for the job to finish (the page refreshes itself). */
const apply = async (client: Client, location: string) => {
  expect((await client.post(`${location}/apply`, {})).status).toBe(303);
  for (let i = 0; i < 200; i += 1) {
    const html = await client.page(location);
    if (!html.includes('http-equiv="refresh"')) return html;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the apply did not finish');
};

describe('S3: preview, then apply exactly the previewed rows', () => {
  it('the preview lists every row with its line, outcome and problems, and writes nothing', async () => {
    const before = await storedUsers();
    const eventsBefore = await allEvents();
    const { html } = await preview(admin, 'learners.csv', FILE);
    const text = textOf(html);
    expect(text).toContain('Nothing has been written yet. 2 learners would change.');
    expect(text).toMatch(/Changed Unchanged Not found Invalid Duplicate 2 1 1 1 1/);
    expect(text).toMatch(/ 2 ada@example.org Changed ✔ Active .* Deactivated /);
    expect(text).toMatch(/ 4 nobody@example.org Not found .*USER_NOT_FOUND/);
    expect(text).toMatch(
      / 5 alan@example.org Invalid .*INVALID_ACTIVE_VALUE Column 'Active' must be Yes, No/,
    );
    expect(text).toMatch(/ 7 ada@example.org Duplicate .*DUPLICATE_ROW Same change as line 2/);
    expect(text).toContain('Apply 2 changes');
    expect(await storedUsers()).toEqual(before);
    expect(await allEvents()).toEqual(eventsBefore);
  });

  it('apply writes the changed rows and nothing else; a re-upload of the same file changes nothing', async () => {
    const before = await storedUsers();
    const { location } = await preview(admin, 'learners.csv', FILE);
    const done = textOf(await apply(admin, location));
    expect(done).toContain('Applied learners.csv');
    expect(done).toContain('2 learners changed.');
    const after = await storedUsers();
    expect(after['ada@example.org']?.status).toBe('deactivated');
    expect(after['edsger@example.org']?.expiresAt).toEqual(new Date('2027-02-01T00:00:00Z'));
    expect(after['grace@example.org']).toEqual(before['grace@example.org']);
    expect(after['alan@example.org']).toEqual(before['alan@example.org']);
    const events = [
      ...(await h.store.readEvents('ada@example.org')),
      ...(await h.store.readEvents('edsger@example.org')),
    ];
    expect(events.map((event) => [event.userId, event.line, event.source, event.actor])).toEqual([
      ['ada@example.org', 2, 'csv', 'admin'],
      ['edsger@example.org', 6, 'csv', 'admin'],
    ]);

    const again = await preview(admin, 'learners.csv', FILE);
    expect(textOf(again.html)).toContain('0 learners would change');
    expect(textOf(again.html)).toContain('There is nothing to apply');
    expect(again.html).not.toContain('/apply"');
  });

  it('the report downloads as a formula-safe CSV (C10), the preview too', async () => {
    const hostile = 'Email,Active\r\n"=HYPERLINK(""http://evil.example"")",No\r\n';
    const { location } = await preview(admin, 'hostile.csv', hostile);
    const previewCsv = await admin.get(`${location}/report.csv`);
    expect(previewCsv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(previewCsv.headers.get('content-disposition')).toBe(
      'attachment; filename="bulk-preview.csv"',
    );
    const text = await previewCsv.text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('a learner changed between preview and apply keeps that change (conflict)', async () => {
    await h.addLearner({ id: 'moving@example.org', status: 'active', expiresAt: null }, 'Moving');
    const file = 'Email,Expiration Date\r\nmoving@example.org,2027-03-31\r\n';
    const { location } = await preview(admin, 'one.csv', file);
    await admin.post('/admin/learners/moving%40example.org/expiration', {
      action: 'set',
      lastDay: '2027-05-31',
    });
    const done = textOf(await apply(admin, location));
    expect(done).toMatch(/ 2 moving@example.org Conflict .*CONCURRENT_CHANGE/);
    const [read] = await h.store.readUsers(['moving@example.org']);
    expect(read?.user.expiresAt).toEqual(new Date('2027-05-31T23:00:00Z'));
  });

  it("one administrator cannot see or apply another's upload", async () => {
    const { location } = await preview(
      admin,
      'mine.csv',
      'Email,Active\r\ngrace@example.org,No\r\n',
    );
    const other = await h.admin();
    expect((await other.get(location)).status).toBe(404);
    expect((await other.post(`${location}/apply`, {})).status).toBe(404);
    expect((await h.store.readUsers(['grace@example.org']))[0]?.user.status).toBe('active');
  });
});

describe('files refused whole write nothing, and say why', () => {
  it.each([
    [
      'no identifier column',
      'Name,Active\r\nAda,No\r\n',
      'MISSING_ID_COLUMN: Line 1: no column names the user',
    ],
    ['an empty file', '', 'the upload was empty'],
    [
      'a file that is not text',
      new Uint8Array([0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0]),
      'nothing was written',
    ],
  ])('%s', async (_name, content, reason) => {
    const eventsBefore = await allEvents();
    const response = await admin.upload('refused.csv', content);
    expect(response.status).toBe(200);
    const text = textOf(await response.text());
    expect(text).toContain('The file was refused whole; nothing was written.');
    expect(text).toContain(reason);
    expect(await allEvents()).toEqual(eventsBefore);
  });
});

describe('S4: the mass-change guard', () => {
  it('a file that would change more than the share allowed cannot be applied', async () => {
    const strict = h.clientOf({ maxChangeRatio: 0.01 });
    await strict.post('/admin/login', { id: 'admin', password: 'admin-password-for-tests' });
    const response = await strict.upload('many.csv', 'Email,Active\r\ngrace@example.org,No\r\n');
    const location = response.headers.get('location') ?? '';
    const html = await strict.page(location);
    expect(textOf(html)).toContain('This file cannot be applied:');
    expect(html).not.toContain('/apply"');
    await strict.post(`${location}/apply`, {});
    expect((await h.store.readUsers(['grace@example.org']))[0]?.user.status).toBe('active');
  });
});

describe('F8: an .xlsx workbook is read like the CSV, whatever its name', () => {
  it('previews and applies a workbook', async () => {
    await h.addLearner({ id: 'sheet@example.org', status: 'active', expiresAt: null }, 'Sheet');
    const cell = (ref: string, text: string) =>
      `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const book = xlsx({
      sheets: [
        {
          name: 'Learners',
          data:
            row(1, cell('A1', 'Email') + cell('B1', 'Active')) +
            row(2, cell('A2', 'sheet@example.org') + cell('B2', 'No')),
        },
      ],
    });
    const { location, html } = await preview(admin, 'export.csv', book);
    expect(textOf(html)).toMatch(/ 2 sheet@example.org Changed/);
    await apply(admin, location);
    const [event] = await h.store.readEvents('sheet@example.org');
    expect(event?.source).toBe('xlsx');
  });
});

describe('apply shows its progress and can be cancelled', () => {
  it('cancel stops between batches; the report says what was not attempted, and a re-upload applies the rest', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `bulk${i}@example.org`);
    for (const id of ids) await h.addLearner({ id, status: 'active', expiresAt: null }, id);
    let release: () => void = () => {};
    let gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = (store: PostgresStore): PostgresStore => ({
      ...store,
      writeUsers: async (writes) => {
        await gate;
        return store.writeUsers(writes);
      },
    });
    const client = h.clientOf({ store: slow(h.store), maxChangeRatio: 1 });
    await client.post('/admin/login', { id: 'admin', password: 'admin-password-for-tests' });
    const file = `Email,Active\r\n${ids.map((id) => `${id},No`).join('\r\n')}\r\n`;
    const upload = await client.upload('big.csv', file);
    const location = upload.headers.get('location') ?? '';
    await client.post(`${location}/apply`, {});
    const applying = await client.page(location);
    expect(applying).toContain('<meta http-equiv="refresh" content="1">');
    expect(applying).toMatch(/<progress id="progress" max="120" value="0">/);
    expect(textOf(applying)).toContain('Progress: 0 of 120 rows');
    await client.post(`${location}/cancel`, {});
    expect(textOf(await client.page(location))).toContain('Cancelling after the current batch');
    release();
    gate = Promise.resolve();
    let done = '';
    for (let i = 0; i < 200 && !done.includes('Cancelled:'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = textOf(await client.page(location));
    }
    expect(done).toContain('Cancelled: big.csv');
    expect(done).toContain('50 learners changed. The rest was not attempted');
    expect(done).toMatch(/Conflict Failed Cancelled 50 0 0 0 0 0 0 70 /);
    const rest = await preview(client, 'big.csv', file);
    expect(textOf(rest.html)).toContain('70 learners would change');
  });
});
