import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planAndApply } from '../../src/cli/apply.js';
import { type CliIo, main } from '../../src/cli/main.js';
import { openRows } from '../../src/cli/source.js';
import { createMemoryStore } from '../../src/index.js';
import type { User } from '../../src/status/index.js';
import { root, tempDir } from './run.js';

// Issue 18: every printer of check, preview and apply takes a table of 200,000 problems
// without overflowing the stack (a list spread into a call did: Math.max(...cells)), and the
// streamed JSON is laid out exactly as JSON.stringify(document, null, 2) lays it out.

const PROBLEMS = 200_000;
const NOW = '2026-11-25T09:00:00Z';

interface Output {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** In-process outputs kept as text. */
function capture(): { io: CliIo; output(code: number): Output } {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
      },
    },
    stderr: {
      write: (chunk: string) => {
        stderr += chunk;
      },
    },
    env: {},
    cwd: root,
  };
  return { io, output: (code) => ({ code, stdout, stderr }) };
}

/** main() in-process. */
async function run(args: readonly string[]): Promise<Output> {
  const { io, output } = capture();
  return output(await main(args, io));
}

/** The text is one JSON document in JSON.stringify's own layout, and a line end. */
function exactJson(text: string): unknown {
  const data: unknown = JSON.parse(text);
  expect(text === `${JSON.stringify(data, null, 2)}\n`).toBe(true);
  return data;
}

const lines = (text: string) => text.split('\n');

describe(`${PROBLEMS.toLocaleString('en')} problems through every printer (issue 18)`, () => {
  const dir = tempDir();
  const invalid = join(dir, 'invalid.csv');
  const unknown = join(dir, 'unknown.csv');
  const users = join(dir, 'users.json');
  const known: User[] = [
    { id: 'ada@example.org', status: 'active', expiresAt: null },
    { id: 'alan@example.org', status: 'active', expiresAt: null },
  ];

  beforeAll(() => {
    // C3: every row refused for its Active cell.
    let csv = 'Email,Active,Expiration Date\n';
    for (let i = 0; i < PROBLEMS; i++) csv += `u${i}@example.org,Maybe,\n`;
    writeFileSync(invalid, csv);
    // Two changes, then users the export does not list (USER_NOT_FOUND).
    csv = 'Email,Active,Expiration Date\nada@example.org,No,\nalan@example.org,No,\n';
    for (let i = 0; i < PROBLEMS; i++) csv += `nobody${i}@example.org,No,\n`;
    writeFileSync(unknown, csv);
    writeFileSync(users, JSON.stringify(known));
  });

  it('check: the table (first 1,000), --json and --report (C6, C10)', async () => {
    // The table and the report in one run: both printers, half the parsing.
    const report = join(dir, 'check.csv');
    const table = await run(['check', invalid, '--report', report]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain(`… and ${PROBLEMS - 1000} more problems`);
    expect(lines(readFileSync(report, 'utf8').trimEnd())).toHaveLength(PROBLEMS + 1);
    const json = await run(['check', invalid, '--json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { problems: unknown[] }).problems).toHaveLength(PROBLEMS);
  });

  it('preview: the table of every problem, --json and --report (S3, C10)', async () => {
    const args = ['preview', unknown, '--users', users, '--now', NOW];
    // The table and the report in one run: both printers, one plan.
    const report = join(dir, 'preview.csv');
    const table = await run([...args, '--report', report]);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(1);
    const notFound = lines(table.stdout).filter((l) => /^\d+\s+error\s+USER_NOT_FOUND/.test(l));
    expect(notFound).toHaveLength(PROBLEMS);
    expect(table.stdout).toContain(`Totals: ${PROBLEMS + 2} rows: 2 changed`);

    const json = await run([...args, '--json']);
    expect(json.code).toBe(1);
    const data = exactJson(json.stdout) as { rows: { issues: { code: string }[] }[] };
    expect(data.rows).toHaveLength(PROBLEMS + 2);
    expect(data.rows.at(-1)?.issues[0]?.code).toBe('USER_NOT_FOUND');

    const text = readFileSync(report, 'utf8');
    expect(lines(text.trimEnd())).toHaveLength(PROBLEMS + 3);
    expect(text).toContain(`${PROBLEMS + 3},nobody${PROBLEMS - 1}@example.org,not-found,`);
  });

  async function apply(json: boolean, report?: string): Promise<Output> {
    const { io, output } = capture();
    const code = await planAndApply(io, {
      file: unknown,
      source: await openRows(io, unknown, 'the file', {}, undefined),
      store: createMemoryStore(known),
      now: new Date(NOW),
      fixedNow: true,
      maxChanges: undefined,
      maxChangeRatio: undefined,
      batchSize: undefined,
      actor: 'test',
      yes: true,
      json,
      report,
    });
    return output(code);
  }

  it("apply's printers: the plan, the problems, --json and --report (S3, S4)", async () => {
    const report = join(dir, 'apply.csv');
    const text = await apply(false, report);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`… and ${PROBLEMS + 2 - 1000} more rows`);
    expect(text.stdout).toContain(`... and ${PROBLEMS - 50} more problems`);
    expect(text.stdout).toContain('Applied 2 changes.');
    expect(lines(readFileSync(report, 'utf8').trimEnd())).toHaveLength(PROBLEMS + 3);

    const json = await apply(true);
    expect(json.code).toBe(1);
    const data = exactJson(json.stdout) as { applied: boolean; problems: unknown[] };
    expect(data.applied).toBe(true);
    expect(data.problems).toHaveLength(PROBLEMS);
  });
});
