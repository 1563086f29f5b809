/// <reference types="node" />
// The rows of a bulk file or users export, whatever it is: a CSV in any delimiter and
// encoding (F4, F5) or an .xlsx workbook (F8), known by its first bytes, not its name. What
// was used to read it (delimiter and encoding, or sheet) is recorded for the summary.
import type { CsvOptions, CsvRow } from '../csv/index.js';
import { parseCsv } from '../csv/index.js';
import { openInput } from './files.js';
import { type CliIo, UsageError } from './io.js';

/** How a file was read, once its header is known. */
export interface ReadAs {
  readonly delimiter?: string;
  readonly encoding?: string;
  readonly sheet?: string;
}

export interface FileRows {
  readonly rows: AsyncIterable<CsvRow>;
  readonly workbook: boolean;
  /** Filled in when the header has been read. */
  readonly readAs: { value: ReadAs | undefined };
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  magic.every((byte, index) => bytes[index] === byte);

/** The first chunk of `input`, and an iterable that gives the whole input again. */
async function peek(
  input: AsyncIterable<Uint8Array>,
): Promise<{ head: Uint8Array; whole: AsyncIterable<Uint8Array> }> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done === true ? new Uint8Array(0) : first.value;
  async function* whole(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    for (;;) {
      const step = await iterator.next();
      if (step.done === true) return;
      yield step.value;
    }
  }
  return { head, whole: whole() };
}

/** `--delimiter`: a delimiter as typed on a command line (`tab` for a tab), or auto. */
export function delimiterOption(value: string | undefined): CsvOptions['delimiter'] {
  if (value === undefined) return undefined;
  const named: Record<string, CsvOptions['delimiter']> = {
    ',': ',',
    comma: ',',
    ';': ';',
    semicolon: ';',
    '\t': '\t',
    '\\t': '\t',
    tab: '\t',
    '|': '|',
    pipe: '|',
    auto: 'auto',
  };
  const delimiter = named[value.toLowerCase()];
  if (delimiter === undefined) {
    throw new UsageError(
      `--delimiter must be ',', ';', tab, '|' or auto, but it is '${value}'. Quote it in the shell: --delimiter ';'.`,
    );
  }
  return delimiter;
}

/** How a delimiter is named in a summary. */
function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter === ',' ? 'comma' : `'${delimiter}'`;
}

/** The summary's words for how a file was read: "semicolon-separated, windows-1252". */
export function readAsText(readAs: ReadAs | undefined): string {
  if (readAs === undefined) return '';
  if (readAs.sheet !== undefined) return `sheet '${readAs.sheet}'`;
  return `delimiter ${delimiterName(readAs.delimiter ?? ',')}, encoding ${readAs.encoding ?? 'utf-8'}`;
}

/** The fields of a JSON summary for how a file was read. */
export function readAsJson(readAs: ReadAs | undefined): string {
  if (readAs === undefined) return '';
  if (readAs.sheet !== undefined) return `\n  "sheet": ${JSON.stringify(readAs.sheet)},`;
  return `\n  "delimiter": ${JSON.stringify(readAs.delimiter)},\n  "encoding": ${JSON.stringify(readAs.encoding)},`;
}

/**
 * Opens `path` and reads it as a workbook when its bytes are a zip or an OLE compound file
 * (an old .xls or an encrypted workbook, which the workbook reader refuses with its own code)
 * or its name ends in .xlsx/.xls, else as CSV. `sheet` is refused for CSV, `delimiter` and
 * `encoding` for workbooks.
 */
export async function openRows(
  io: CliIo,
  path: string,
  what: string,
  options: CsvOptions,
  sheet: string | undefined,
): Promise<FileRows> {
  const { head, whole } = await peek(await openInput(io, path, what));
  const readAs: { value: ReadAs | undefined } = { value: undefined };
  const named = /\.xlsx?$/i.test(path);
  if (startsWith(head, ZIP) || startsWith(head, OLE) || named) {
    for (const [flag, given] of [
      ['--delimiter', options.delimiter],
      ['--encoding', options.encoding],
    ] as const) {
      if (given !== undefined) {
        throw new UsageError(
          `${path}: ${flag} is for CSV files; this is a workbook. Leave it out (choose the worksheet with --sheet).`,
        );
      }
    }
    // The workbook reader, and its libraries, load only for workbooks.
    const { parseXlsx } = await import('../xlsx/index.js');
    const { delimiter: _d, encoding: _e, onHeader: _h, ...rest } = options;
    const rows = parseXlsx(whole, {
      ...rest,
      sheet,
      onHeader: (header) => {
        readAs.value = { sheet: header.sheet };
      },
    });
    return { rows, workbook: true, readAs };
  }
  if (sheet !== undefined) {
    throw new UsageError(
      `${path}: --sheet is for .xlsx workbooks; this is a CSV file. Leave it out.`,
    );
  }
  const rows = parseCsv(whole, {
    ...options,
    onHeader: (header) => {
      readAs.value = { delimiter: header.delimiter, encoding: header.encoding };
    },
  });
  return { rows, workbook: false, readAs };
}
