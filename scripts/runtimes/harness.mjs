// Runs the smoke program in a server runtime (Node, Bun, Deno) from a scratch consumer that
// installed the packed tarball, and prints the verdict as JSON. Usage, from the consumer:
// `<runtime> harness.mjs import|require <package name>`. `require` loads every entry and peer
// through createRequire, so the package's CommonJS build answers, not its ESM one.
import { createRequire } from 'node:module';
import process from 'node:process';
import { verdict } from './smoke.mjs';

const [mode, name] = process.argv.slice(2);
if ((mode !== 'import' && mode !== 'require') || !name) {
  throw new Error('usage: harness.mjs import|require <package name>');
}
const require = createRequire(import.meta.url);
const load = mode === 'require' ? async (specifier) => require(specifier) : (s) => import(s);
const specifiers = {
  main: name,
  csv: `${name}/csv`,
  schema: `${name}/schema`,
  dates: `${name}/dates`,
  xlsx: `${name}/xlsx`,
  testing: `${name}/testing`,
  fflate: 'fflate',
  fc: 'fast-check',
};
// Each mode must reach the build it names, or the two runs would test one build twice.
const build = mode === 'require' ? /\.cjs$/ : /\.js$/;
const resolved = mode === 'require' ? require.resolve(name) : import.meta.resolve(name);
if (!build.test(resolved)) throw new Error(`${mode} of ${name} resolved to ${resolved}`);
const entries = {};
for (const [key, specifier] of Object.entries(specifiers)) entries[key] = await load(specifier);
process.stdout.write(`${JSON.stringify(await verdict(entries))}\n`);
