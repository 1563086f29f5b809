// The command line's own process, kept within a bound while `apply` writes a million rows.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How far the heap may grow past what the last full collection left, by default. */
const DEFAULT_SLACK_BYTES = 128 * 1024 * 1024;

/**
 * A check to call between batches: when the V8 heap has grown by more than `slackBytes` since
 * the last full collection, it asks for one. Why: V8 lets its heap grow to two or three times
 * the live data before it collects on its own, so `apply` of a million rows, which keeps about
 * 270 MB (the plan and its report) and makes a few MB of garbage per batch, peaked at 0.9-1.2
 * GB. A full collection of that heap takes tens of milliseconds, and is asked for a dozen or so
 * times per million rows. Only the command line does this: the process is its own, whereas a
 * library must leave an application's collector alone. Where `gc` cannot be had, the check
 * does nothing.
 *
 * @example
 * ```ts
 * const keepHeap = heapKeeper();
 * for (const batch of batches) {
 *   await write(batch);
 *   keepHeap();
 * }
 * ```
 */
export function heapKeeper(slackBytes = DEFAULT_SLACK_BYTES): () => void {
  const collect = fullCollection();
  if (collect === undefined) return () => {};
  // From what is live now, not from what the heap holds: the step before may have left
  // hundreds of MB of garbage (planning a million rows does).
  collect();
  let limit = getHeapStatistics().used_heap_size + slackBytes;
  return () => {
    if (getHeapStatistics().used_heap_size < limit) return;
    collect();
    limit = getHeapStatistics().used_heap_size + slackBytes;
  };
}

/**
 * V8's `gc`, which Node exposes only with `--expose-gc`: the flag is set now, and the function
 * taken from a new context, where V8 installs it.
 */
function fullCollection(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
