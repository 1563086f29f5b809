import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from './run.js';

// Issue 18: a list spread into a call (`Math.max(...cells)`, `push(...rows)`, `f.apply(null,
// list)`) puts every item on the stack, and a million-row file overflowed it. No source file
// may do so, except over the fixed lists of the testing kit's arbitraries, written in the
// source itself (a handful of characters or names).

const FIXED_LISTS = /^fc\.(constantFrom|oneof)\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Each call with a spread argument, and each `.apply(` call, as `file:line: text`. */
function listsIntoCalls(): string[] {
  const found: string[] = [];
  for (const path of sourceFiles(join(root, 'src'))) {
    const file = relative(root, path);
    const source = ts.createSourceFile(file, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
    const at = (node: ts.Node) =>
      `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${node.getText(source).split('\n')[0]}`;
    const visit = (node: ts.Node): void => {
      if (
        (ts.isCallExpression(node) || ts.isNewExpression(node)) &&
        node.arguments?.some(ts.isSpreadElement) &&
        !(file.startsWith('src/testing/') && FIXED_LISTS.test(node.getText(source)))
      )
        found.push(at(node));
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'apply' &&
        ts.isPropertyAccessExpression(node.expression.expression) &&
        ['fromCharCode', 'fromCodePoint', 'push', 'max', 'min'].includes(
          node.expression.expression.name.text,
        )
      )
        found.push(at(node));
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('no list is spread into a call (issue 18)', () => {
  it('src/ spreads no list into call arguments, but the bounded decoder block', () => {
    // src/csv/encodings.ts turns code units into text 8,192 at a time: a bounded list.
    expect(listsIntoCalls()).toEqual([
      expect.stringMatching(/^src\/csv\/encodings\.ts:\d+: String\.fromCharCode\.apply\($/),
    ]);
  });
});
