// Issue 18: `apply` keeps its process's heap near its live data between batches.
import { getHeapStatistics } from 'node:v8';
import { expect, it } from 'vitest';
import { heapKeeper } from '../../src/cli/heap.js';

const MB = 1024 * 1024;

/** `count` distinct strings of about 1 MB each (flat, so each holds its own memory). */
function strings(count: number, fill: string): string[] {
  const made: string[] = [];
  for (let i = 0; i < count; i++) {
    const half = `${i}`.padEnd(MB / 2, fill);
    made.push(half.repeat(2).slice(1));
  }
  return made;
}

it('collects once the heap has grown past the slack, and not before', () => {
  const keepHeap = heapKeeper(64 * MB);
  keepHeap();
  // About 200 MB of strings, kept alive across the first check, then dropped.
  let garbage: string[] | undefined = strings(200, 'x');
  const grown = getHeapStatistics().used_heap_size;
  garbage = undefined;
  expect(garbage).toBeUndefined();
  keepHeap();
  const after = getHeapStatistics().used_heap_size;
  expect(grown - after).toBeGreaterThan(150 * MB);
});

it('below the slack, asks for nothing: the heap keeps what it holds', () => {
  const keepHeap = heapKeeper(1024 * MB);
  let garbage: string[] | undefined = strings(100, 'y');
  const grown = getHeapStatistics().used_heap_size;
  garbage = undefined;
  expect(garbage).toBeUndefined();
  keepHeap();
  // No collection ran in between (nothing allocates here), so the dropped strings still count.
  expect(grown - getHeapStatistics().used_heap_size).toBeLessThan(50 * MB);
});
