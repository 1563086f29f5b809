/// <reference types="node" />
// The outputs of preview and apply that hold one entry per row (the JSON's rows or problems,
// the report, the problems table), written as they are made: a million-row plan would be
// gigabytes of text built whole (issue 18). Each writer gives the same bytes as building the
// whole text would.
import { BULK_REPORT_HEADER_LINE, bulkReportLineWriter } from '../bulk/report.js';
import type { BulkIssue, BulkRow } from '../index.js';
import type { StatusSnapshot } from '../transitions/index.js';
import { type ChunkedWriter, chunkedOutput, openReport } from './files.js';
import { cliIssue, cliRow } from './flags.js';
import { snapshotJson, writeTable } from './format.js';
import type { CliIo, Paint } from './io.js';
import { PROBLEM_HEADERS, type Problem, problemCells, problemJson } from './problems.js';

/** Waits when a chunked writer says its sink is full. */
async function put(out: ChunkedWriter, text: string): Promise<void> {
  const pending = out.write(text);
  if (pending !== undefined) await pending;
}

/**
 * `JSON.stringify(value, null, 2)` as it reads `depth` levels down in a larger document:
 * every line after the first indented by two spaces per level. (No JSON string holds a raw
 * line break, so every `\n` is a line of the layout.)
 *
 * @example
 * ```ts
 * nestedJson({ a: 1 }, 2); // '{\n      "a": 1\n    }'
 * ```
 */
export function nestedJson(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * Writes `JSON.stringify({ ...fields, [key]: items }, null, 2)` and a line end, with the
 * items given one at a time as their own text (from {@link nestedJson} at depth 2), so that
 * the array is never held. `key` must not be among `fields`: it is the last key written.
 *
 * @example
 * ```ts
 * await writeJsonDocument(io.stdout, { file: 'bulk.csv' }, 'rows', ['1', '2']);
 * // {\n  "file": "bulk.csv",\n  "rows": [\n    1,\n    2\n  ]\n}\n
 * ```
 */
export async function writeJsonDocument(
  output: CliIo['stdout'],
  fields: Readonly<Record<string, unknown>>,
  key: string,
  items: Iterable<string>,
): Promise<void> {
  const out = chunkedOutput(output);
  const whole = JSON.stringify({ ...fields, [key]: [] }, null, 2);
  // The document ends with `"key": []\n}`; the items go between the brackets.
  await put(out, whole.slice(0, -'[]\n}'.length));
  let first = true;
  for (const item of items) {
    await put(out, `${first ? '[\n    ' : ',\n    '}${item}`);
    first = false;
  }
  await put(out, first ? '[]\n}\n' : '\n  ]\n}\n');
  await out.end();
}

/**
 * A row's problems with its line and user, as the command line says them.
 *
 * @example
 * ```ts
 * for (const problem of problemsOf(plan.rows)) console.log(problem.line, problem.code);
 * ```
 */
export function* problemsOf(rows: Iterable<BulkRow>): Generator<Problem, void, undefined> {
  for (const row of rows) {
    for (const issue of row.issues)
      yield { line: row.line, userId: row.userId, ...cliIssue(issue) };
  }
}

/**
 * How many problems the rows have, whether one is an error, and the rows per warning code.
 *
 * @example
 * ```ts
 * countProblems(plan.rows); // { count: 3, hasErrors: true, warnings: { STAYS_EXPIRED: 1 } }
 * ```
 */
export function countProblems(rows: Iterable<BulkRow>): {
  count: number;
  hasErrors: boolean;
  warnings: Record<string, number>;
} {
  let count = 0;
  let hasErrors = false;
  const warnings: Record<string, number> = {};
  for (const row of rows) {
    for (const issue of row.issues) {
      count++;
      if (issue.severity === 'error') hasErrors = true;
      else warnings[issue.code] = (warnings[issue.code] ?? 0) + 1;
    }
  }
  return { count, hasErrors, warnings };
}

/**
 * The problems table of every problem of `rows`, written line by line: the same text as
 * `problemsTable` of all of them.
 *
 * @example
 * ```ts
 * await writeProblemsTable(io.stdout, plan.rows, paintFor(io.stdout, io.env));
 * ```
 */
export async function writeProblemsTable(
  output: CliIo['stdout'],
  rows: readonly BulkRow[],
  paint: Paint,
): Promise<void> {
  const out = chunkedOutput(output);
  await writeTable(
    (text) => out.write(text),
    PROBLEM_HEADERS,
    function* () {
      for (const problem of problemsOf(rows)) yield problemCells(problem, paint);
    },
    paint,
  );
  await out.end();
}

/**
 * Writes `formatBulkReportCsv` of `rows` (said with the flags) to the file `path` as the
 * lines are made. A path that cannot be written is exit 2, as before.
 *
 * @example
 * ```ts
 * await writeBulkReport(io, 'preview.csv', plan.rows);
 * ```
 */
export async function writeBulkReport(
  io: CliIo,
  path: string,
  rows: readonly BulkRow[],
): Promise<void> {
  const report = await openReport(io, path);
  const line = bulkReportLineWriter();
  try {
    await put(report, BULK_REPORT_HEADER_LINE);
    for (const row of rows) await put(report, line(cliRow(row)));
  } catch (error) {
    await report.abort();
    throw error;
  }
  await report.end();
}

/**
 * The JSON of a plan or report row, as `JSON.stringify` lays it out two levels down
 * (`{ rows: [row] }`). Built by hand rather than by `JSON.stringify(row, null, 2)` per row:
 * a plan shares its before/after snapshots and its warnings between rows, so the text of
 * each is made once per document.
 *
 * @example
 * ```ts
 * const rowJson = rowJsonWriter();
 * rowJson(plan.rows[0]); // '{\n      "line": 2,\n ...    }'
 * ```
 */
export function rowJsonWriter(): (row: BulkRow) => string {
  const snapshots = new Map<StatusSnapshot, string>();
  const snapshotText = (snapshot: StatusSnapshot | null): string => {
    if (snapshot === null) return 'null';
    let text = snapshots.get(snapshot);
    if (text === undefined) {
      text = nestedJson(snapshotJson(snapshot), 3);
      if (snapshots.size >= 4096) snapshots.clear();
      snapshots.set(snapshot, text);
    }
    return text;
  };
  // An issue's fields after its line and user: the same for every row that shares the issue
  // (the warnings are shared objects), so made once.
  const issues = new Map<BulkIssue, string>();
  const issueTail = (issue: BulkIssue): string => {
    let text = issues.get(issue);
    if (text === undefined) {
      const json = nestedJson(problemJson({ line: 0, userId: null, ...cliIssue(issue) }), 4);
      text = json.slice(json.indexOf('\n          "severity"'));
      if (issues.size >= 4096) issues.clear();
      issues.set(issue, text);
    }
    return text;
  };
  return (row) => {
    const userId = JSON.stringify(row.userId);
    let list = '[]';
    if (row.issues.length > 0) {
      list = '[';
      for (let i = 0; i < row.issues.length; i++) {
        list += `${i === 0 ? '' : ','}\n        {\n          "line": ${row.line},\n          "userId": ${userId},${issueTail(row.issues[i]!)}`;
      }
      list += '\n      ]';
    }
    return `{\n      "line": ${row.line},\n      "userId": ${userId},\n      "outcome": ${JSON.stringify(row.outcome)},\n      "before": ${snapshotText(row.before)},\n      "after": ${snapshotText(row.after)},\n      "issues": ${list}\n    }`;
  };
}
