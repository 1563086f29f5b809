// Child processes of the runtime matrix. Each child leads a process group of its own, so that
// ending it also ends what it started (npx, vitest and its workers; workerd), and every group
// still alive is ended when this script exits or is interrupted: a run must leave no server
// or browser behind on a CI machine.
import { spawn } from 'node:child_process';

const live = new Set();

function endGroup(child, signal = 'SIGTERM') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

process.on('exit', () => {
  for (const child of live) endGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of live) endGroup(child, 'SIGKILL');
    process.exit(130);
  });
}

/**
 * Starts a command in its own process group, output captured. `done` settles when it exits,
 * never rejects: `{ code, signal, stdout, stderr, ms }` (code null when it could not start or
 * was ended). `stop()` ends the group, politely first.
 */
export function start(command, args, { input, timeoutMs = 600_000, ...options } = {}) {
  const began = performance.now();
  const child = spawn(command, args, {
    ...options,
    detached: true,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text) => {
    stderr += text;
  });
  if (input !== undefined) child.stdin.end(input);
  const timer = setTimeout(() => {
    stderr += `\n(ended after ${timeoutMs / 1000} s)`;
    endGroup(child, 'SIGKILL');
  }, timeoutMs);
  const done = new Promise((resolve) => {
    const finish = (code, signal, error) => {
      clearTimeout(timer);
      live.delete(child);
      if (error) stderr += `\n${error.message}`;
      resolve({ code, signal, stdout, stderr, ms: performance.now() - began });
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('close', (code, signal) => finish(code, signal));
  });
  const stop = async () => {
    if (!live.has(child)) return done;
    endGroup(child, 'SIGTERM');
    const killer = setTimeout(() => endGroup(child, 'SIGKILL'), 3000);
    const result = await done;
    clearTimeout(killer);
    return result;
  };
  return { child, done, stop, output: () => stdout + stderr };
}

/** Runs a command to its end; see {@link start}. */
export const run = (command, args, options) => start(command, args, options).done;

/** The run's output for a failure report: its last lines, which say what went wrong. */
export function tail(result, lines = 60) {
  const text = `${result.stdout}\n${result.stderr}`.trim().split('\n');
  const shown = text.slice(-lines);
  return (text.length > lines ? ['...', ...shown] : shown).join('\n');
}
