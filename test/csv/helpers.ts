import { type CsvInput, type CsvOptions, type CsvRow, parseCsv } from '../../src/csv/index.js';
import { decodeInput } from '../../src/csv/input.js';
import { CsvTokenizer } from '../../src/csv/tokenizer.js';

export interface TokenizedRecord {
  readonly fields: string[];
  readonly line: number;
}

/** Decodes and tokenizes chunks the way parseCsv does, without the header rules. */
export async function tokenize(
  input: CsvInput,
  fieldCap = Number.POSITIVE_INFINITY,
): Promise<TokenizedRecord[]> {
  const records: TokenizedRecord[] = [];
  const tokenizer = new CsvTokenizer(
    (fields, count, line) => records.push({ fields: fields.slice(0, count), line }),
    fieldCap,
  );
  for await (const piece of decodeInput(input, Number.POSITIVE_INFINITY)) tokenizer.push(piece);
  tokenizer.finish();
  return records;
}

/** Tokenizes a string given in one go. */
export function tokenizeText(text: string): TokenizedRecord[] {
  const records: TokenizedRecord[] = [];
  const tokenizer = new CsvTokenizer((fields, count, line) =>
    records.push({ fields: fields.slice(0, count), line }),
  );
  tokenizer.push(text);
  tokenizer.finish();
  return records;
}

/** Collects every row of a parse. */
export async function collect(input: CsvInput, options?: CsvOptions): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of parseCsv(input, options)) rows.push(row);
  return rows;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ code?: string; line?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; line?: number; message: string };
  }
  throw new Error('expected a rejection');
}

/** Cuts `bytes` at the given (sorted, deduplicated) positions. */
export function cut<T extends string | Uint8Array>(whole: T, positions: readonly number[]): T[] {
  const sorted = [...new Set(positions)]
    .filter((p) => p > 0 && p < whole.length)
    .sort((a, b) => a - b);
  const pieces: T[] = [];
  let start = 0;
  for (const position of sorted) {
    pieces.push(whole.slice(start, position) as T);
    start = position;
  }
  pieces.push(whole.slice(start) as T);
  return pieces;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
