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
import { PREVIEW } from './commands.js';
import { fileError, writeReport } from './files.js';
import { cliGuard, cliRows } from './flags.js';
import { printable, snapshotJson } from './format.js';
import { commandHelp } from './help.js';
import { type CliIo, EXIT_OK, EXIT_ROW_ERRORS, paintFor, UsageError } from './io.js';
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
import { openRows, readAsText } from './source.js';
import { loadUsers } from './users.js';

const OUTCOME_ORDER: readonly PlanOutcome[] = [
  'changed',
  'unchanged',
  'duplicate',
  'not-found',
  'invalid',
];

export async function preview(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(PREVIEW, args);
  if (values.help) {
    io.stdout.write(commandHelp(PREVIEW));
    return EXIT_OK;
  }
  const file = onePositional('preview', positionals, '<file.csv>');
  if (values.users === undefined || values.users === '') {
    throw new UsageError(
      `preview: missing --users <users.csv|users.json>, the export of current users.`,
    );
  }
  const now = await nowOption(values.now, () => new Date());
  const maxChanges = wholeNumberOption('--max-changes', values['max-changes'], 0);
  const maxChangeRatio = ratioOption(values['max-change-ratio']);
  const options = csvOptions(values);

  const users = await loadUsers(io, values.users, options);
  const store = createMemoryStore(users);
  const source = await openRows(io, file, 'the file', options, values.sheet);
  // The ratio is of the users in the export, the number the guard's message then names.
  const totalUsers = users.length;
  const planOptions: PlanOptions = { now, source: 'csv', maxChanges, maxChangeRatio, totalUsers };
  let planned: BulkPlan;
  try {
    planned = await planBulkUpdate(source.rows, store, planOptions);
  } catch (error) {
    throw fileError(file, error);
  }
  // The plan as the command line says it (flags, not library options) in every output.
  const guard =
    planned.guard === null
      ? null
      : cliGuard(planned.guard, { maxChanges, maxChangeRatio, totalUsers });
  const plan: BulkPlan = { ...planned, rows: cliRows(planned.rows), guard };
  const problems: Problem[] = plan.rows.flatMap((row) =>
    row.issues.map((issue) => ({ line: row.line, userId: row.userId, ...issue })),
  );
  const hasErrors = problems.some((p) => p.severity === 'error');
  // Rows per warning code, so that a warning such as EXPIRES_IN_PAST (access taken away by a
  // past date) is counted in the totals and not only listed among the problems.
  const warnings: Record<string, number> = {};
  for (const problem of problems) {
    if (problem.severity === 'warning') warnings[problem.code] = (warnings[problem.code] ?? 0) + 1;
  }
  const refused = guard?.refused === true;
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
          warnings,
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
    const warned = Object.entries(warnings)
      .map(([code, rows]) => `${rows} ${code}`)
      .join(', ');
    io.stdout.write(
      `\nTotals: ${plan.rows.length} rows: ${totals}${warned === '' ? '' : `; warnings: ${warned}`}\n`,
    );
    if (plan.guard !== null) {
      const line = `Guard: ${plan.guard.message}`;
      io.stdout.write(`${refused ? paint.red(line) : line}\n`);
    }
    if (values.report !== undefined)
      io.stdout.write(`Report written to ${printable(values.report)}\n`);
  }
  return hasErrors || refused ? EXIT_ROW_ERRORS : EXIT_OK;
}
