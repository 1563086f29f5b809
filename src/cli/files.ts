/// <reference types="node" />
// Opening input files and writing reports, with every failure as one line (exit code 2).
import { createReadStream } from 'node:fs';
import { access, constants, stat, writeFile } from 'node:fs/promises';
import { isLearnerStatusError } from '../index.js';
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

export async function readText(io: CliIo, path: string, what: string): Promise<string> {
  const input = await openInput(io, path, what);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  try {
    for await (const chunk of input) text += decoder.decode(chunk, { stream: true });
    text += decoder.decode();
  } catch (error) {
    throw new UsageError(`cannot read ${what} '${path}': ${reason(error)}.`);
  }
  return text;
}

export async function writeReport(io: CliIo, path: string, content: string): Promise<void> {
  try {
    await writeFile(resolvePath(io, path), content, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot write the report '${path}': ${reason(error)}.`);
  }
}

/** A file-level error (C9) or a read failure while streaming, as one line. */
export function fileError(path: string, error: unknown): UsageError {
  if (error instanceof UsageError) return error;
  if (isLearnerStatusError(error)) {
    const hint =
      error.code === 'MISSING_ID_COLUMN' || error.code === 'AMBIGUOUS_ID_COLUMN'
        ? ' With this tool: --id-column <header>.'
        : '';
    return new UsageError(`${path}: ${error.message} (${error.code})${hint}`);
  }
  return new UsageError(`cannot read '${path}': ${reason(error)}.`);
}
