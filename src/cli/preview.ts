/// <reference types="node" />
// learner-status preview <file.csv> --users <export>: the dry run (S3). Nothing is written
// anywhere but the optional report.
import {
  type BulkPlan,
  createMemoryStore,
  formatBulkReportCsv,
  type PlanOptions,
  type PlanOutcome,
  planBulkUpdate,
} from '../index.js';
import { fileError, writeReport } from './files.js';
import { printable, snapshotJson } from './format.js';
import { type CliIo, EXIT_OK, EXIT_ROW_ERRORS, paintFor, UsageError } from './io.js';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  csvOptions,
  nowOption,
  onePositional,
  parseCommand,
} from './options.js';
import { type Problem, problemJson, problemsTable } from './problems.js';
import { rowsTable } from './rows-table.js';
import { openRows, readAsText } from './source.js';
import { loadUsers } from './users.js';

const PREVIEW_HELP = `Usage: learner-status preview <file.csv|file.xlsx> --users <users.csv|users.xlsx|users.json> [options]

The dry run: plans the bulk file against an export of current users and shows, for each
row, the stored status, expiration date and effective status before and after, the
warnings, duplicates and unknown users, and the totals. Nothing is written.

The users export is a CSV or .xlsx workbook with the bulk file's columns (an id column,
Active Yes/No, optional Expiration Date; read with the same --delimiter, --encoding and
--date-format, and its own first worksheet) or a JSON array of {"id","status","expiresAt"}
records.

  --users <file>             the export of current users (required)
  --max-change-ratio <0..1>  refuse (exit 1) when more than this share of the users would change
${COMMON_HELP}

Exit codes: 0 clean, 1 some rows have errors or the guard trips, 2 a file is refused or bad usage.
`;

const PREVIEW_OPTIONS = {
  ...COMMON_OPTIONS,
  users: { type: 'string' },
  'max-change-ratio': { type: 'string' },
} as const;

const OUTCOME_ORDER: readonly PlanOutcome[] = [
  'changed',
  'unchanged',
  'duplicate',
  'not-found',
  'invalid',
];

export function ratioOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ratio = Number(value);
  if (value.trim() === '' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new UsageError(
      `--max-change-ratio must be a number from 0 to 1, such as 0.2, but it is '${value}'.`,
    );
  }
  return ratio;
}

export async function preview(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('preview', args, PREVIEW_OPTIONS);
  if (values.help) {
    io.stdout.write(PREVIEW_HELP);
    return EXIT_OK;
  }
  const file = onePositional('preview', positionals, '<file.csv>');
  if (values.users === undefined || values.users === '') {
    throw new UsageError(
      `preview: missing --users <users.csv|users.json>, the export of current users.`,
    );
  }
  const now = await nowOption(values.now, () => new Date());
  const maxChangeRatio = ratioOption(values['max-change-ratio']);
  const options = csvOptions(values);

  const users = await loadUsers(io, values.users, options);
  const store = createMemoryStore(users);
  const source = await openRows(io, file, 'the file', options, values.sheet);
  const planOptions: PlanOptions = { now, source: 'csv', maxChangeRatio };
  let plan: BulkPlan;
  try {
    plan = await planBulkUpdate(source.rows, store, planOptions);
  } catch (error) {
    throw fileError(file, error);
  }
  const problems: Problem[] = plan.rows.flatMap((row) =>
    row.issues.map((issue) => ({ line: row.line, userId: row.userId, ...issue })),
  );
  const hasErrors = problems.some((p) => p.severity === 'error');
  const refused = plan.guard?.refused === true;
  if (values.report !== undefined) await writeReport(io, values.report, formatBulkReportCsv(plan));

  if (values.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          file,
          ...source.readAs.value,
          users: values.users,
          now: plan.now.toISOString(),
          valid: !hasErrors && !refused,
          totals: plan.totals,
          guard: plan.guard,
          rows: plan.rows.map((row) => ({
            line: row.line,
            userId: row.userId,
            outcome: row.outcome,
            before: snapshotJson(row.before),
            after: snapshotJson(row.after),
            issues: row.issues.map((issue) =>
              problemJson({ line: row.line, userId: row.userId, ...issue }),
            ),
          })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const paint = paintFor(io.stdout, io.env);
    io.stdout.write(
      `Preview of ${printable(file)} (${readAsText(source.readAs.value)}) against ${printable(values.users)} (${users.length} users) at ${plan.now.toISOString()}\n\n`,
    );
    io.stdout.write(rowsTable(plan.rows, paint));
    if (problems.length > 0) io.stdout.write(`\n${problemsTable(problems, paint)}`);
    const totals = OUTCOME_ORDER.map((outcome) => `${plan.totals[outcome]} ${outcome}`).join(', ');
    io.stdout.write(`\nTotals: ${plan.rows.length} rows: ${totals}\n`);
    if (plan.guard !== null) {
      const line = `Guard: ${plan.guard.message}`;
      io.stdout.write(`${refused ? paint.red(line) : line}\n`);
    }
    if (values.report !== undefined)
      io.stdout.write(`Report written to ${printable(values.report)}\n`);
  }
  return hasErrors || refused ? EXIT_ROW_ERRORS : EXIT_OK;
}
