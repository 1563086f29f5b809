/// <reference types="node" />
// Text a person reads: aligned tables, statuses as the portal shows them, safe cell text.
// From the status module, not the main entry: the main entry would bring parseUser's zod
// into every command (see main.ts).

import { isControlOrInvisible } from '../csv/text.js';
import { type AccountStatus, STATUS_INFO } from '../status/index.js';
import type { StatusSnapshot } from '../transitions/index.js';
import type { Paint } from './io.js';

/** A table cell: plain text, optionally painted after padding (so alignment ignores colour). */
interface Cell {
  readonly text: string;
  readonly paint?: ((text: string) => string) | undefined;
}

export type CellLike = string | Cell;

function cell(value: CellLike): Cell {
  return typeof value === 'string' ? { text: value } : value;
}

function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Control characters, line breaks and invisible characters shown as \uXXXX, on one line. */
export function printable(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    out += isControlOrInvisible(code) ? `\\u${code.toString(16).padStart(4, '0')}` : char;
  }
  return out;
}

/** Columns separated by two spaces, a rule under the header; the last column is not padded. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly CellLike[])[],
  paint: Paint,
): string {
  const cells = rows.map((row) => row.map(cell));
  const widths = headers.map((header, i) =>
    Math.max(width(header), ...cells.map((row) => width(row[i]?.text ?? ''))),
  );
  const last = headers.length - 1;
  const line = (row: readonly Cell[]) =>
    row
      .map((c, i) => {
        const padded = i === last ? c.text : c.text + ' '.repeat((widths[i] ?? 0) - width(c.text));
        return c.paint ? c.paint(padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const out = [
    line(headers.map((text) => ({ text, paint: paint.bold }))),
    line(widths.map((w, i) => ({ text: '-'.repeat(i === last ? Math.min(w, 20) : w) }))),
    ...cells.map(line),
  ];
  return `${out.join('\n')}\n`;
}

/** R1: the portal's label; Active with a check mark. */
export function statusLabel(status: AccountStatus): string {
  const label = STATUS_INFO[status].label;
  return status === 'active' ? `${label} ✓` : label;
}

export function expiresText(expiresAt: Date | null | undefined): string {
  if (expiresAt === undefined) return '';
  return expiresAt === null ? 'never' : expiresAt.toISOString();
}

/** `before → after`, or one value when nothing changes. */
export function changeText(before: string, after: string | undefined): string {
  if (after === undefined || after === before) return before;
  return `${before} → ${after}`;
}

export function snapshotJson(snapshot: StatusSnapshot | null): unknown {
  if (snapshot === null) return null;
  return {
    status: snapshot.status,
    expiresAt: snapshot.expiresAt === null ? null : snapshot.expiresAt.toISOString(),
    effective: snapshot.effective,
  };
}

/** A cell value cut for the table (the report and JSON keep it whole). */
export function shortValue(text: string, max = 40): string {
  const shown = printable(text);
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
