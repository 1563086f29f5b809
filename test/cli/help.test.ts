// Issue 17: each command's --help lists exactly the options its parser takes, as an aligned
// two-column list with a blank line between sections, within 80 columns.
import { describe, expect, it } from 'vitest';
import { APPLY, CHECK, type CommandSpec, PREVIEW } from '../../src/cli/commands.js';
import { MAIN_HELP } from '../../src/cli/main.js';
import { OPTIONS, type OptionName, optionsOf } from '../../src/cli/options.js';
import { inProcess } from './run.js';

const ALL = Object.keys(OPTIONS) as OptionName[];

/** The long names of the options listed in a help text's option lines. */
function listed(help: string): string[] {
  return help
    .split('\n')
    .map((line) => /^ {2}(?:-\w, )?--([\w-]+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** The command line with `--name` (and a value when it takes one), then --help. */
function withOption(command: string, name: OptionName): string[] {
  const value = OPTIONS[name].type === 'string' ? ['x'] : [];
  return name === 'help' ? [command, '--help'] : [command, `--${name}`, ...value, '--help'];
}

describe.each([CHECK, PREVIEW, APPLY] as CommandSpec[])('$name --help', (spec) => {
  it('lists every option the command parses, and no other', async () => {
    const help = await inProcess([spec.name, '--help']);
    expect(help.code).toBe(0);
    expect(listed(help.stdout).sort()).toEqual([...optionsOf(spec)].sort());
    // What the parser takes, asked of the parser itself: each option either is read (the help
    // follows) or is refused as unknown.
    for (const name of ALL) {
      const run = await inProcess(withOption(spec.name, name));
      if (optionsOf(spec).includes(name)) {
        expect(run.code, `--${name}`).toBe(0);
        expect(run.stdout).toBe(help.stdout);
      } else {
        expect(run.code, `--${name}`).toBe(2);
        expect(run.stderr).toContain(`${spec.name}: Unknown option '--${name}'`);
        expect(listed(help.stdout)).not.toContain(name);
      }
    }
  });

  it('is a clean, aligned list: sections apart, descriptions in one column, 80 columns', async () => {
    const { stdout } = await inProcess([spec.name, '--help']);
    const lines = stdout.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout).not.toMatch(/\n\n\n/);
    // Every section title follows a blank line.
    const titles = lines.flatMap((line, i) => (/^[A-Z][\w ]*:$/.test(line) ? [i] : []));
    expect(titles.map((i) => i)).toHaveLength(spec.sections.length);
    for (const i of titles) expect(lines[i - 1]).toBe('');
    // Every description starts in the same column; wrapped lines continue under it.
    const options = lines.filter((line) => /^ {2}-/.test(line));
    const columns = new Set(
      options.map((line) => /^ {2}\S.*?\S {2,}(?=\S)/.exec(line)?.[0].length),
    );
    expect(columns.size).toBe(1);
    const [column] = [...columns] as [number];
    const continued = lines.filter((line) => /^ {3,}\S/.test(line) && !/^ {4}\S/.test(line));
    for (const line of continued) expect(line.length - line.trimStart().length).toBe(column);
  });
});

it('check takes no --now: it reads no clock; preview and apply take it', async () => {
  const run = await inProcess([
    'check',
    'test/cli/fixtures/clean.csv',
    '--now',
    '2026-11-25T09:00:00Z',
  ]);
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(
    "learner-status: error: check: Unknown option '--now' (preview and apply take it). See 'learner-status check --help'.\n",
  );
  expect((await inProcess(['check', '-y'])).stderr).toContain(
    "Unknown option '-y' (apply takes it)",
  );
});

it('the main help fits 80 columns', () => {
  for (const line of MAIN_HELP.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
});
