// The pages, rendered on the server as plain HTML. Every value goes through hono's html``,
// which escapes it: a learner named <img src=x onerror=alert(1)> shows as text. No script runs
// on any page; the progress of an apply refreshes itself with a meta refresh.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import {
  type AccountStatus,
  type BulkIssue,
  type BulkRow,
  STATUS_INFO,
  type StatusChangeEvent,
  type StatusSnapshot,
} from 'learner-status';
import { expirationInstant } from 'learner-status/dates';
import type { BulkJob } from './bulk-jobs.js';
import type { LearnerListRow } from './learners.js';
import type { AdminSession } from './security.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What every page needs to know. */
export interface PageContext {
  readonly timeZone: string;
  /** Set on admin pages: the signed-in administrator (for the menu and the forms' token). */
  readonly admin?: AdminSession | undefined;
}

const STATUSES: readonly AccountStatus[] = ['active', 'deactivated', 'expired'];

/** The label of a status, with a green check mark for Active (the seed's screen). */
function statusBadge(status: AccountStatus): Html {
  const { label } = STATUS_INFO[status];
  return status === 'active'
    ? html`<span class="status status-active"><span class="check" aria-hidden="true">✔</span> ${label}</span>`
    : html`<span class="status status-${status}">${label}</span>`;
}

const day = (instant: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(instant);

/**
 * An expiration instant as the portal shows it, in its time zone: the last day of access
 * (`2026-12-31` = access through that day, R11), or the instant itself when it is not the
 * start of a day there (set through the API to a time of day).
 */
function expirationText(expiresAt: Date | null, timeZone: string): string {
  if (expiresAt === null) return 'Never';
  const lastDay = day(new Date(expiresAt.getTime() - 1), timeZone);
  try {
    if (expirationInstant(lastDay, timeZone).getTime() === expiresAt.getTime()) return lastDay;
  } catch {
    // A year outside 0000-9999 cannot be written as a date-only value: shown as an instant.
  }
  return `until ${timeText(expiresAt, timeZone)}`;
}

/** An instant in the portal's zone, to the minute. */
const timeText = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(
    instant,
  );

/** The token field that every state-changing form carries. */
const csrfField = (admin: AdminSession | undefined) =>
  admin === undefined ? '' : html`<input type="hidden" name="csrf" value="${admin.csrf}">`;

/** A form that only posts (a button), with the token. */
const postButton = (ctx: PageContext, action: string, label: string, extra: Html | string = '') =>
  html`<form method="post" action="${action}" class="inline">${csrfField(ctx.admin)}${extra}<button type="submit">${label}</button></form>`;

function layout(ctx: PageContext, title: string, body: Html, head: Html | string = ''): Html {
  const flash = ctx.admin?.flash;
  if (ctx.admin !== undefined) ctx.admin.flash = undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · learner-status admin example</title>
<link rel="stylesheet" href="/static/admin.css">
<link rel="icon" href="/static/icon.svg" type="image/svg+xml">
${head}
</head>
<body>
<header>
<nav aria-label="Main">
${
  ctx.admin === undefined
    ? html`<a href="/login">Learner login</a> <a href="/admin/login">Administrators</a>`
    : html`<a href="/admin/learners">Learners</a> <a href="/admin/bulk">Bulk update</a>
<span class="who">Signed in as ${ctx.admin.name}</span> ${postButton(ctx, '/admin/logout', 'Log out')}`
}
</nav>
</header>
<main>
${flash === undefined ? '' : html`<p role="status" class="flash flash-${flash.tone}">${flash.text}</p>`}
${body}
</main>
<footer><p>Dates are shown in the portal's time zone, ${ctx.timeZone}.</p></footer>
</body>
</html>`;
}

/** A page with a message only (not found, forbidden, refused). */
export const messagePage = (ctx: PageContext, title: string, message: string): Html =>
  layout(ctx, title, html`<h1>${title}</h1><p>${message}</p>`);

export function loginPage(
  ctx: PageContext,
  options: { title: string; action: string; idLabel: string; error?: string; notice?: string },
): Html {
  return layout(
    ctx,
    options.title,
    html`<h1>${options.title}</h1>
${options.notice === undefined ? '' : html`<p role="status">${options.notice}</p>`}
${options.error === undefined ? '' : html`<p role="alert" class="error">${options.error}</p>`}
<form method="post" action="${options.action}" class="stacked">
<label for="id">${options.idLabel}</label>
<input id="id" name="id" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>`,
  );
}

export function learnerHome(ctx: PageContext, learnerId: string, expiresAt: Date | null): Html {
  return layout(
    ctx,
    'Your courses',
    html`<h1>Your courses</h1>
<p>Signed in as ${learnerId}. Your session ends ${
      expiresAt === null ? 'when you close the browser' : `on ${timeText(expiresAt, ctx.timeZone)}`
    }.</p>
<form method="post" action="/logout"><button type="submit">Log out</button></form>`,
  );
}

export interface ListPageData {
  readonly rows: readonly LearnerListRow[];
  readonly total: number;
  readonly counts: Readonly<Record<AccountStatus, number>>;
  readonly status: AccountStatus | null;
  readonly search: string;
  readonly page: number;
  readonly pages: number;
  readonly renderedAt: Date;
}

const listUrl = (status: AccountStatus | null, search: string, page: number) => {
  const query = new URLSearchParams();
  if (status !== null) query.set('status', status);
  if (search !== '') query.set('q', search);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text === '' ? '/admin/learners' : `/admin/learners?${text}`;
};

export function listPage(ctx: PageContext, data: ListPageData): Html {
  const all = STATUSES.reduce((sum, status) => sum + data.counts[status], 0);
  const filter = (status: AccountStatus | null, label: string, count: number) =>
    html`<li><a href="${listUrl(status, data.search, 1)}"${
      data.status === status ? html` aria-current="page"` : ''
    }>${label} (${count})</a></li>`;
  return layout(
    ctx,
    'Learners',
    html`<h1>Learners</h1>
<nav aria-label="Filter by status"><ul class="filters">
${filter(null, 'All', all)}
${STATUSES.map((status) => filter(status, STATUS_INFO[status].label, data.counts[status]))}
</ul></nav>
<form method="get" action="/admin/learners" role="search" class="search">
${data.status === null ? '' : html`<input type="hidden" name="status" value="${data.status}">`}
<label for="q">Search by name or email</label>
<input id="q" name="q" type="search" value="${data.search}">
<button type="submit">Search</button>
</form>
<table>
<caption>${data.total} ${data.status === null ? '' : `${STATUS_INFO[data.status].label} `}learner${data.total === 1 ? '' : 's'}${data.search === '' ? '' : html` matching “${data.search}”`}, as of ${timeText(data.renderedAt, ctx.timeZone)}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Status</th><th scope="col">Expiration date</th></tr></thead>
<tbody>
${data.rows.map(
  (row) => html`<tr>
<td><a href="/admin/learners/${encodeURIComponent(row.id)}">${row.name}</a></td>
<td>${row.email}</td>
<td>${statusBadge(row.effective)}</td>
<td>${expirationText(row.expiresAt, ctx.timeZone)}</td>
</tr>`,
)}
</tbody>
</table>
${data.rows.length === 0 ? html`<p>No learner matches.</p>` : ''}
<nav aria-label="Pages" class="pages">
${data.page > 1 ? html`<a href="${listUrl(data.status, data.search, data.page - 1)}" rel="prev">Previous page</a>` : ''}
<span>Page ${data.page} of ${data.pages}</span>
${data.page < data.pages ? html`<a href="${listUrl(data.status, data.search, data.page + 1)}" rel="next">Next page</a>` : ''}
</nav>`,
  );
}

const snapshotText = (snapshot: StatusSnapshot | null, timeZone: string) =>
  snapshot === null
    ? html`—`
    : html`${statusBadge(snapshot.effective)}<br><span class="detail">stored ${snapshot.status}, expiration date ${expirationText(snapshot.expiresAt, timeZone)}</span>`;

export interface LearnerPageData {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly storedStatus: 'active' | 'deactivated';
  readonly expiresAt: Date | null;
  readonly effective: AccountStatus;
  readonly history: readonly StatusChangeEvent[];
}

export function learnerPage(ctx: PageContext, data: LearnerPageData): Html {
  const base = `/admin/learners/${encodeURIComponent(data.id)}`;
  // The date field shows the last day of access; an expiry at a time of day (set through the
  // API) has no such day, and the field starts empty.
  const lastDay =
    data.expiresAt === null
      ? ''
      : expirationText(data.expiresAt, ctx.timeZone).replace(/^until .*/, '');
  const radio = (status: 'active' | 'deactivated') =>
    html`<label><input type="radio" name="status" value="${status}"${
      data.storedStatus === status ? html` checked` : ''
    }> ${STATUS_INFO[status].label}</label>`;
  return layout(
    ctx,
    data.name,
    html`<h1>${data.name}</h1>
<dl class="facts">
<dt>Email</dt><dd>${data.email}</dd>
<dt>Status</dt><dd>${statusBadge(data.effective)}</dd>
<dt>Expiration date</dt><dd>${expirationText(data.expiresAt, ctx.timeZone)}</dd>
<dt>Can log in</dt><dd>${STATUS_INFO[data.effective].canLogIn ? 'Yes' : 'No'}</dd>
</dl>
<form method="post" action="${base}/status" class="stacked">
${csrfField(ctx.admin)}
<fieldset>
<legend>Status</legend>
${radio('active')}
${radio('deactivated')}
<label class="disabled"><input type="radio" name="status" value="expired" disabled aria-describedby="expired-hint"> Expired</label>
<p id="expired-hint" class="hint">Expired cannot be chosen: it follows from the expiration date. Move the date to give access back.</p>
</fieldset>
<button type="submit">Save status</button>
</form>
<form method="post" action="${base}/expiration" class="stacked">
${csrfField(ctx.admin)}
<label for="last-day">Expiration date: last day of access (${ctx.timeZone})</label>
<input id="last-day" name="lastDay" type="date" value="${lastDay}">
<div class="buttons">
<button type="submit" name="action" value="set">Save expiration date</button>
<button type="submit" name="action" value="clear">Remove expiration date</button>
</div>
</form>
<table>
<caption>History</caption>
<thead><tr><th scope="col">When</th><th scope="col">By</th><th scope="col">From</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
<tbody>
${data.history.map(
  (event) => html`<tr>
<td>${timeText(event.at, ctx.timeZone)}</td>
<td>${event.actor ?? '—'}</td>
<td>${event.source ?? '—'}${event.line === undefined ? '' : `, line ${event.line}`}</td>
<td>${snapshotText(event.before, ctx.timeZone)}</td>
<td>${snapshotText(event.after, ctx.timeZone)}</td>
</tr>`,
)}
</tbody>
</table>
${data.history.length === 0 ? html`<p>No change recorded yet.</p>` : ''}`,
  );
}

export function uploadPage(
  ctx: PageContext,
  options: { maxUploadBytes: number; error?: string },
): Html {
  return layout(
    ctx,
    'Bulk update',
    html`<h1>Bulk update</h1>
${options.error === undefined ? '' : html`<div role="alert" class="error"><p>The file was refused whole; nothing was written.</p><p>${options.error}</p></div>`}
<p>Upload a CSV file or an Excel workbook with a header row: an identifier column (such as
<code>Email</code>), <code>Active</code> (Yes or No) and/or <code>Expiration Date</code>
(the last day of access, such as 2026-12-31, read in ${ctx.timeZone}). You see every row before
anything is written.</p>
<form method="post" action="/admin/bulk" enctype="multipart/form-data" class="stacked">
${csrfField(ctx.admin)}
<label for="file">CSV or Excel file (at most ${Math.floor(options.maxUploadBytes / 1024 / 1024)} MB)</label>
<input id="file" name="file" type="file" accept=".csv,.txt,.tsv,.xlsx,text/csv" required>
<button type="submit">Preview</button>
</form>`,
  );
}

const OUTCOME_LABELS: Readonly<Record<string, string>> = {
  changed: 'Changed',
  unchanged: 'Unchanged',
  'not-found': 'Not found',
  invalid: 'Invalid',
  duplicate: 'Duplicate',
  conflict: 'Conflict',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const issuesText = (issues: readonly BulkIssue[]) =>
  issues.length === 0
    ? ''
    : html`<ul class="issues">${issues.map(
        (issue) =>
          html`<li class="${issue.severity}"><span class="code">${issue.code}</span> ${issue.message}</li>`,
      )}</ul>`;

/** Rows shown on a page; the rest is in the CSV download. */
const SHOWN_ROWS = 1000;

function rowsTable(ctx: PageContext, caption: string, rows: readonly BulkRow<string>[]): Html {
  const shown = rows.slice(0, SHOWN_ROWS);
  return html`<table class="rows">
<caption>${caption}${rows.length > SHOWN_ROWS ? ` (the first ${SHOWN_ROWS} of ${rows.length}; the download has them all)` : ''}</caption>
<thead><tr><th scope="col">Line</th><th scope="col">Learner</th><th scope="col">Outcome</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Problems</th></tr></thead>
<tbody>
${shown.map(
  (row) => html`<tr class="outcome-${row.outcome}">
<td>${row.line}</td>
<td>${row.userId ?? '—'}</td>
<td>${OUTCOME_LABELS[row.outcome] ?? row.outcome}</td>
<td>${snapshotText(row.before, ctx.timeZone)}</td>
<td>${snapshotText(row.after, ctx.timeZone)}</td>
<td>${issuesText(row.issues)}</td>
</tr>`,
)}
</tbody>
</table>`;
}

function totalsTable(caption: string, totals: Readonly<Record<string, number>>): Html {
  const entries = Object.entries(totals);
  return html`<table class="totals">
<caption>${caption}</caption>
<thead><tr>${entries.map(([outcome]) => html`<th scope="col">${OUTCOME_LABELS[outcome] ?? outcome}</th>`)}</tr></thead>
<tbody><tr>${entries.map(([, count]) => html`<td>${count}</td>`)}</tr></tbody>
</table>`;
}

export function jobPage(ctx: PageContext, job: BulkJob): Html {
  const base = `/admin/bulk/${job.id}`;
  if (job.state === 'preview') {
    const { plan } = job;
    const changes = plan.totals.changed;
    const refused = plan.guard?.refused === true;
    return layout(
      ctx,
      `Preview of ${job.fileName}`,
      html`<h1>Preview of ${job.fileName}</h1>
<p role="status">Nothing has been written yet. ${changes} learner${changes === 1 ? '' : 's'} would change.</p>
${totalsTable('Rows by outcome', plan.totals)}
${
  refused
    ? html`<div role="alert" class="error"><p>This file cannot be applied: ${plan.guard?.message ?? ''}</p>
<p>Split it into smaller files, or check that it is the file you meant.</p></div>`
    : changes === 0
      ? html`<p>There is nothing to apply: every row is unchanged or has a problem.</p>`
      : postButton(ctx, `${base}/apply`, `Apply ${changes} change${changes === 1 ? '' : 's'}`)
}
<p><a href="${base}/report.csv" download>Download the preview (CSV)</a> · <a href="/admin/bulk">Upload another file</a></p>
${rowsTable(ctx, 'Rows of the file', plan.rows)}`,
    );
  }
  if (job.state === 'applying') {
    const processed = job.progress?.processed ?? 0;
    const total = job.progress?.total ?? job.plan.rows.length;
    return layout(
      ctx,
      `Applying ${job.fileName}`,
      html`<h1>Applying ${job.fileName}</h1>
<label for="progress">Progress: ${processed} of ${total} rows</label>
<progress id="progress" max="${total}" value="${processed}">${processed} of ${total}</progress>
${job.cancel.signal.aborted ? html`<p role="status">Cancelling after the current batch…</p>` : postButton(ctx, `${base}/cancel`, 'Cancel')}`,
      html`<meta http-equiv="refresh" content="1">`,
    );
  }
  const report = job.report;
  const title = report?.cancelled ? `Cancelled: ${job.fileName}` : `Applied ${job.fileName}`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${
  report === null
    ? html`<p role="alert" class="error">The update stopped: ${job.error ?? 'unknown error'}. Rows already written stay written; upload the file again to see what is left.</p>`
    : html`<p role="status">${report.totals.changed} learner${report.totals.changed === 1 ? '' : 's'} changed.${
        report.cancelled
          ? ' The rest was not attempted: upload the same file again to apply it.'
          : ''
      }</p>
${totalsTable('Rows by outcome', report.totals)}
<p><a href="${base}/report.csv" download>Download the report (CSV)</a> · <a href="/admin/bulk">Upload another file</a></p>
${rowsTable(ctx, 'Rows of the report', report.rows)}`
}`,
  );
}
