import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

// A new PGlite runs initdb in WebAssembly: about 10 s on a 2-core machine, most of the time of
// the PGlite suite, and paid again by every mutant of a mutation run. Loading a copy of a new,
// empty database gives the same database in a few seconds. The copy is made on first use and
// kept in node_modules/.cache, per PGlite version; it is never committed.
const root = join(import.meta.dirname, '..', '..', 'node_modules');
const version = (
  JSON.parse(readFileSync(join(root, '@electric-sql', 'pglite', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
const cacheDir = join(root, '.cache', 'learner-status');
const cacheFile = join(cacheDir, `pglite-${version}-empty.tar`);

/** A new, empty PGlite database, ready for queries. */
export async function emptyPglite(): Promise<PGlite> {
  let saved: Buffer | undefined;
  try {
    saved = readFileSync(cacheFile);
  } catch {
    saved = undefined;
  }
  if (saved !== undefined) {
    const db = new PGlite({ loadDataDir: new Blob([saved]) });
    await db.waitReady;
    return db;
  }
  const db = new PGlite();
  await db.waitReady;
  const copy = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
  // Written aside and renamed, so that a test running at the same time never reads half a copy.
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${cacheFile}.${process.pid}.partial`;
  writeFileSync(partial, copy);
  renameSync(partial, cacheFile);
  return db;
}
