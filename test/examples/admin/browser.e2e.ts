// The admin example as a person uses it, in Debian's Chromium driven by playwright-core:
// selectors by role and accessible name only. Run by `npm run test:e2e` (CI installs Chromium
// first). Screenshots go to reports/screenshots/, or to docs/images/ with SCREENSHOTS=docs
// (`npm run screenshots:admin`), which is how the README's pictures are made.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type AccountStatus, effectiveStatus, type User } from 'learner-status';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countByStatus } from '../../../examples/admin/learners.js';
import { dateInZone } from '../../../examples/admin/seed.js';
import { ADMIN, adminHarness, type Harness, LEARNER_PASSWORD, TIME_ZONE } from './harness.js';

const root = join(import.meta.dirname, '..', '..', '..');
const shots =
  process.env['SCREENSHOTS'] === 'docs'
    ? join(root, 'docs', 'images')
    : join(root, 'reports', 'screenshots');

function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'Chromium is not installed: run `sudo apt-get install chromium` (bash .ci/run installs it).',
    );
  }
}

let h: Harness;
let server: Server;
let url: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  h = await adminHarness({ seed: 300, now: new Date(), maxChangeRatio: 0.5 });
  ({ server, url } = await new Promise<{ server: Server; url: string }>((resolve) => {
    const started = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server: started as Server, url: `http://127.0.0.1:${info.port}` }),
    );
  }));
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
    timeout: 60_000,
  });
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
  await h?.close();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  // Every page of every test loaded without an error in the browser console.
  expect(consoleErrors.splice(0)).toEqual([]);
});

/** The text a person sees in an element (playwright's innerText, not the DOM's). */
// biome-ignore lint/performance/useDomNodeTextContent: a playwright Locator, not a DOM node.
const shown = (locator: Locator): Promise<string> => locator.innerText();

/** A new browser (context: its own cookies), whose console errors fail the test. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${String(error)}`));
  return page;
}

async function adminPage(): Promise<Page> {
  const page = await newPage();
  await page.goto(`${url}/admin`);
  await expect
    .poll(() => page.getByRole('heading', { name: 'Administrator login' }).count())
    .toBe(1);
  await page.getByLabel('Name').fill(ADMIN.name);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Learners' }).waitFor();
  return page;
}

const stored = async (id: string) => (await h.store.readUsers([id]))[0]?.user as User;
const effectiveOf = async (id: string) => effectiveStatus(await stored(id), h.clock.now);

/** The learners of one effective status, from the database. */
async function idsWith(status: AccountStatus): Promise<string[]> {
  const { rows } = await h.db.query<{ id: string }>(
    'SELECT id FROM learner_status_users ORDER BY id',
  );
  const users = await h.store.readUsers(rows.map((row) => row.id));
  return users.flatMap((read) =>
    read && effectiveStatus(read.user, h.clock.now) === status ? [read.user.id] : [],
  );
}

describe('the admin page in Chromium', () => {
  it('the list shows the three statuses with the right counts', async () => {
    const page = await adminPage();
    const counts = await countByStatus(h.db, h.clock.now);
    expect(counts.active * counts.deactivated * counts.expired).toBeGreaterThan(0);
    for (const [status, label] of [
      ['active', 'Active'],
      ['deactivated', 'Deactivated'],
      ['expired', 'Expired'],
    ] as const) {
      await expect
        .poll(() => page.getByRole('link', { name: `${label} (${counts[status]})` }).count())
        .toBe(1);
    }
    const total = counts.active + counts.deactivated + counts.expired;
    expect(await page.getByRole('link', { name: `All (${total})` }).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'admin-list.jpg'), type: 'jpeg', quality: 50 });

    await page.getByRole('link', { name: `Expired (${counts.expired})` }).click();
    await page.getByRole('table').waitFor();
    const cells = page.getByRole('row').filter({ has: page.getByRole('cell') });
    const listed = await cells.count();
    expect(listed).toBe(Math.min(25, counts.expired));
    for (let i = 0; i < listed; i += 1) {
      expect(await shown(cells.nth(i).getByRole('cell').nth(2))).toBe('Expired');
    }
  });

  it('deactivating ends the learner’s open session in a second browser', async () => {
    const [learnerId] = await idsWith('active');
    if (learnerId === undefined) throw new Error('no active learner in the seed');
    const learner = await newPage();
    await learner.goto(`${url}/login`);
    await learner.getByLabel('Email').fill(learnerId);
    await learner.getByLabel('Password').fill('not the password');
    await learner.getByRole('button', { name: 'Log in' }).click();
    expect(await shown(learner.getByRole('alert'))).toBe('Invalid login or no access.');
    await learner.getByLabel('Email').fill(learnerId);
    await learner.getByLabel('Password').fill(LEARNER_PASSWORD);
    await learner.getByRole('button', { name: 'Log in' }).click();
    await learner.getByRole('heading', { name: 'Your courses' }).waitFor();

    const admin = await adminPage();
    await admin.getByLabel('Search by name or email').fill(learnerId);
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByRole('row').filter({ hasText: learnerId }).getByRole('link').click();
    await admin.getByRole('radio', { name: 'Deactivated' }).check();
    await admin.getByRole('button', { name: 'Save status' }).click();
    await admin.getByRole('status').filter({ hasText: 'Deactivated.' }).waitFor();
    expect(await effectiveOf(learnerId)).toBe('deactivated');

    await learner.reload();
    await learner.getByRole('heading', { name: 'Learner login' }).waitFor();
    expect(await shown(learner.getByRole('status'))).toBe(
      'Your session has ended. Please log in again.',
    );
  });

  it('Expired is shown but cannot be chosen; an expired learner becomes Active by moving the date', async () => {
    // Expired by the clock alone (stored active): moving the date is all it takes (R4, R8).
    let learnerId: string | undefined;
    for (const id of await idsWith('expired')) {
      if ((await stored(id)).status === 'active') {
        learnerId = id;
        break;
      }
    }
    if (learnerId === undefined) throw new Error('no learner expired by the clock in the seed');
    const admin = await adminPage();
    await admin.goto(`${url}/admin/learners/${encodeURIComponent(learnerId)}`);
    expect(await admin.getByRole('radio', { name: 'Expired' }).isDisabled()).toBe(true);
    const lastDay = dateInZone(h.clock.now, 60, TIME_ZONE);
    await admin.getByLabel(/Expiration date: last day of access/).fill(lastDay);
    await admin.getByRole('button', { name: 'Save expiration date' }).click();
    await admin.getByRole('status').filter({ hasText: 'Expiration date saved.' }).waitFor();
    expect(await effectiveOf(learnerId)).toBe('active');
    expect(await admin.getByRole('definition').filter({ hasText: 'Active' }).count()).toBe(1);
    expect(await admin.getByRole('table', { name: 'History' }).getByRole('row').count()).toBe(2);
  });

  it('a bulk CSV with mistakes: a preview with the right lines, nothing written until Apply, then exactly those rows, and the report', async () => {
    const active = await idsWith('active');
    const deactivated = await idsWith('deactivated');
    const [a, b] = active.slice(-2);
    const [c] = deactivated.slice(-1);
    if (a === undefined || b === undefined || c === undefined) throw new Error('seed too small');
    const file = [
      'Email,Active,Expiration Date',
      `${a},No,`, // 2 changed
      `${b},Yes,`, // 3 unchanged
      'nobody@example.org,No,', // 4 not found
      `${c},Perhaps,`, // 5 invalid
      `${c},Yes,2031-02-30`, // 6 invalid date
    ].join('\r\n');
    const before = await h.store.readUsers([a, b, c]);
    const page = await adminPage();
    await page.getByRole('link', { name: 'Bulk update' }).click();
    await page.getByLabel(/CSV or Excel file/).setInputFiles({
      name: 'learners.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(file),
    });
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'Preview of learners.csv' }).waitFor();
    await page.screenshot({
      path: join(shots, 'admin-bulk-preview.jpg'),
      type: 'jpeg',
      quality: 50,
      fullPage: true,
    });

    const rows = page.getByRole('table', { name: 'Rows of the file' }).getByRole('row');
    const lines = [];
    for (let i = 1; i < (await rows.count()); i += 1) {
      const cells = rows.nth(i).getByRole('cell');
      lines.push([await shown(cells.nth(0)), await shown(cells.nth(2))]);
    }
    expect(lines).toEqual([
      ['2', 'Changed'],
      ['3', 'Unchanged'],
      ['4', 'Not found'],
      ['5', 'Invalid'],
      ['6', 'Invalid'],
    ]);
    expect(await shown(rows.nth(4))).toContain('INVALID_ACTIVE_VALUE');
    expect(await shown(rows.nth(5))).toContain('INVALID_DATE');
    expect(await h.store.readUsers([a, b, c])).toEqual(before);

    await page.getByRole('button', { name: 'Apply 1 change' }).click();
    await page.getByRole('heading', { name: 'Applied learners.csv' }).waitFor();
    const after = await h.store.readUsers([a, b, c]);
    expect(after[0]?.user.status).toBe('deactivated');
    expect(after.slice(1)).toEqual(before.slice(1));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the report (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('bulk-report.csv');
    const report = readFileSync((await download.path()) ?? '', 'utf8').split('\r\n');
    expect(report[0]).toMatch(/^Line,User,Outcome,/);
    expect(
      report.filter((line) => /^\d/.test(line)).map((line) => line.split(',').slice(0, 3)),
    ).toEqual([
      ['2', a, 'changed'],
      ['3', b, 'unchanged'],
      ['4', 'nobody@example.org', 'not-found'],
      ['5', c, 'invalid'],
      ['6', c, 'invalid'],
    ]);
  });

  it('a refused file writes nothing and says why', async () => {
    const events = async () =>
      (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM learner_status_events'))
        .rows[0]?.n;
    const before = await events();
    const page = await adminPage();
    await page.goto(`${url}/admin/bulk`);
    await page.getByLabel(/CSV or Excel file/).setInputFiles({
      name: 'names.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Name,Active\r\nAda,No\r\n'),
    });
    await page.getByRole('button', { name: 'Preview' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await shown(alert)).toContain('The file was refused whole; nothing was written.');
    expect(await shown(alert)).toContain('no column names the user');
    expect(await events()).toBe(before);
  });
});
