/// <reference types="node" />
// learner-status check <file.csv>: validates a bulk file (C1-C10) without any user data.
import {
  CSV_REPORT_HEADER,
  type CsvIssue,
  csvReportRowFormatter,
  type DateFormatSuggestion,
  formatCsv,
  suggestDateFormats,
} from '../csv/index.js';
import { CHECK } from './commands.js';
import { chunkedOutput, fileError, openReport } from './files.js';
import { cliCsvRow, cliDateHint } from './flags.js';
import { plural, printable } from './format.js';
import { commandHelp } from './help.js';
import { type CliIo, EXIT_OK, EXIT_ROW_ERRORS, paintFor } from './io.js';
import { csvOptions, onePositional, parseCommand } from './options.js';
import { type Problem, problemJson, problemsTable } from './problems.js';
import { openRows, readAsJson, readAsText } from './source.js';

/** How many distinct refused date cells are kept to suggest a format (F7). */
const DATE_SAMPLE = 10_000;

/** Problems listed in the table; every one is in --report and --json. */
export const TABLE_LIMIT = 1000;

const REPORT_HEADER = formatCsv([CSV_REPORT_HEADER]);

export async function check(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(CHECK, args);
  if (values.help) {
    io.stdout.write(commandHelp(CHECK));
    return EXIT_OK;
  }
  const file = onePositional('check', positionals, '<file.csv>');
  const options = csvOptions(values);
  const source = await openRows(io, file, 'the file', options, values.sheet);
  const report = values.report === undefined ? undefined : await openReport(io, values.report);
  const reportRow = csvReportRowFormatter(options);
  const json = values.json === true ? chunkedOutput(io.stdout) : undefined;
  if (report !== undefined) await report.write(REPORT_HEADER);
  if (json !== undefined)
    await json.write(`{\n  "file": ${JSON.stringify(file)},\n  "problems": [`);

  let rows = 0;
  let errorRows = 0;
  let warningRows = 0;
  let problemCount = 0;
  // The table keeps the first TABLE_LIMIT problems; the report and the JSON get every one as
  // its row is parsed, so memory does not grow with the number of flagged rows.
  const shown: Problem[] = [];
  // F7: the distinct expiration cells refused as dates, to suggest the format that reads them.
  const badDates = new Set<string>();
  try {
    for await (const parsed of source.rows) {
      rows++;
      if (!parsed.result.ok) errorRows++;
      if (parsed.result.issues.length === 0) continue;
      // The problems as the command line says them (flags, not library options), once for the
      // table, the JSON and the report.
      const row = cliCsvRow(parsed);
      const result = row.result;
      const issues = result.issues;
      let warned = false;
      // A refused row names its user too when its identifier cell is valid (issue 17).
      const userId = result.ok ? result.update.userId : (row.userId ?? null);
      for (let i = 0; i < issues.length; i++) {
        const issue = issues[i] as CsvIssue;
        if (issue.severity === 'warning') warned = true;
        if (
          issue.code === 'INVALID_DATE' &&
          issue.value !== undefined &&
          badDates.size < DATE_SAMPLE
        )
          badDates.add(issue.value);
        problemCount++;
        if (json !== undefined) {
          const problem: Problem = { line: row.line, userId, ...issue };
          const pending = json.write(
            `${problemCount === 1 ? '' : ','}\n    ${JSON.stringify(problemJson(problem))}`,
          );
          if (pending !== undefined) await pending;
        } else if (shown.length < TABLE_LIMIT) {
          // A copy: the parser's strings can be slices of its 64 KiB piece of the file, which a
          // kept problem would otherwise hold alive.
          shown.push(structuredClone({ line: row.line, userId, ...issue }));
        }
      }
      if (warned) warningRows++;
      if (report !== undefined) {
        const pending = report.write(reportRow(row));
        if (pending !== undefined) await pending;
      }
    }
  } catch (error) {
    await report?.abort();
    throw fileError(file, error);
  }
  await report?.end();
  const okRows = rows - errorRows;
  const dates: DateFormatSuggestion | undefined =
    badDates.size === 0 ? undefined : await suggestDateFormats(badDates);
  const readAs = source.readAs.value;

  if (json !== undefined) {
    await json.write(
      `${problemCount === 0 ? ']' : '\n  ]'},${readAsJson(readAs)}\n  "suggestedDateFormat": ${JSON.stringify(dates?.format ?? null)},\n  "valid": ${errorRows === 0},\n  "rows": ${rows},\n  "ok": ${okRows},\n  "errors": ${errorRows},\n  "warnings": ${warningRows}\n}\n`,
    );
    await json.end();
  } else {
    const paint = paintFor(io.stdout, io.env);
    const summary = `${printable(file)}: ${plural(rows, 'row')}, ${okRows} ok, ${errorRows} with errors, ${warningRows} with warnings`;
    io.stdout.write(`${errorRows === 0 ? paint.green(summary) : paint.red(summary)}\n`);
    io.stdout.write(`Read as: ${readAsText(readAs)}\n`);
    const hint = dates === undefined ? undefined : cliDateHint(dates);
    if (hint !== undefined) io.stdout.write(`\n${paint.bold(hint)}\n`);
    if (shown.length > 0) io.stdout.write(`\n${problemsTable(shown, paint)}`);
    if (problemCount > shown.length)
      io.stdout.write(
        `… and ${plural(problemCount - shown.length, 'more problem', 'more problems')}: see --report or use --json\n`,
      );
    if (values.report !== undefined)
      io.stdout.write(`\nReport written to ${printable(values.report)}\n`);
  }
  return errorRows === 0 ? EXIT_OK : EXIT_ROW_ERRORS;
}
