// Child process of bench/csv/run.ts: parses one file from a file stream with parseCsv, every
// row validated, and prints one JSON line with the row count, time and peak RSS.
//
//   node --import tsx bench/csv/parse-file.ts <file.csv>
import { createReadStream } from 'node:fs';
import { parseCsv } from '../../src/csv/index.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: parse-file.ts <file.csv>');
const start = performance.now();
let rows = 0;
let invalid = 0;
for await (const row of parseCsv(createReadStream(path, { highWaterMark: 1 << 16 }))) {
  rows++;
  if (!row.result.ok) invalid++;
}
const ms = performance.now() - start;
console.log(JSON.stringify({ rows, invalid, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
