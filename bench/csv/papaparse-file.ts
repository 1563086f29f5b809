// Child process of bench/csv/run.ts: papaparse's streaming parse of one file from a file
// stream, rows counted and not kept (the baseline of issue 3). Prints one JSON line.
//
//   node --import tsx bench/csv/papaparse-file.ts <file.csv>
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: papaparse-file.ts <file.csv>');
const start = performance.now();
let rows = 0;
await new Promise<void>((resolve, reject) => {
  Papa.parse(createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 }), {
    step: () => {
      rows++;
    },
    complete: () => resolve(),
    error: (error: Error) => reject(error),
  });
});
const ms = performance.now() - start;
// The header is a row for papaparse (header: false); parseCsv does not yield it.
console.log(
  JSON.stringify({ rows: rows - 1, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }),
);
