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
  isLearnerStatusError,
  type PlanOptions,
  planBulkUpdate,
  type ReportRow,
  type UserStore,
} from '../index.js';
import { createPostgresStore, type PostgresStore } from '../postgres/index.js';
import { APPLY } from './commands.js';
import { fileError } from './files.js';
import { cliErrorMessage, cliGuard } from './flags.js';
import { plural, printable } from './format.js';
import { heapKeeper } from './heap.js';
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
import {
  countProblems,
  nestedJson,
  problemsOf,
  writeBulkReport,
  writeJsonDocument,
} from './plan-output.js';
import { type Problem, problemJson, problemsTable } from './problems.js';
import { rowsTable, selectRows } from './rows-table.js';
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

/** A duration as `m:ss`, or `h:mm:ss` from an hour on. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/**
 * How fast rows are written, and so how long the rest will take.
 *
 * @example
 * ```ts
 * const pace: ProgressPace = { from: 1000, elapsedMs: 2000 };
 * ```
 */
export interface ProgressPace {
  /** Rows settled when the writes began (the rows that write nothing). */
  readonly from: number;
  /** Milliseconds since the writes began. */
  readonly elapsedMs: number;
}

/**
 * `[########------------]  40%  400/1000 rows  1,234 rows/s  0:42 left`, redrawn in place on a
 * terminal. The rate counts the rows written since the writes began (not the unchanged rows
 * settled at once), so the time left is what a million-row apply will still take.
 *
 * @example
 * ```ts
 * progressLine(6000, 46000, { from: 1000, elapsedMs: 2000 });
 * // '[###---------------------]  13%  6000/46000 rows  2,500 rows/s  0:16 left'
 * ```
 */
export function progressLine(
  processed: number,
  total: number,
  pace?: ProgressPace,
  width = 24,
): string {
  const share = total === 0 ? 1 : Math.min(1, processed / total);
  const filled = Math.round(share * width);
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}  ${processed}/${total} rows`;
  if (pace === undefined || pace.elapsedMs <= 0 || processed <= pace.from) return bar;
  const rate = ((processed - pace.from) * 1000) / pace.elapsedMs;
  const left = processed >= total ? 'done' : `${clock((total - processed) / rate)} left`;
  return `${bar}  ${Math.round(rate).toLocaleString('en-US')} rows/s  ${left}`;
}

function progressBar(
  output: CliOutput,
  from: number,
): {
  update(progress: BulkProgress): void;
  done(): void;
} {
  if (output.isTTY !== true) return { update: () => {}, done: () => {} };
  const start = performance.now();
  let drawn = false;
  return {
    update({ processed, total }) {
      const pace = { from, elapsedMs: performance.now() - start };
      output.write(`\r\u001b[2KApplying ${progressLine(processed, total, pace)}`);
      drawn = true;
    },
    done() {
      if (drawn) output.write('\n');
    },
  };
}

function totalsText(totals: Readonly<Record<string, number>>, order: readonly string[]): string {
  return order.map((outcome) => `${totals[outcome] ?? 0} ${outcome}`).join(', ');
}

const PLAN_ORDER = ['changed', 'unchanged', 'duplicate', 'not-found', 'invalid'] as const;
const REPORT_ORDER = [...PLAN_ORDER, 'conflict', 'failed', 'cancelled'] as const;
const FAILING = ['not-found', 'invalid', 'conflict', 'failed', 'cancelled'] as const;

/** The first {@link SHOWN_PROBLEMS} problems as a table, and how many more there are. */
function writeProblems(io: CliIo, problems: Iterable<Problem>, paint: Paint): void {
  const shown: Problem[] = [];
  let count = 0;
  for (const problem of problems) {
    count++;
    if (shown.length < SHOWN_PROBLEMS) shown.push(problem);
  }
  if (count === 0) return;
  io.stdout.write(`\n${problemsTable(shown, paint)}`);
  if (count > shown.length) {
    io.stdout.write(
      `... and ${plural(count - shown.length, 'more problem')} (all of them in --report or --json)\n`,
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
    });
  } finally {
    await pool.end().catch(() => {});
  }
}

/**
 * One run of apply, once the options are read and the database is reached.
 *
 * @example
 * ```ts
 * const run: Run = { file: 'bulk.csv', source, store, now, fixedNow: false, yes: true, json: false, ... };
 * ```
 */
export interface Run {
  readonly file: string;
  readonly source: FileRows;
  /** The PostgreSQL store; any UserStore in the tests of the printers. */
  readonly store: UserStore;
  readonly now: Date;
  readonly fixedNow: boolean;
  readonly maxChanges: number | undefined;
  readonly maxChangeRatio: number | undefined;
  readonly batchSize: number | undefined;
  readonly actor: string;
  readonly yes: boolean;
  readonly json: boolean;
  readonly report: string | undefined;
}

function storeOrFileError(file: string, error: unknown): UsageError {
  if (isLearnerStatusError(error) && error.code === 'STORE_FAILED') {
    return new UsageError(`database: ${dbMessage(error)}`);
  }
  return fileError(file, error);
}

const NOT_AS_PLANNED = new Set([
  'CONCURRENT_CHANGE',
  'STORE_FAILED',
  'STOPPED_AFTER_FAILURE',
  'CANCELLED',
]);

/**
 * Plans `run.file` against `run.store`, prints the plan, asks, applies and prints the
 * outcome; answers the exit code. Every output that has a line per row (the JSON's problems,
 * the report, the tables' rows) is written as it is made, or bounded (issue 18).
 *
 * @example
 * ```ts
 * const code = await planAndApply(io, { file, source, store, now, fixedNow: true, yes: true, json: false, ... });
 * ```
 */
export async function planAndApply(io: CliIo, run: Run): Promise<number> {
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
  // The plan as the command line says it (flags, not library options) in every output: the
  // guard here, each row's problems as it is printed; the plan itself is what
  // applyBulkUpdate takes.
  const guard =
    plan.guard === null ? null : cliGuard(plan.guard, { maxChanges, maxChangeRatio, totalUsers });
  const refused = guard?.refused === true;
  const changes = plan.totals.changed;

  if (!run.json) {
    io.stdout.write(
      `Plan for ${printable(run.file)} (${readAsText(run.source.readAs.value)}) at ${plan.now.toISOString()}: ${plural(plan.rows.length, 'row')}\n`,
    );
    // What the confirmation is about: every row that changes a user, and every row that will
    // not do what the file asks (unchanged rows without a warning would only be noise).
    const table = rowsTable(
      plan.rows,
      paint,
      (row) => row.outcome === 'changed' || row.issues.length > 0,
    );
    if (table !== '') io.stdout.write(`\n${table}`);
    writeProblems(io, problemsOf(plan.rows), paint);
    io.stdout.write(`\nPlan totals: ${totalsText(plan.totals, PLAN_ORDER)}\n`);
    if (guard !== null) {
      const line = `Guard: ${guard.message}`;
      io.stdout.write(`${refused ? paint.red(line) : line}\n`);
    }
  }

  const finish = async (
    result: BulkPlan | BulkReport,
    applied: boolean,
    note: string,
  ): Promise<number> => {
    if (run.report !== undefined) await writeBulkReport(io, run.report, result.rows);
    const failing =
      refused ||
      countProblems(result.rows).hasErrors ||
      FAILING.some((outcome) => ((result.totals as Record<string, number>)[outcome] ?? 0) > 0);
    if (run.json) {
      await writeJsonDocument(
        io.stdout,
        {
          file: run.file,
          ...run.source.readAs.value,
          now: plan.now.toISOString(),
          applied,
          valid: !failing,
          planTotals: plan.totals,
          guard,
          totals: result.totals,
        },
        'problems',
        problemTexts(result.rows),
      );
    } else {
      io.stdout.write(`${note}\n`);
      if (run.report !== undefined) io.stdout.write(`Report written to ${printable(run.report)}\n`);
    }
    return failing ? EXIT_ROW_ERRORS : EXIT_OK;
  };

  if (refused) return finish(plan, false, paint.red('Nothing was written: the guard refused.'));
  if (changes === 0) return finish(plan, false, 'Nothing to apply: no row changes a user.');

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

  const bar = progressBar(io.stderr, plan.rows.length - changes);
  const keepHeap = heapKeeper();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let report: BulkReport;
  try {
    report = await applyBulkUpdate(plan, run.store, {
      now: run.fixedNow ? plan.now : new Date(),
      signal: controller.signal,
      onProgress: (progress) => {
        bar.update(progress);
        keepHeap();
      },
      ...(run.batchSize === undefined ? {} : { batchSize: run.batchSize }),
    });
  } catch (error) {
    throw storeOrFileError(run.file, error);
  } finally {
    process.removeListener('SIGINT', onSigint);
    bar.done();
  }
  if (!run.json) {
    // The report has the plan's rows in the plan's order (S4), so index i is the same row:
    // conflicts, failures, cancellations, and a user deleted meanwhile (now not-found).
    const missed = (row: ReportRow, i: number) => row.outcome !== plan.rows[i]?.outcome;
    const { count } = selectRows(report.rows, missed, 0);
    if (count > 0) {
      io.stdout.write(
        `\nNot applied as planned: ${plural(count, 'row')}\n${rowsTable(report.rows, paint, missed)}`,
      );
    }
    writeProblems(io, failuresOf(report.rows), paint);
  }
  const note = report.cancelled
    ? cancelledNote(report.totals.changed, changes)
    : report.stoppedByFailure
      ? 'Stopped after a store failure: re-run the same file to finish (applied rows plan as unchanged).'
      : `Applied ${plural(report.totals.changed, 'change')}.`;
  return finish(
    report,
    true,
    `${run.json ? '' : `Totals: ${totalsText(report.totals, REPORT_ORDER)}\n`}${note}`,
  );
}

/**
 * S4, after Ctrl-C: what was written, and that the same file finishes the work (the rows
 * already applied plan as unchanged and are not written again).
 *
 * @example
 * ```ts
 * cancelledNote(1, 2); // 'Cancelled: 1 change of 2 applied before the interruption; ...'
 * ```
 */
export function cancelledNote(applied: number, planned: number): string {
  return `Cancelled: ${plural(applied, 'change')} of ${planned} applied before the interruption; the other ${planned - applied === 1 ? '1 row was' : `${planned - applied} rows were`} not written. Run the same file again to apply only the rest: the rows already applied plan as unchanged (S4).`;
}

/** The problems that say why a row was not applied as planned. */
function* failuresOf(rows: readonly ReportRow[]): Generator<Problem, void, undefined> {
  for (const problem of problemsOf(rows)) if (NOT_AS_PLANNED.has(problem.code)) yield problem;
}

/** Each problem's JSON text, as `JSON.stringify` lays it out in `{ problems: [...] }`. */
function* problemTexts(rows: readonly ReportRow[]): Generator<string, void, undefined> {
  for (const problem of problemsOf(rows)) yield nestedJson(problemJson(problem), 2);
}
