// The export of current users that goes with a benchmark bulk file (issue 18): one user per
// row of `bench/.data/users-mixed-N.csv`, with the same e-mail (the bulk file's generator is
// replayed with its seed), in the users-export form `preview --users` reads: `Email`, `Active`
// Yes/No, `Expiration Date`. 90% of the users are active; half have a date, a fifth of those
// already past, so that a preview meets every outcome and warning (STAYS_EXPIRED,
// EXPIRES_IN_PAST) in realistic shares. Deterministic: the same N always writes the same bytes.
//
//   node --import tsx bench/cli/users-export.ts 1000000   # bench/.data/users-export-1000000.csv
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_DIR, generate, makeRow } from '../csv/generate.js';

/** mulberry32, as bench/csv/generate.ts draws it (kept private there). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of bench/csv/generate.ts, so that the e-mails are those of its bulk files. */
const BULK_SEED = 20_260_101;

/**
 * Writes the users export for the `rows`-row bulk file (and the bulk file itself when it is
 * missing) unless it exists; resolves to its path.
 *
 * @example
 * ```ts
 * const users = await generateUsersExport(100_000); // bench/.data/users-export-100000.csv
 * ```
 */
export async function generateUsersExport(rows: number): Promise<string> {
  await generate(rows);
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `users-export-${rows}.csv`);
  if (existsSync(path)) return path;
  const bulk = random(BULK_SEED);
  const own = random(7);
  const out = createWriteStream(`${path}.part`);
  let block = 'Email,Active,Expiration Date\r\n';
  for (let index = 1; index <= rows; index++) {
    const line = makeRow(bulk, index, 'mixed');
    const email = line.slice(0, line.indexOf(','));
    const active = own() < 0.9 ? 'Yes' : 'No';
    let date = '';
    if (own() < 0.5) {
      const year = own() < 0.2 ? 2025 : 2027 + Math.floor(own() * 2);
      const month = 1 + Math.floor(own() * 12);
      const day = 1 + Math.floor(own() * 28);
      date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    }
    block += `${email},${active},${date}\r\n`;
    if (block.length > 1 << 16) {
      if (!out.write(block))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      block = '';
    }
  }
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(block, () => resolve());
  });
  renameSync(`${path}.part`, path);
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const requested = Number(process.argv[2] ?? 1_000_000);
  console.log(await generateUsersExport(requested));
}
