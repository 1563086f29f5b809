// Child process of bench/xlsx/run.ts: reads the workbook's first sheet with openSheet, every
// record consumed (the file read whole, as the bare reader reads it), and prints one JSON line with the record count, time and peak RSS.
//
//   node --import tsx bench/xlsx/open-sheet.ts <file.xlsx>
import { readFile } from 'node:fs/promises';
import { openSheet } from '../../src/xlsx/sheet.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: open-sheet.ts <file.xlsx>');
const start = performance.now();
const { records } = await openSheet(await readFile(path), {
  maxBytes: 1024 * 1024 * 1024,
  maxFieldLength: 10_000,
});
let rows = 0;
let cells = 0;
for await (const record of records) {
  rows++;
  cells += record.cells.length;
}
const ms = performance.now() - start;
console.log(JSON.stringify({ rows, cells, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
