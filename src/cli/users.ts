/// <reference types="node" />
// The export of current users for `preview`: a CSV with the bulk file's column conventions
// (id column, Active Yes/No, optional Expiration Date) or a JSON array of parseUser records.
import type { CsvOptions } from '../csv/index.js';
import { isLearnerStatusError, type User } from '../index.js';
import { parseUser } from '../schema/index.js';
import { fileError, type openInput, readText } from './files.js';
import { cliErrorMessage, cliIssue } from './flags.js';
import { UsageError } from './io.js';
import { openRows } from './source.js';

const WHAT = 'the users export';

export async function loadUsers(
  io: Parameters<typeof openInput>[0],
  path: string,
  options: CsvOptions,
): Promise<User[]> {
  const users = path.toLowerCase().endsWith('.json')
    ? await loadJson(io, path)
    : await loadCsv(io, path, options);
  const seen = new Set<string>();
  for (const user of users) {
    if (seen.has(user.id)) {
      throw new UsageError(
        `${path}: the users export lists '${user.id}' twice; each user once, please.`,
      );
    }
    seen.add(user.id);
  }
  return users;
}

async function loadJson(io: Parameters<typeof openInput>[0], path: string): Promise<User[]> {
  const text = await readText(io, path, WHAT);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  if (!Array.isArray(data)) {
    throw new UsageError(
      `${path}: expected a JSON array of users such as [{"id":"u1","status":"active","expiresAt":null}].`,
    );
  }
  return data.map((record: unknown, index) => {
    try {
      return parseUser(record);
    } catch (error) {
      const message = isLearnerStatusError(error) ? error.message : String(error);
      throw new UsageError(`${path}: user ${index + 1} of the array: ${message}`);
    }
  });
}

async function loadCsv(
  io: Parameters<typeof openInput>[0],
  path: string,
  options: CsvOptions,
): Promise<User[]> {
  // A workbook export is read from its first worksheet: --sheet names the bulk file's.
  const { rows } = await openRows(io, path, WHAT, options, undefined);
  const users: User[] = [];
  try {
    for await (const row of rows) {
      if (!row.result.ok) {
        const found = row.result.issues.find((i) => i.severity === 'error') ?? row.result.issues[0];
        const issue = found === undefined ? undefined : cliIssue(found);
        throw new UsageError(
          `${path}: line ${row.line}: ${issue?.message ?? 'the row is refused'} (${issue?.code ?? 'INVALID'})`,
        );
      }
      const { userId, status, expiresAt } = row.result.update;
      if (status === undefined) {
        throw new UsageError(
          `${path}: line ${row.line}: a users export needs Active Yes or No for every user.`,
        );
      }
      users.push({ id: userId, status, expiresAt: expiresAt ?? null });
    }
  } catch (error) {
    if (
      isLearnerStatusError(error) &&
      (error.code === 'MISSING_ID_COLUMN' || error.code === 'AMBIGUOUS_ID_COLUMN')
    ) {
      throw new UsageError(
        `${path}: the users export has no usable id column: ${cliErrorMessage(error)}`,
      );
    }
    throw fileError(path, error);
  }
  return users;
}
