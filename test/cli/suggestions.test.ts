import { describe, expect, it } from 'vitest';
import { inProcess } from './run.js';

// A misspelt flag is refused (exit 2) and the message names the closest flag of that command.
describe('learner-status: an unknown flag names the closest one', () => {
  it.each([
    [
      ['check', 'x.csv', '--date-formats', 'dd/MM/yyyy'],
      "Unknown option '--date-formats' (did you mean '--date-format'?)",
    ],
    [
      ['preview', 'x.csv', '--max-change', '3'],
      "Unknown option '--max-change' (did you mean '--max-changes'?)",
    ],
    [
      ['apply', 'x.csv', '--timezone', 'UTC'],
      "Unknown option '--timezone' (did you mean '--time-zone'?)",
    ],
  ])('%j', async (args, expected) => {
    const run = await inProcess(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(expected);
  });

  it('names none when no flag is close', async () => {
    const run = await inProcess(['check', 'x.csv', '--colour']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--colour'. See 'learner-status check --help'.");
  });
});
