// One slice of `npm run mutation`, for a machine too small to mutate all of src/ in one run
// (`npm run mutation:slices`, scripts/mutation/slices.mjs). MUTATION_SLICE names the slice in
// scripts/mutation/slices.json: the modules it mutates and the suites that test them, so each
// mutant pays only for the suites meant to catch it. A mutant those suites miss but another
// suite would catch counts as survived: a slice's score is a lower bound of the full run's.
import { readFileSync } from 'node:fs';
import base from './stryker.config.mjs';

const slices = JSON.parse(readFileSync('scripts/mutation/slices.json', 'utf8'));
const name = process.env.MUTATION_SLICE ?? '';
const slice = slices[name];
if (slice === undefined) {
  throw new Error(
    `MUTATION_SLICE must name a slice of scripts/mutation/slices.json (${Object.keys(slices).join(', ')}), but it is ${JSON.stringify(name)}.`,
  );
}

// MUTATION_LINES (set by scripts/mutation/slices.mjs --sample or --retest): only these
// `file:line-line` ranges are mutated, and the run is reported apart (MUTATION_REPORT: `sample`
// or `retest`).
const lines =
  process.env.MUTATION_LINES === undefined ? null : JSON.parse(process.env.MUTATION_LINES);
const report =
  lines === null ? `slice-${name}` : `slice-${name}.${process.env.MUTATION_REPORT ?? 'sample'}`;

export default {
  ...base,
  vitest: { configFile: 'scripts/mutation/vitest.slice.config.ts', related: true },
  mutate: lines ?? [...slice.mutate, '!src/**/index.ts'],
  // The event recorder writes each tested mutant as it is tested (onMutantTested files), so
  // survivors of a long slice can be read and worked on before it ends.
  reporters: ['clear-text', 'progress', 'json', 'event-recorder'],
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  eventReporter: { baseDir: `reports/mutation/events-${report}` },
  thresholds: { high: 95, low: 90, break: null },
  concurrency: 1,
  timeoutMS: 10_000,
  tempDirName: `.stryker-tmp-${report}`,
  // Not copied into the sandbox: the sandboxes of slices running at the same time (one that
  // ends while this one copies it stops this run), reports, builds and scratch files.
  ignorePatterns: ['/.stryker-tmp*', '/reports', '/dist', '/coverage', '/.tmp'],
  // A slice run again re-tests what changed since its last complete run (--force: everything).
  incremental: lines === null,
  incrementalFile: `reports/mutation/${report}.incremental.json`,
};
