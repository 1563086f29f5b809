// Runs the suites that read, compare or print dates (rules, dates, CSV, schema, arbitraries,
// reminders) again under other process time zones: nothing in learner-status may depend on the
// process's zone (R11 always takes an explicit one). The full suite already ran in the
// machine's own zone.
//
// Why it is fast: the zones run side by side, and each run shares one module graph between its
// files (--no-isolate), which saves a fresh import of the sources per file (28 s a zone with
// isolation, 11 s without). test/csv/date-fns.test.ts is left out here because it checks what a
// fresh module graph has loaded, which only isolation gives; it names its zones explicitly and
// runs in the main suite.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Writes each zone's counts for the total that .ci/run prints last.
const COUNTS = fileURLToPath(new URL('./test-counts/reporter.mjs', import.meta.url));

// UTC first: a machine's own zone may be anything, so UTC is run explicitly too, unless it is
// the zone the main suite just ran in (it then ran every one of these suites already).
const ALL_ZONES = [
  'UTC',
  'America/New_York',
  'Pacific/Kiritimati',
  'Asia/Kolkata',
  'America/Havana',
];
const OWN_ZONE = new Intl.DateTimeFormat().resolvedOptions().timeZone;
const ZONES = ALL_ZONES.filter((zone) => zone !== OWN_ZONE);
const SUITES = [
  'test/status',
  'test/transitions',
  'test/login',
  'test/dates',
  'test/schema',
  'test/csv',
  'test/testing',
  'test/reminders',
  'test/adversarial',
];
const NEEDS_ISOLATION = ['test/csv/date-fns.test.ts'];

function runZone(zone) {
  return new Promise((resolve) => {
    const child = spawn(
      'npx',
      [
        'vitest',
        'run',
        '--reporter=dot',
        `--reporter=${COUNTS}`,
        '--no-isolate',
        '--maxWorkers=1',
        ...NEEDS_ISOLATION.flatMap((file) => ['--exclude', file]),
        ...SUITES,
      ],
      {
        // The test in test/dates/process-zone.test.ts proves the zone really applied.
        env: {
          ...process.env,
          TZ: zone,
          LEARNER_STATUS_EXPECT_TZ: zone,
          TEST_COUNTS_LABEL: `tz-${zone}`,
          NO_COLOR: '1',
          FORCE_COLOR: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => resolve({ zone, code, output }));
  });
}

const started = Date.now();
const results = await Promise.all(ZONES.map(runZone));
let failed = false;
for (const { zone, code, output } of results) {
  const summary = output.match(/Tests\s+.*$/m)?.[0] ?? '';
  console.log(`TZ=${zone}: ${summary.trim() || 'no summary'}`);
  if (code !== 0) {
    failed = true;
    console.log(output);
  }
}
const skipped = ALL_ZONES.includes(OWN_ZONE) ? ` (${OWN_ZONE}: the main suite's own zone)` : '';
console.log(`${ZONES.length} zones in ${((Date.now() - started) / 1000).toFixed(0)} s${skipped}`);
process.exitCode = failed ? 1 : 0;
