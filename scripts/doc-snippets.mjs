// Extracts every ```ts block of README.md and docs/**/*.md into test/doc-snippets/, with
// imports of the package rewritten to the sources, so that `tsc` type-checks them and
// test/docs/snippets.test.ts runs them: examples in the docs cannot rot.
// Run: node scripts/doc-snippets.mjs (npm run typecheck does).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test', 'doc-snippets');

const ENTRIES = {
  'learner-status': 'src/index.js',
  'learner-status/csv': 'src/csv/index.js',
  'learner-status/dates': 'src/dates/index.js',
  'learner-status/postgres': 'src/postgres/index.js',
  'learner-status/schema': 'src/schema/index.js',
  'learner-status/testing': 'src/testing/index.js',
  'learner-status/xlsx': 'src/xlsx/index.js',
};

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/**
 * Writes `text` to `path` unless the file already holds it. Two suites may extract at once
 * (the runtime matrix runs Node 22 and 24 side by side in one tree): a file rewritten, or the
 * folder emptied, while the other imports a snippet made that import fail.
 */
function writeIfChanged(path, text) {
  let old;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old !== text) writeFileSync(path, text);
}

/** Writes the snippets (only those that changed, removing those gone) and returns their file names. */
export function extractDocSnippets() {
  mkdirSync(outDir, { recursive: true });
  const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];
  const written = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // ```ts no-run marks an example of the reader's own test file: shown, not extracted.
    const blocks = [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)];
    blocks.forEach((block, index) => {
      const line = text.slice(0, block.index).split('\n').length;
      const source = block[1].replace(
        /(from |import\()'(learner-status(?:\/\w+)?)'/g,
        (match, keyword, name) => (ENTRIES[name] ? `${keyword}'../../${ENTRIES[name]}'` : match),
      );
      const name = `${relative(root, file).replace(/[/.]/g, '_')}_${index + 1}.ts`;
      writeIfChanged(
        join(outDir, name),
        `// Extracted from ${relative(root, file)}:${line}. Do not edit: edit the Markdown.\n${source}\nexport {};\n`,
      );
      written.push(name);
    });
  }
  // TSDoc examples of the sources: type-checked (by `npm run typecheck`), not run, since many
  // are fragments (a login handler, a test file).
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const blocks = [...text.matchAll(/^\s*\* ```ts\n([\s\S]*?)^\s*\* ```$/gm)];
    // Only examples of the public API: examples of internal helpers name no package entry.
    blocks
      .filter((block) => /from 'learner-status/.test(block[1]))
      .forEach((block, index) => {
        const line = text.slice(0, block.index).split('\n').length;
        const source = block[1]
          .split('\n')
          .map((l) => l.replace(/^\s*\* ?/, ''))
          .join('\n')
          .replace(/(from |import\()'(learner-status(?:\/\w+)?)'/g, (match, keyword, name) =>
            ENTRIES[name] ? `${keyword}'../../${ENTRIES[name]}'` : match,
          );
        const name = `${relative(root, file).replace(/[/.]/g, '_')}_${index + 1}.check.ts`;
        writeIfChanged(
          join(outDir, name),
          `// Extracted from the TSDoc example at ${relative(root, file)}:${line}.\n${source}\nexport {};\n`,
        );
        written.push(name);
      });
  }
  // Snippets of examples that are gone.
  const kept = new Set(written);
  for (const name of readdirSync(outDir)) {
    if (!kept.has(name)) rmSync(join(outDir, name), { force: true });
  }
  return written;
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`doc snippets: ${extractDocSnippets().length} extracted`);
}
