import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without declarations.
import { extractDocSnippets } from '../../scripts/doc-snippets.mjs';

const snippets: string[] = extractDocSnippets();

describe('examples in README.md and docs/ run as written', () => {
  it('there are examples to run', () => {
    expect(snippets.length).toBeGreaterThan(3);
  });

  it.each(snippets)('%s runs without throwing', async (name) => {
    await expect(import(`../doc-snippets/${name}`)).resolves.toBeDefined();
  });
});
