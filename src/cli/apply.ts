/// <reference types="node" />
// learner-status apply <file.csv> --database-url <url>: plans the file against the PostgreSQL
// store, shows the summary, asks for confirmation on a terminal (or --yes), applies with a
// progress bar on a terminal's stderr, writes the report. `pg` is an optional peer
// dependency, loaded only here.
import { createInterface } from 'node:readline';
import {
  applyBulkUpdate,
  type BulkPlan,
  type BulkProgress,
  type BulkReport,
  formatBulkReportCsv,
  isLearnerStatusError,
  type PlanOptions,
  planBulkUpdate,
} from '../index.js';
import { createPostgresStore, type PostgresStore } from '../postgres/index.js';
import { APPLY } from './commands.js';
import { fileError, writeReport } from './files.js';
import { cliErrorMessage, cliGuard, cliRows } from './flags.js';
import { plural, printable } from './format.js';
import { commandHelp } from './help.js';
import {
  type CliIo,
  type CliOutput,
  EXIT_OK,
  EXIT_ROW_ERRORS,
  type Paint,
  paintFor,
  UsageError,
} from './io.js';
import {
  csvOptions,
  nowOption,
  onePositional,
  parseCommand,
  ratioOption,
  wholeNumberOption,
} from './options.js';
import { type Problem, problemJson, problemsTable } from './problems.js';
import { rowsTable } from './rows-table.js';
import { type FileRows, openRows, readAsText } from './source.js';

/** Problems listed in the human output; the rest are in --json and --report. */
const SHOWN_PROBLEMS = 50;

/** What apply needs of node-postgres: a Pool with query and end. */
interface PgPool {
  query(text: string, params?: unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

type PoolConstructor = new (config: {
  connectionString: string;
  max?: number;
  connectionTimeoutMillis?: number;
}) => PgPool;

// A specifier the bundler cannot follow, so `pg` stays an optional peer: resolved at run time
// from the user's node_modules, never bundled into dist/cli.js.
const PG_MODULE = ['p', 'g'].join('');

async function loadPg(): Promise<PoolConstructor> {
  let loaded: unknown;
  try {
    loaded = await import(PG_MODULE);
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new UsageError(
        "install pg to use apply: 'npm install pg' (an optional peer dependency).",
      );
    }
    throw new UsageError(
      `install pg to use apply: loading it failed (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const candidates = [loaded, (loaded as { default?: unknown } | null)?.default];
  for (const candidate of candidates) {
    const pool = (candidate as { Pool?: unknown } | null | undefined)?.Pool;
    if (typeof pool === 'function') return pool as PoolConstructor;
  }
  throw new UsageError('install pg to use apply: the installed pg has no Pool.');
}

function dbMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return dbMessage(error.errors[0]);
  const base = error instanceof Error ? error.message : String(error);
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const text = base === '' && typeof code === 'string' ? code : base;
  return printable(text.split('\n')[0] ?? text);
}

function pgIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The tables must exist: apply never migrates. Also the first round trip: a connection check. */
async function checkTables(
  pool: PgPool,
  schema: string,
  users: string,
  events: string,
): Promise<void> {
  let row: { users?: unknown; events?: unknown } | undefined;
  try {
    const result = await pool.query(
      'SELECT to_regclass($1)::text AS users, to_regclass($2)::text AS events',
      [
        `${pgIdentifier(schema)}.${pgIdentifier(users)}`,
        `${pgIdentifier(schema)}.${pgIdentifier(events)}`,
      ],
    );
    row = result.rows[0] as typeof row;
  } catch (error) {
    throw new UsageError(`cannot connect to the database: ${dbMessage(error)}`);
  }
  const missing = [
    row?.users === null || row?.users === undefined ? `${schema}.${users}` : null,
    row?.events === null || row?.events === undefined ? `${schema}.${events}` : null,
  ].filter((name): name is string => name !== null);
  if (missing.length > 0) {
    throw new UsageError(
      `the database has no table ${missing.join(' and no table ')}: create the tables first with the store's migration (createPostgresStore(pool).migrate() or postgresSchemaSql() from learner-status/postgres); apply never creates them.`,
    );
  }
}

/** One line from a terminal: true for y or yes. */
async function confirm(io: CliIo, question: string): Promise<boolean> {
  const input = io.stdin;
  if (input === undefined) return false;
  io.stderr.write(question);
  const rl = createInterface({ input, terminal: false });
  try {
    const answer = await new Promise<string | null>((resolve) => {
      rl.once('line', (line) => resolve(line));
      rl.once('close', () => resolve(null));
    });
    return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}

/** `[########------------]  40%  400/1000 rows`, redrawn in place on a terminal. */
function progressLine(processed: number, total: number, width = 24): string {
  const share = total === 0 ? 1 : Math.min(1, processed / total);
  const filled = Math.round(share * width);
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}  ${processed}/${total} rows`;
}

function progressBar(output: CliOutput): {
  update(progress: BulkProgress): void;
  done(): void;
} {
  if (output.isTTY !== true) return { update: () => {}, done: () => {} };
  let drawn = false;
  return {
    update({ processed, total }) {
      output.write(`\r\u001b[2KApplying ${progressLine(processed, total)}`);
      drawn = true;
    },
    done() {
      if (drawn) output.write('\n');
    },
  };
}

function issuesOf(rows: BulkPlan['rows'] | BulkReport['rows']): Problem[] {
  return rows.flatMap((row) =>
    row.issues.map((issue) => ({ line: row.line, userId: row.userId, ...issue })),
  );
}

function totalsText(totals: Readonly<Record<string, number>>, order: readonly string[]): string {
  return order.map((outcome) => `${totals[outcome] ?? 0} ${outcome}`).join(', ');
}

const PLAN_ORDER = ['changed', 'unchanged', 'duplicate', 'not-found', 'invalid'] as const;
const REPORT_ORDER = [...PLAN_ORDER, 'conflict', 'failed', 'cancelled'] as const;
const FAILING = ['not-found', 'invalid', 'conflict', 'failed', 'cancelled'] as const;

function writeProblems(io: CliIo, problems: readonly Problem[], paint: Paint): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, SHOWN_PROBLEMS);
  io.stdout.write(`\n${problemsTable(shown, paint)}`);
  if (problems.length > shown.length) {
    io.stdout.write(
      `... and ${plural(problems.length - shown.length, 'more problem')} (all of them in --report or --json)\n`,
    );
  }
}

export async function apply(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(APPLY, args);
  if (values.help) {
    io.stdout.write(commandHelp(APPLY));
    return EXIT_OK;
  }
  const file = onePositional('apply', positionals, '<file.csv>');
  const url = values['database-url'] ?? io.env['DATABASE_URL'];
  if (url === undefined || url === '') {
    throw new UsageError(
      'apply: missing --database-url <postgres-url> (or the environment variable DATABASE_URL).',
    );
  }
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new UsageError(
      'apply: --database-url must be a postgres:// or postgresql:// URL, such as postgres://user@localhost:5432/lms.',
    );
  }
  const fixedNow = values.now !== undefined;
  const now = await nowOption(values.now, () => new Date());
  const maxChanges = wholeNumberOption('--max-changes', values['max-changes'], 0);
  const maxChangeRatio = ratioOption(values['max-change-ratio']);
  // applyBulkUpdate's own bounds, checked before the plan and the question rather than after.
  const batchSize = wholeNumberOption('--batch-size', values['batch-size'], 1, 100_000);
  const options = csvOptions(values);
  const tables = {
    schema: values.schema ?? 'public',
    usersTable: values['users-table'] ?? 'learner_status_users',
    eventsTable: values['events-table'] ?? 'learner_status_events',
  };
  const source = await openRows(io, file, 'the file', options, values.sheet);
  const Pool = await loadPg();

  let pool: PgPool;
  try {
    pool = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 15_000 });
  } catch (error) {
    throw new UsageError(`cannot connect to the database: ${dbMessage(error)}`);
  }
  // An idle client losing its connection must not crash the process; the next query fails.
  pool.on('error', () => {});
  try {
    let store: PostgresStore;
    try {
      store = createPostgresStore(pool, tables);
    } catch (error) {
      throw new UsageError(isLearnerStatusError(error) ? cliErrorMessage(error) : dbMessage(error));
    }
    await checkTables(pool, tables.schema, tables.usersTable, tables.eventsTable);
    return await planAndApply(io, {
      file,
      source,
      store,
      now,
      fixedNow,
      maxChanges,
      maxChangeRatio,
      batchSize,
      actor: values.actor ?? 'learner-status-cli',
      yes: values.yes === true,
      json: values.json === true,
      report: values.report,
      csv: options,
    });
  } finally {
    await pool.end().catch(() => {});
  }
}

interface Run {
  readonly file: string;
  readonly source: FileRows;
  readonly store: PostgresStore;
  readonly now: Date;
  readonly fixedNow: boolean;
  readonly maxChanges: number | undefined;
  readonly maxChangeRatio: number | undefined;
  readonly batchSize: number | undefined;
  readonly actor: string;
  readonly yes: boolean;
  readonly json: boolean;
  readonly report: string | undefined;
  readonly csv: ReturnType<typeof csvOptions>;
}

function storeOrFileError(file: string, error: unknown): UsageError {
  if (isLearnerStatusError(error) && error.code === 'STORE_FAILED') {
    return new UsageError(`database: ${dbMessage(error)}`);
  }
  return fileError(file, error);
}

async function planAndApply(io: CliIo, run: Run): Promise<number> {
  const paint = paintFor(io.stdout, io.env);
  const { maxChanges, maxChangeRatio } = run;
  let plan: BulkPlan;
  let totalUsers: number | undefined;
  try {
    // Counted here rather than by the plan, so that the guard's line can name the number the
    // ratio is taken of.
    totalUsers = maxChangeRatio === undefined ? undefined : await run.store.countUsers?.();
    const planOptions: PlanOptions = {
      now: run.now,
      source: 'csv',
      actor: run.actor,
      maxChanges,
      maxChangeRatio,
      totalUsers,
    };
    plan = await planBulkUpdate(run.source.rows, run.store, planOptions);
  } catch (error) {
    throw storeOrFileError(run.file, error);
  }
  // The plan as the command line says it (flags, not library options) in every output; the
  // plan itself is what applyBulkUpdate takes.
  const planRows = cliRows(plan.rows);
  const guard =
    plan.guard === null ? null : cliGuard(plan.guard, { maxChanges, maxChangeRatio, totalUsers });
  const shownPlan: BulkPlan = { ...plan, rows: planRows, guard };
  const planProblems = issuesOf(planRows);
  const refused = guard?.refused === true;
  const changes = plan.totals.changed;

  if (!run.json) {
    io.stdout.write(
      `Plan for ${printable(run.file)} (${readAsText(run.source.readAs.value)}) at ${plan.now.toISOString()}: ${plural(plan.rows.length, 'row')}\n`,
    );
    // What the confirmation is about: every row that changes a user, and every row that will
    // not do what the file asks (unchanged rows without a warning would only be noise).
    const table = rowsTable(
      planRows.filter((row) => row.outcome === 'changed' || row.issues.length > 0),
      paint,
    );
    if (table !== '') io.stdout.write(`\n${table}`);
    writeProblems(io, planProblems, paint);
    io.stdout.write(`\nPlan totals: ${totalsText(plan.totals, PLAN_ORDER)}\n`);
    if (guard !== null) {
      const line = `Guard: ${guard.message}`;
      io.stdout.write(`${refused ? paint.red(line) : line}\n`);
    }
  }

  // `result` with its rows as the command line says them.
  const finish = async (
    result: BulkPlan | BulkReport,
    applied: boolean,
    note: string,
  ): Promise<number> => {
    if (run.report !== undefined) await writeReport(io, run.report, formatBulkReportCsv(result));
    const problems = issuesOf(result.rows);
    const failing =
      refused ||
      problems.some((p) => p.severity === 'error') ||
      FAILING.some((outcome) => ((result.totals as Record<string, number>)[outcome] ?? 0) > 0);
    if (run.json) {
      io.stdout.write(
        `${JSON.stringify(
          {
            file: run.file,
            ...run.source.readAs.value,
            now: plan.now.toISOString(),
            applied,
            valid: !failing,
            planTotals: plan.totals,
            guard,
            totals: result.totals,
            problems: problems.map(problemJson),
          },
          null,
          2,
        )}\n`,
      );
    } else {
      io.stdout.write(`${note}\n`);
      if (run.report !== undefined) io.stdout.write(`Report written to ${printable(run.report)}\n`);
    }
    return failing ? EXIT_ROW_ERRORS : EXIT_OK;
  };

  if (refused)
    return finish(shownPlan, false, paint.red('Nothing was written: the guard refused.'));
  if (changes === 0) return finish(shownPlan, false, 'Nothing to apply: no row changes a user.');

  if (!run.yes) {
    if (io.stdin?.isTTY !== true) {
      throw new UsageError(
        `apply: refusing to write ${plural(changes, 'change')} without confirmation: stdin is not a terminal; pass --yes to apply without asking.`,
      );
    }
    const ok = await confirm(
      io,
      `Apply ${plural(changes, 'change')} to the database? Type y to confirm [y/N]: `,
    );
    if (!ok) {
      io.stderr.write('Declined: nothing was written.\n');
      return EXIT_ROW_ERRORS;
    }
  }

  const bar = progressBar(io.stderr);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let report: BulkReport;
  try {
    report = await applyBulkUpdate(plan, run.store, {
      now: run.fixedNow ? plan.now : new Date(),
      signal: controller.signal,
      onProgress: (progress) => bar.update(progress),
      ...(run.batchSize === undefined ? {} : { batchSize: run.batchSize }),
    });
  } catch (error) {
    throw storeOrFileError(run.file, error);
  } finally {
    process.removeListener('SIGINT', onSigint);
    bar.done();
  }
  const reportRows = cliRows(report.rows);
  if (!run.json) {
    // The report has the plan's rows in the plan's order (S4), so index i is the same row:
    // conflicts, failures, cancellations, and a user deleted meanwhile (now not-found).
    const missed = reportRows.filter((row, i) => row.outcome !== plan.rows[i]?.outcome);
    if (missed.length > 0) {
      io.stdout.write(
        `\nNot applied as planned: ${plural(missed.length, 'row')}\n${rowsTable(missed, paint)}`,
      );
    }
    const failures = issuesOf(reportRows).filter((p) =>
      ['CONCURRENT_CHANGE', 'STORE_FAILED', 'STOPPED_AFTER_FAILURE', 'CANCELLED'].includes(p.code),
    );
    writeProblems(io, failures, paint);
  }
  const note = report.cancelled
    ? 'Cancelled: the rows after the interruption were not written.'
    : report.stoppedByFailure
      ? 'Stopped after a store failure: re-run the same file to finish (applied rows plan as unchanged).'
      : `Applied ${plural(report.totals.changed, 'change')}.`;
  return finish(
    { ...report, rows: reportRows },
    true,
    `${run.json ? '' : `Totals: ${totalsText(report.totals, REPORT_ORDER)}\n`}${note}`,
  );
}
