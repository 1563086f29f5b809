// The problems table shared by check and preview: one line per issue.
import { formatTable, printable, shortValue } from './format.js';
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

export function problemsTable(problems: readonly Problem[], paint: Paint): string {
  return formatTable(
    ['Line', 'Severity', 'Column', 'Value', 'Code', 'Message'],
    problems.map((p) => [
      String(p.line),
      { text: p.severity, paint: p.severity === 'error' ? paint.red : paint.yellow },
      printable(p.column ?? ''),
      shortValue(p.value ?? ''),
      p.code,
      printable(p.message),
    ]),
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
