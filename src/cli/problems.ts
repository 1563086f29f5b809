// The problems table shared by check and preview: one line per issue.
import { type CellLike, formatTable, printable, shortValue } from './format.js';
import type { Paint } from './io.js';

export interface Problem {
  readonly line: number;
  readonly userId: string | null;
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly column?: string | undefined;
  readonly value?: string | undefined;
  readonly message: string;
}

/**
 * The problems table's header.
 *
 * @example
 * ```ts
 * PROBLEM_HEADERS.join('  '); // 'Line  Severity  Column  Value  Code  Message'
 * ```
 */
export const PROBLEM_HEADERS: readonly string[] = [
  'Line',
  'Severity',
  'Column',
  'Value',
  'Code',
  'Message',
];

/**
 * A problem's cells in the problems table.
 *
 * @example
 * ```ts
 * problemCells({ line: 5, userId: null, code: 'X', severity: 'error', message: 'Bad.' }, paint);
 * ```
 */
export function problemCells(p: Problem, paint: Paint): CellLike[] {
  return [
    String(p.line),
    { text: p.severity, paint: p.severity === 'error' ? paint.red : paint.yellow },
    printable(p.column ?? ''),
    shortValue(p.value ?? ''),
    p.code,
    printable(p.message),
  ];
}

export function problemsTable(problems: readonly Problem[], paint: Paint): string {
  return formatTable(
    PROBLEM_HEADERS,
    problems.map((p) => problemCells(p, paint)),
    paint,
  );
}

export function problemJson(problem: Problem): Record<string, unknown> {
  return {
    line: problem.line,
    userId: problem.userId,
    severity: problem.severity,
    code: problem.code,
    column: problem.column ?? null,
    value: problem.value ?? null,
    message: problem.message,
  };
}
