// Lists every broken relative link in README.md and docs/: a missing file, a file the npm
// package does not ship (readers in node_modules see only README.md, CHANGELOG.md, LICENSE,
// docs/**/*.md and docs/images/*.jpg: package.json's files), or an anchor with no matching heading. Exit 1 when any is found.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';

const shipped = (file) =>
  /^(README\.md|CHANGELOG\.md|LICENSE|docs\/.*\.md|docs\/images\/[^/]+\.jpg)$/.test(file);
const markdownIn = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? markdownIn(join(dir, entry.name))
      : entry.name.endsWith('.md')
        ? [join(dir, entry.name)]
        : [],
  );
const withoutCode = (text) => text.replace(/^```[\s\S]*?^```/gm, '');
// GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens.
const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
const anchorsOf = (file) =>
  withoutCode(readFileSync(file, 'utf8'))
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => slug(line.replace(/^#+ /, '')));

let broken = 0;
for (const file of ['README.md', ...markdownIn('docs')]) {
  const text = withoutCode(readFileSync(file, 'utf8')).replace(/`[^`\n]*`/g, '');
  for (const match of text.matchAll(
    /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\)|^\[[^\]]+\]:\s*(\S+)/gm,
  )) {
    const target = match[1] ?? match[2] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [path, anchor] = target.split('#');
    const resolved = path === '' ? file : normalize(join(dirname(file), decodeURI(path)));
    const why = !existsSync(resolved)
      ? 'missing'
      : !shipped(resolved.split(sep).join('/'))
        ? 'not shipped in the package'
        : anchor && resolved.endsWith('.md') && !anchorsOf(resolved).includes(anchor)
          ? 'no such heading'
          : '';
    if (why !== '') {
      broken += 1;
      console.log(`${file}: ${target} (${why})`);
    }
  }
}
process.exitCode = broken > 0 ? 1 : 0;
