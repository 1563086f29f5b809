// Builds the API reference model with TypeDoc and fails when an export of any entry has no
// TSDoc summary or no @example: every export is documented, with a short example.
// Run: node scripts/check-api-docs.mjs (npm test does). `npm run docs` writes the HTML site.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'learner-status-api-'));
const jsonPath = join(scratch, 'api.json');
try {
  execFileSync('npx', ['typedoc', '--json', jsonPath, '--logLevel', 'Warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  const project = JSON.parse(readFileSync(jsonPath, 'utf8'));
  const modules = project.children ?? [];
  const problems = [];
  let count = 0;
  for (const module of modules) {
    for (const item of module.children ?? []) {
      // A symbol that several entries export (LearnerStatusError, isLearnerStatusError) is
      // documented once; TypeDoc makes the others references to it, checked where it is declared.
      if (item.variant === 'reference') continue;
      count += 1;
      // Functions carry their comment on the signature; everything else on the reflection.
      const comment = item.comment ?? item.signatures?.find((s) => s.comment)?.comment;
      const summary = (comment?.summary ?? [])
        .map((part) => part.text)
        .join('')
        .trim();
      const hasExample = (comment?.blockTags ?? []).some((tag) => tag.tag === '@example');
      if (!summary) problems.push(`${module.name}: ${item.name} has no TSDoc summary`);
      else if (!hasExample) problems.push(`${module.name}: ${item.name} has no @example`);
    }
  }
  if (problems.length > 0) {
    console.error(
      `API docs: ${problems.length} of ${count} exports lack documentation:\n  ${problems.join('\n  ')}`,
    );
    process.exitCode = 1;
  } else {
    console.log(
      `API docs: all ${count} exports of ${modules.length} entries have a summary and an example`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
