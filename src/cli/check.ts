/// <reference types="node" />
// learner-status check <file.csv>: validates a bulk file (C1-C10) without any user data.
import { type CsvRow, formatCsvReport, parseCsv } from '../csv/index.js';
import { fileError, openInput, writeReport } from './files.js';
import { plural, printable } from './format.js';
import { type CliIo, EXIT_OK, EXIT_ROW_ERRORS, paintFor } from './io.js';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  csvOptions,
  nowOption,
  onePositional,
  parseCommand,
} from './options.js';
import { type Problem, problemJson, problemsTable } from './problems.js';

export const CHECK_HELP = `Usage: learner-status check <file.csv> [options]

Validates a bulk status file (header, identifier column, Active Yes/No, Expiration Date)
and lists every problem with its line, column and value. Nothing is read from or written
to any user store.

${COMMON_HELP}

Exit codes: 0 clean, 1 some rows have errors, 2 the file is refused whole or bad usage.
`;

export async function check(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('check', args, COMMON_OPTIONS);
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return EXIT_OK;
  }
  const file = onePositional('check', positionals, '<file.csv>');
  nowOption(values.now, () => new Date());
  const options = csvOptions(values);
  const input = await openInput(io, file, 'the file');

  let rows = 0;
  let okRows = 0;
  let errorRows = 0;
  let warningRows = 0;
  // Only rows with issues are kept (for the table and the report); clean rows stream past.
  const flagged: CsvRow[] = [];
  try {
    for await (const row of parseCsv(input, options)) {
      rows++;
      if (row.result.ok) okRows++;
      else errorRows++;
      if (row.result.issues.some((issue) => issue.severity === 'warning')) warningRows++;
      // A copy: the parser's strings can be slices of its 64 KiB piece of the file, which a
      // kept row would otherwise hold alive (1,000 flagged rows held about 65 MB).
      if (row.result.issues.length > 0) flagged.push(structuredClone(row));
    }
  } catch (error) {
    throw fileError(file, error);
  }

  const problems: Problem[] = flagged.flatMap((row) =>
    row.result.issues.map((issue) => ({
      line: row.line,
      userId: row.result.ok ? row.result.update.userId : null,
      ...issue,
    })),
  );
  if (values.report !== undefined)
    await writeReport(io, values.report, formatCsvReport(flagged, options));

  if (values.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          file,
          valid: errorRows === 0,
          rows,
          ok: okRows,
          errors: errorRows,
          warnings: warningRows,
          problems: problems.map(problemJson),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const paint = paintFor(io.stdout, io.env);
    const summary = `${printable(file)}: ${plural(rows, 'row')}, ${okRows} ok, ${errorRows} with errors, ${warningRows} with warnings`;
    io.stdout.write(`${errorRows === 0 ? paint.green(summary) : paint.red(summary)}\n`);
    if (problems.length > 0) io.stdout.write(`\n${problemsTable(problems, paint)}`);
    if (values.report !== undefined)
      io.stdout.write(`\nReport written to ${printable(values.report)}\n`);
  }
  return errorRows === 0 ? EXIT_OK : EXIT_ROW_ERRORS;
}
