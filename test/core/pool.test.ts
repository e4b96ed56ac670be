import { describe, expect, it } from 'vitest';
import { runPool } from '../../src/core/pool.js';

/** Let `n` rounds of microtasks pass: a task's "duration", deterministic without timers. */
async function ticks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

interface Row {
  name: string;
  /** Ticks each item takes, by item. */
  costs: number[];
  concurrency: number;
  /** Stop once this many items have finished. */
  stopAfter?: number;
  /** Item numbers in the order they started. */
  starts: number[];
  maxInFlight: number;
  /** Item numbers in the order they finished, where that order is the point of the row. */
  finishes?: number[];
}

const rows: Row[] = [
  { name: 'one at a time runs the list in order', costs: [3, 1, 2], concurrency: 1, starts: [0, 1, 2], maxInFlight: 1 },
  { name: 'never more than the concurrency in flight', costs: [5, 5, 5, 5, 5, 5], concurrency: 2, starts: [0, 1, 2, 3, 4, 5], maxInFlight: 2 },
  { name: 'fills every lane', costs: [4, 4, 4, 4], concurrency: 4, starts: [0, 1, 2, 3], maxInFlight: 4 },
  { name: 'no more lanes than items', costs: [2, 2], concurrency: 16, starts: [0, 1], maxInFlight: 2 },
  { name: 'a concurrency below one still runs one lane', costs: [1, 1], concurrency: 0, starts: [0, 1], maxInFlight: 1 },
  { name: 'an empty list runs nothing', costs: [], concurrency: 4, starts: [], maxInFlight: 0 },
  // Item 0 is slow: the other lane takes 2 and 3 meanwhile, in list order.
  { name: 'a free lane takes the next item past a slow one', costs: [20, 1, 1, 1], concurrency: 2, starts: [0, 1, 2, 3], maxInFlight: 2, finishes: [1, 2, 3, 0] },
  { name: 'stopping starts nothing new, and lets those in flight finish', costs: [2, 2, 2, 2, 2], concurrency: 2, stopAfter: 1, starts: [0, 1], maxInFlight: 2 },
  { name: 'stopping at once starts nothing', costs: [1, 1], concurrency: 2, stopAfter: 0, starts: [], maxInFlight: 0 },
];

describe('runPool', () => {
  it.each(rows)('$name', async (row) => {
    const starts: number[] = [];
    const finished: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const shouldStop = row.stopAfter === undefined ? undefined : () => finished.length >= (row.stopAfter ?? 0);
    const items = row.costs.map((cost, i) => ({ i, cost }));
    const r = await runPool(
      items,
      row.concurrency,
      async ({ i, cost }) => {
        starts.push(i);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await ticks(cost);
        inFlight--;
        finished.push(i);
      },
      shouldStop,
    );
    expect(starts).toEqual(row.starts);
    expect(maxInFlight).toBe(row.maxInFlight);
    expect(r.started).toBe(row.starts.length);
    expect([...finished].sort((a, b) => a - b)).toEqual(row.starts); // whatever started also finished
    if (row.finishes !== undefined) expect(finished).toEqual(row.finishes);
  });

  it('asks shouldStop only while items remain, so a stop it records is a real one', async () => {
    let asked = 0;
    await runPool([1, 2, 3], 2, () => ticks(1), () => (asked++, false));
    expect(asked).toBe(3);
    await runPool([], 2, () => ticks(1), () => (asked++, true));
    expect(asked).toBe(3);
  });

  it('rejects with the error of the task that failed', async () => {
    const boom = new Error('boom');
    await expect(runPool([1, 2, 3], 2, async (n) => {
      await ticks(n);
      if (n === 2) throw boom;
    })).rejects.toBe(boom);
  });

  it('takes each item once, however many lanes race for it', async () => {
    const seen: number[] = [];
    const items = Array.from({ length: 100 }, (_, i) => i);
    await runPool(items, 7, async (n) => {
      await ticks(n % 5);
      seen.push(n);
    });
    expect([...seen].sort((a, b) => a - b)).toEqual(items);
  });
});
