// Plan + apply of the 1M-row benchmark file against the memory store (issue 4), as a ratio
// to papaparse's bare streaming parse of the same file in the same process, and the library
// memory a plan keeps per row beyond the store's own data.
//
//   node --expose-gc --import tsx bench/store/memory-bulk.ts [file.csv]
//
// The file comes from `node --import tsx bench/csv/generate.ts` (bench/.data).
import { createReadStream, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import {
  applyBulkUpdate,
  type BulkPlan,
  type BulkReport,
  planBulkUpdate,
} from '../../src/bulk/index.js';
import { parseCsv } from '../../src/csv/index.js';
import type { User } from '../../src/status/index.js';
import { createMemoryStore } from '../../src/store/index.js';

const file =
  process.argv[2] ??
  join(dirname(fileURLToPath(import.meta.url)), '..', '.data', 'users-mixed-1000000.csv');
if (!existsSync(file)) {
  throw new Error(`No benchmark file at ${file}; run: node --import tsx bench/csv/generate.ts`);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const stream = () => createReadStream(file, { highWaterMark: 1 << 16 });

async function papaparse(): Promise<{ ms: number; rows: number }> {
  const start = performance.now();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 }), {
      step: () => {
        rows++;
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  // The header is a row for papaparse (header: false); parseCsv does not yield it.
  return { ms: performance.now() - start, rows: rows - 1 };
}

// Every user of the file exists, active, half of them with a date (so rows change, stay
// unchanged or are duplicates in realistic shares). Not timed.
const users: User[] = [];
const seen = new Set<string>();
for await (const { result } of parseCsv(stream())) {
  if (result.ok && !seen.has(result.update.userId)) {
    seen.add(result.update.userId);
    users.push({
      id: result.update.userId,
      status: 'active',
      expiresAt: users.length % 2 ? new Date('2026-09-01T00:00:00Z') : null,
    });
  }
}
seen.clear();

// Each run in its own function: a variable of a top-level loop body can outlive its
// iteration (module code is resumable after an await), which kept run 1's plan alive while
// run 2 measured its base heap and made run 2's figure look 10x smaller than it is.
async function run(runNumber: number): Promise<void> {
  const store = createMemoryStore(users);
  const base = heap();
  const { ms: papaMs, rows: papaRows } = await papaparse();
  const start = performance.now();
  let plan: BulkPlan | null = await planBulkUpdate(parseCsv(stream()), store, {
    now: new Date('2026-06-01T00:00:00Z'),
    actor: 'bench',
  });
  const planMs = performance.now() - start;
  const planBytes = heap() - base;
  const applyStart = performance.now();
  let report: BulkReport | null = await applyBulkUpdate(plan, store, { batchSize: 1000 });
  const applyMs = performance.now() - applyStart;
  // The library's part after the apply: the heap with the plan and the report alive, minus
  // the heap once they are dropped (the store, with its new records and events, stays).
  const withPlanAndReport = heap();
  const rows = plan.rows.length;
  const changed = report.totals.changed;
  const reportRows = report.rows.length;
  plan = null;
  report = null;
  const planAndReportBytes = withPlanAndReport - heap();
  const totalMs = planMs + applyMs;
  console.log(
    JSON.stringify({
      run: runNumber,
      rows,
      papaparseRows: papaRows,
      changed,
      papaparseMs: Math.round(papaMs),
      planMs: Math.round(planMs),
      applyMs: Math.round(applyMs),
      ratioToPapaparse: +(totalMs / papaMs).toFixed(2),
      planBytesPerRow: Math.round(planBytes / rows),
      planAndReportBytesPerRow: Math.round(planAndReportBytes / rows),
      reportRows,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

for (let runNumber = 1; runNumber <= 2; runNumber++) await run(runNumber);
