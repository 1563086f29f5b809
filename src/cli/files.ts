/// <reference types="node" />
// Opening input files and writing reports, with every failure as one line (exit code 2).
import { createReadStream } from 'node:fs';
import { access, constants, open, rm, stat } from 'node:fs/promises';
import { isLearnerStatusError } from '../errors.js';
import { cliErrorMessage } from './flags.js';
import { type CliIo, resolvePath, UsageError } from './io.js';

function reason(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Checks that `path` is a readable file before streaming it, so the failure is one clear line. */
export async function openInput(
  io: CliIo,
  path: string,
  what: string,
): Promise<AsyncIterable<Uint8Array>> {
  const full = resolvePath(io, path);
  try {
    const info = await stat(full);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    await access(full, constants.R_OK);
  } catch (error) {
    throw new UsageError(`cannot read ${what} '${path}': ${reason(error)}.`);
  }
  return createReadStream(full, { highWaterMark: 64 * 1024 });
}

/** Text written in pieces: buffered up to 64 KiB, then handed on, waiting while the sink is full. */
export interface ChunkedWriter {
  write(text: string): Promise<void> | undefined;
  /** Hands on what is buffered and, for a file, closes it. */
  end(): Promise<void>;
}

const CHUNK = 64 * 1024;

interface Drainable {
  write(chunk: string): unknown;
  once(event: 'drain', listener: () => void): unknown;
}

function drainable(output: { write(chunk: string): unknown }): output is Drainable {
  return typeof (output as { once?: unknown }).once === 'function';
}

/** Writes to `output` in 64 KiB pieces and honours backpressure when it is a Node stream. */
export function chunkedOutput(output: { write(chunk: string): unknown }): ChunkedWriter {
  let buffer = '';
  const flush = (): Promise<void> | undefined => {
    const text = buffer;
    buffer = '';
    if (output.write(text) === false && drainable(output))
      return new Promise((resolve) => output.once('drain', () => resolve()));
    return undefined;
  };
  return {
    write(text) {
      buffer += text;
      return buffer.length >= CHUNK ? flush() : undefined;
    },
    async end() {
      if (buffer !== '') await flush();
    },
  };
}

/** A report written as it is built: the file is opened at once, so a bad path fails first. */
export interface ReportWriter extends ChunkedWriter {
  /** Closes and removes the partial file (the input was refused whole). */
  abort(): Promise<void>;
}

export async function openReport(io: CliIo, path: string): Promise<ReportWriter> {
  const full = resolvePath(io, path);
  const fail = (error: unknown) =>
    new UsageError(`cannot write the report '${path}': ${reason(error)}.`);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(full, 'w');
  } catch (error) {
    throw fail(error);
  }
  // 1 MiB in flight: the disk writes while the next rows are parsed.
  const stream = handle.createWriteStream({ highWaterMark: 1024 * 1024 });
  let failure: unknown;
  stream.on('error', (error) => {
    failure ??= error;
    // Wake a writer waiting for 'drain' that will never come.
    stream.emit('drain');
  });
  // Text is encoded into a 64 KiB buffer at once, not kept as strings: a report cell can be a
  // slice of the parser's piece of the file, which a kept string would hold alive.
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(CHUNK);
  let used = 0;
  const flush = (): Promise<void> | undefined => {
    const chunk = Buffer.from(buffer.subarray(0, used));
    used = 0;
    if (stream.write(chunk)) return undefined;
    return new Promise((resolve) => stream.once('drain', () => resolve()));
  };
  const out: ChunkedWriter = {
    write(text) {
      let pending: Promise<void> | undefined;
      let rest = text;
      for (;;) {
        const { read, written } = encoder.encodeInto(rest, buffer.subarray(used));
        used += written;
        if (read === rest.length) break;
        rest = rest.slice(read);
        pending = flush() ?? pending;
      }
      return pending;
    },
    async end() {
      if (used > 0) await flush();
    },
  };
  const closed = () =>
    new Promise<void>((resolve) => {
      if (stream.closed) resolve();
      else stream.end(() => resolve());
    });
  return {
    write(text) {
      if (failure !== undefined) throw fail(failure);
      return out.write(text);
    },
    async end() {
      await out.end();
      await closed();
      if (failure !== undefined) throw fail(failure);
    },
    async abort() {
      await closed();
      await rm(full, { force: true });
    },
  };
}

/** A file-level error (C9) or a read failure while streaming, as one line. */
export function fileError(path: string, error: unknown): UsageError {
  if (error instanceof UsageError) return error;
  if (isLearnerStatusError(error)) {
    const hint =
      error.code === 'MISSING_ID_COLUMN' || error.code === 'AMBIGUOUS_ID_COLUMN'
        ? ' With this tool: --id-column <header>, or --delimiter when the columns are not split right.'
        : error.code === 'INVALID_ENCODING'
          ? ` With this tool: --encoding windows-1252 (Excel's "CSV (Comma delimited)"), or --encoding utf-16le.`
          : error.code === 'SHEET_NOT_FOUND'
            ? ' With this tool: --sheet <name>.'
            : '';
    return new UsageError(`${path}: ${cliErrorMessage(error)} (${error.code})${hint}`);
  }
  return new UsageError(`cannot read '${path}': ${reason(error)}.`);
}
