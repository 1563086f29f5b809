import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without declarations.
import { extractDocSnippets } from '../../scripts/doc-snippets.mjs';

// TSDoc examples (*.check.ts) are type-checked by `npm run typecheck`, not run.
const snippets: string[] = extractDocSnippets().filter(
  (name: string) => !name.endsWith('.check.ts'),
);

describe('examples in README.md and docs/ run as written', () => {
  it('there are examples to run', () => {
    expect(snippets.length).toBeGreaterThan(3);
  });

  it.each(snippets)('%s runs without throwing', async (name) => {
    // The file names are known only when the docs are read, so Vite cannot analyse the import.
    await expect(import(/* @vite-ignore */ `../doc-snippets/${name}`)).resolves.toBeDefined();
  });
});
