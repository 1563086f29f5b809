// Deterministic generator of the benchmark files described in issue 3: the header
// `Email,First Name,Last Name,Active,Expiration Date`, a UTF-8 BOM, CRLF line ends, about 5%
// quoted fields (commas, escaped quotes), non-ASCII names, mixed-case Yes/No, 40% blank dates
// and 0.1% invalid rows. The same seed always writes the same bytes, so runs are comparable.
//
//   node --import tsx bench/csv/generate.ts            # writes the default set into bench/.data
//   node --import tsx bench/csv/generate.ts 250000     # one file with that many rows
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.data');

/** mulberry32: tiny, fast, and deterministic across Node versions. */
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

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Zoë',
  'José',
  'Björn',
  'Léa',
  'Øyvind',
  'Chloé',
  'Mateo',
  'Aiko',
  'Jürgen',
  'Siobhán',
  'Noah',
  'Ana',
  'Åsa',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Müller',
  "O'Brien",
  'García',
  'Nguyễn',
  'Sørensen',
  'Dvořák',
  'Smith',
  'Kowalski',
  'Łukasz',
  'Ferreira',
  'Jones',
  'Öztürk',
  'Brown',
];
const ACTIVE = ['Yes', 'No', 'yes', 'no', 'YES', 'NO', ' Yes', 'No '];
const INVALID_ACTIVE = ['Maybe', 'TRUE', '1', 'Expired', 'Inactive'];

/** RFC 4180 quoting for a cell that needs it. */
function cell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export type Kind = 'mixed' | 'invalid';

/** One data row of the benchmark file; `invalid` makes every row fail validation. */
export function makeRow(next: () => number, index: number, kind: Kind): string {
  const first = FIRST[Math.floor(next() * FIRST.length)]!;
  const last = LAST[Math.floor(next() * LAST.length)]!;
  const email = `${first
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z]/g, '')}.${last
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z]/g, '')}${index}@learners.example.org`;
  const quoted = next() < 0.05;
  const firstCell = quoted ? `${first}, Jr.` : first;
  const lastCell = quoted && next() < 0.5 ? `${last} "the ${first}"` : last;
  const invalid = kind === 'invalid' || next() < 0.001;
  const active = invalid
    ? INVALID_ACTIVE[Math.floor(next() * INVALID_ACTIVE.length)]!
    : ACTIVE[Math.floor(next() * ACTIVE.length)]!;
  let date = '';
  if (next() >= 0.4) {
    const year = 2026 + Math.floor(next() * 3);
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 28);
    date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  return `${email},${cell(firstCell)},${cell(lastCell)},${active},${date}\r\n`;
}

/** Writes `rows` rows to `path` (BOM, CRLF) unless the file exists; resolves to the path. */
export async function generate(
  rows: number,
  kind: Kind = 'mixed',
  seed = 20_260_101,
): Promise<string> {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `users-${kind}-${rows}.csv`);
  if (existsSync(path)) return path;
  const next = random(seed);
  const out = createWriteStream(`${path}.part`);
  let block = '\uFEFFEmail,First Name,Last Name,Active,Expiration Date\r\n';
  for (let index = 1; index <= rows; index++) {
    block += makeRow(next, index, kind);
    if (block.length > 1 << 16) {
      if (!out.write(block))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      block = '';
    }
  }
  await new Promise<void>((resolve, reject) => {
    out.end(block, () => resolve());
    out.once('error', reject);
  });
  const { renameSync } = await import('node:fs');
  renameSync(`${path}.part`, path);
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const requested = Number(process.argv[2]);
  const jobs: Promise<string>[] =
    Number.isInteger(requested) && requested > 0
      ? [generate(requested)]
      : [generate(100_000), generate(1_000_000), generate(100_000, 'invalid')];
  for (const path of await Promise.all(jobs)) console.log(path);
}
