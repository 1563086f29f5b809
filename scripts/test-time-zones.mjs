// Runs the pure test suites (rules, dates, CSV, arbitraries, reminders) again under other
// process time zones: nothing in learner-status may depend on the process's zone (R11 always
// takes an explicit one). The full suite already ran in the machine's own zone.
import { spawnSync } from 'node:child_process';

// UTC first: a machine's own zone may be anything, so UTC is run explicitly too.
const ZONES = ['UTC', 'America/New_York', 'Pacific/Kiritimati', 'Asia/Kolkata', 'America/Havana'];
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

let failed = false;
for (const zone of ZONES) {
  const result = spawnSync('npx', ['vitest', 'run', '--reporter=dot', ...SUITES], {
    env: { ...process.env, TZ: zone, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const summary = result.stdout.match(/Tests\s+.*$/m)?.[0] ?? '';
  console.log(`TZ=${zone}: ${summary.trim() || 'no summary'}`);
  if (result.status !== 0) {
    failed = true;
    console.log(result.stdout);
  }
}
process.exitCode = failed ? 1 : 0;
