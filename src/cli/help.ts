// A command's --help, built from the same option lists as its parser: an aligned two-column
// list per section, a blank line between sections, every line within 80 columns (issue 17).
import type { CommandSpec } from './commands.js';
import { type OptionName, optionHelp, optionLabel } from './options.js';

/** The width every help line fits in: a classic terminal's. */
const HELP_WIDTH = 80;

/**
 * `text` broken at spaces into lines of at most `width` characters, the later ones indented
 * by `indent` spaces. A single word longer than the width stays whole rather than being cut;
 * a no-break space (U+00A0) keeps a flag with its value (`--users <file>`) on one line.
 */
function wrap(text: string, width: number, indent = 0, first = ''): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines.map((text) => text.replace(/\u00a0/g, ' '));
}

/** The help of `command`: usage, what it does, its options by section, exit codes. */
export function commandHelp<K extends OptionName>(command: CommandSpec<K>): string {
  // A loop rather than Math.max(...labels): no list is ever spread into a call (issue 18).
  let labelWidth = 0;
  for (const section of command.sections) {
    for (const name of section.options) labelWidth = Math.max(labelWidth, optionLabel(name).length);
  }
  // Two spaces, the label column, two spaces: where every description starts.
  const column = 2 + labelWidth + 2;
  const blocks: string[] = [
    wrap(command.usage, HELP_WIDTH, 4, 'Usage: learner-status ').join('\n'),
    ...command.about.map((paragraph) => wrap(paragraph, HELP_WIDTH).join('\n')),
  ];
  for (const section of command.sections) {
    const lines = [`${section.title}:`];
    for (const name of section.options) {
      const label = `  ${optionLabel(name).padEnd(labelWidth)}  `;
      for (const text of wrap(optionHelp(command, name), HELP_WIDTH, column, label))
        lines.push(text);
    }
    blocks.push(lines.join('\n'));
  }
  blocks.push(wrap(command.exitCodes, HELP_WIDTH).join('\n'));
  return `${blocks.join('\n\n')}\n`;
}
