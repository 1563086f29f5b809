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

// Most cells are plain ASCII: their width is their length, and they print as they are.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function width(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Control characters, line breaks and invisible characters shown as \uXXXX, on one line. */
export function printable(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    out += isControlOrInvisible(code) ? `\\u${code.toString(16).padStart(4, '0')}` : char;
  }
  return out;
}

/**
 * The width of each column: the widest of its header and its cells. A loop, not
 * `Math.max(...cells)`: spreading a million cells into one call overflows the stack.
 */
function columnWidths(headers: readonly string[], rows: Iterable<readonly CellLike[]>): number[] {
  const widths = headers.map(width);
  for (const row of rows) {
    for (let i = 0; i < widths.length; i++) {
      const value = row[i];
      const w = width(value === undefined ? '' : cell(value).text);
      if (w > (widths[i] as number)) widths[i] = w;
    }
  }
  return widths;
}

/** Lays out the lines of a table whose column widths are known. */
function tableLayout(
  headers: readonly string[],
  widths: readonly number[],
  paint: Paint,
): { head: string; line(row: readonly CellLike[]): string } {
  const last = headers.length - 1;
  const line = (row: readonly CellLike[]) => {
    let out = '';
    for (let i = 0; i < row.length; i++) {
      const c = cell(row[i] as CellLike);
      const padded = i === last ? c.text : c.text + ' '.repeat((widths[i] ?? 0) - width(c.text));
      out += (i === 0 ? '' : '  ') + (c.paint ? c.paint(padded) : padded);
    }
    return out.trimEnd();
  };
  const head = `${line(headers.map((text) => ({ text, paint: paint.bold })))}\n${line(
    widths.map((w, i) => ({ text: '-'.repeat(i === last ? Math.min(w, 20) : w) })),
  )}\n`;
  return { head, line };
}

/** Columns separated by two spaces, a rule under the header; the last column is not padded. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly CellLike[])[],
  paint: Paint,
): string {
  const { head, line } = tableLayout(headers, columnWidths(headers, rows), paint);
  let out = head;
  for (const row of rows) out += `${line(row)}\n`;
  return out;
}

/**
 * {@link formatTable} for a table too large to hold as text (every problem of a million-row
 * file): `rows()` is read twice, once for the column widths and once to write, and the
 * lines go to `write` one by one (a chunked writer answers a promise while its sink is full).
 *
 * @example
 * ```ts
 * await writeTable((text) => out.write(text), ['Line', 'Code'], () => [['2', 'X']], paint);
 * ```
 */
export async function writeTable(
  write: (text: string) => Promise<void> | undefined,
  headers: readonly string[],
  rows: () => Iterable<readonly CellLike[]>,
  paint: Paint,
): Promise<void> {
  const { head, line } = tableLayout(headers, columnWidths(headers, rows()), paint);
  let pending = write(head);
  if (pending !== undefined) await pending;
  for (const row of rows()) {
    pending = write(`${line(row)}\n`);
    if (pending !== undefined) await pending;
  }
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
