// Child process of bench/xlsx/run.ts: reads the workbook with parseXlsx, every row validated
// (what an application gets), and prints one JSON line with the row count, time and peak RSS.
//
//   node --import tsx bench/xlsx/parse-xlsx.ts <file.xlsx>
import { readFile } from 'node:fs/promises';
import { parseXlsx } from '../../src/xlsx/index.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: parse-xlsx.ts <file.xlsx>');
const start = performance.now();
let rows = 1; // the header, as the bare reader and openSheet count it
let invalid = 0;
for await (const row of parseXlsx(await readFile(path), { maxBytes: 1024 * 1024 * 1024 })) {
  rows++;
  if (!row.result.ok) invalid++;
}
const ms = performance.now() - start;
console.log(JSON.stringify({ rows, invalid, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
