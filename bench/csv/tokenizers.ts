// Tokenizer choice (docs/csv.md): the same file, streamed from disk in 64 KiB chunks, through
// papaparse (streaming, rows counted), csv-parse (strict, streaming) and our CsvTokenizer.
//
//   node --import tsx bench/csv/tokenizers.ts [rows]
import { createReadStream } from 'node:fs';
import { parse as csvParse } from 'csv-parse';
import Papa from 'papaparse';
import { CsvTokenizer } from '../../src/csv/tokenizer.js';
import { generate } from './generate.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const path = await generate(rows);
const CHUNK = 1 << 16;

async function papaparse(): Promise<number> {
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK }), {
      step: () => {
        count++;
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  return count;
}

async function csvParseStrict(): Promise<number> {
  let count = 0;
  const parser = createReadStream(path, { highWaterMark: CHUNK }).pipe(
    csvParse({ bom: true, relax_quotes: false, relax_column_count: false, skip_empty_lines: true }),
  );
  for await (const _record of parser) count++;
  return count;
}

async function ours(): Promise<number> {
  let count = 0;
  const tokenizer = new CsvTokenizer(() => {
    count++;
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    tokenizer.push(decoder.decode(chunk as Buffer, { stream: true }));
  }
  tokenizer.push(decoder.decode());
  tokenizer.finish();
  return count;
}

const contenders: [string, () => Promise<number>][] = [
  ['papaparse (stream)', papaparse],
  ['csv-parse (strict)', csvParseStrict],
  ['CsvTokenizer', ours],
];
const best = new Map<string, number>();
for (let round = 0; round < 3; round++) {
  for (const [name, run] of contenders) {
    const start = performance.now();
    const count = await run();
    const ms = performance.now() - start;
    best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, ms));
    if (round === 0) console.log(`${name}: ${count} records`);
  }
}
const base = best.get('papaparse (stream)')!;
for (const [name, ms] of best) {
  console.log(
    `${name.padEnd(20)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / base).toFixed(2)}x papaparse`,
  );
}
