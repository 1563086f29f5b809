/// <reference types="node" />
// learner-status preview <file.csv> --users <export>: the dry run (S3). Nothing is written
// anywhere but the optional report.
import { type BulkPlan, type PlanOptions, type PlanOutcome, planBulkUpdate } from '../index.js';
import { PREVIEW } from './commands.js';
import { fileError } from './files.js';
import { cliGuard } from './flags.js';
import { printable } from './format.js';
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
import {
  countProblems,
  rowJsonWriter,
  writeBulkReport,
  writeJsonDocument,
  writeProblemsTable,
} from './plan-output.js';
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
  const source = await openRows(io, file, 'the file', options, values.sheet);
  // The ratio is of the users in the export, the number the guard's message then names.
  const totalUsers = users.count;
  const planOptions: PlanOptions = { now, source: 'csv', maxChanges, maxChangeRatio, totalUsers };
  let plan: BulkPlan;
  try {
    plan = await planBulkUpdate(source.rows, users.store, planOptions);
  } catch (error) {
    throw fileError(file, error);
  }
  // The plan as the command line says it (flags, not library options) in every output: the
  // guard here, each row's problems as it is written (a million rows are never copied).
  const guard =
    plan.guard === null ? null : cliGuard(plan.guard, { maxChanges, maxChangeRatio, totalUsers });
  // Rows per warning code, so that a warning such as EXPIRES_IN_PAST (access taken away by a
  // past date) is counted in the totals and not only listed among the problems.
  const { count: problemCount, hasErrors, warnings } = countProblems(plan.rows);
  const refused = guard?.refused === true;
  if (values.report !== undefined) await writeBulkReport(io, values.report, plan.rows);

  if (values.json) {
    await writeJsonDocument(
      io.stdout,
      {
        file,
        ...source.readAs.value,
        users: values.users,
        now: plan.now.toISOString(),
        valid: !hasErrors && !refused,
        totals: plan.totals,
        warnings,
        guard,
      },
      'rows',
      mapped(plan.rows, rowJsonWriter()),
    );
  } else {
    const paint = paintFor(io.stdout, io.env);
    io.stdout.write(
      `Preview of ${printable(file)} (${readAsText(source.readAs.value)}) against ${printable(values.users)} (${users.count} users) at ${plan.now.toISOString()}\n\n`,
    );
    io.stdout.write(rowsTable(plan.rows, paint));
    if (problemCount > 0) {
      io.stdout.write('\n');
      await writeProblemsTable(io.stdout, plan.rows, paint);
    }
    const totals = OUTCOME_ORDER.map((outcome) => `${plan.totals[outcome]} ${outcome}`).join(', ');
    const warned = Object.entries(warnings)
      .map(([code, rows]) => `${rows} ${code}`)
      .join(', ');
    io.stdout.write(
      `\nTotals: ${plan.rows.length} rows: ${totals}${warned === '' ? '' : `; warnings: ${warned}`}\n`,
    );
    if (guard !== null) {
      const line = `Guard: ${guard.message}`;
      io.stdout.write(`${refused ? paint.red(line) : line}\n`);
    }
    if (values.report !== undefined)
      io.stdout.write(`Report written to ${printable(values.report)}\n`);
  }
  return hasErrors || refused ? EXIT_ROW_ERRORS : EXIT_OK;
}

/** `items` through `f`, one at a time. */
function* mapped<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U, void, undefined> {
  for (const item of items) yield f(item);
}
