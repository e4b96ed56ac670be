// runSync over a memory source in both access modes, with faults: what is retried, what is one item's failure,
// what stops the run (quota, interrupt), and that a re-run always finishes the archive byte for byte.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import { memorySource, type MemoryItem } from '../helpers/memory-source.js';
import { tempDir } from '../helpers/takeout-fixture.js';
import { contentIndex, expectComplete, manifestOf, partFiles, plainItems, sha256, sync } from './run.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let archive: string;
beforeEach(async () => {
  tmp = await tempDir('gphotos-engine-');
  archive = join(tmp.dir, 'archive');
});
afterEach(async () => {
  await tmp.cleanup();
});

const withFaults = (items: MemoryItem[], faults: Record<number, MemoryItem['faults']>): MemoryItem[] =>
  items.map((it, i) => (faults[i] === undefined ? it : { ...it, faults: faults[i] }));

describe.each(['random', 'stream'] as const)('runSync over a %s memory source', (access) => {
  it('retries failures that may pass (random) or records them after one attempt (stream); a re-run finishes', async () => {
    const items = withFaults(plainItems(6, 200_000), { 1: { failTimes: 2 }, 4: { truncateTimes: 1 } });
    const source = memorySource({ access, items });
    const { outcome, events } = await sync(archive, source);
    const attempts = (i: number): number | undefined => source.stats.attempts.get(items[i]?.id ?? '');
    if (access === 'random') {
      expect(outcome.summary).toMatchObject({ downloaded: 6, failed: 0, remaining: 0 });
      expect([attempts(1), attempts(4), attempts(0)]).toEqual([3, 2, 1]);
      expect(events.filter((e) => e.event === 'retry')).toHaveLength(3);
      await expectComplete(archive, items);
      return;
    }
    // A stream hands each item over once: its failure is data, and the others are archived.
    expect(outcome.summary).toMatchObject({ downloaded: 4, failed: 2, remaining: 0 });
    expect([attempts(1), attempts(4), attempts(0)]).toEqual([1, 1, 1]);
    expect(outcome.summary.failures.map((f) => f.filename).sort()).toEqual(['m001.jpg', 'm004.jpg']);
    expect(outcome.summary.failures.find((f) => f.filename === 'm004.jpg')?.error).toMatch(/cut short/);
    expect(await partFiles(archive)).toEqual([]);
    const again = await sync(archive, source);
    // m001 still fails once more (its second of two failures); the third run takes it.
    expect(again.outcome.summary).toMatchObject({ downloaded: 1, failed: 1, alreadyPresent: 4 });
    const third = await sync(archive, source);
    expect(third.outcome.summary).toMatchObject({ downloaded: 1, failed: 0, alreadyPresent: 5 });
    await expectComplete(archive, items);
  });

  it('a failure for good, a corrupt entry and an item never handed over are per-item failures; the others are done', async () => {
    const faults: Record<number, MemoryItem['faults']> = { 0: { failForGood: true }, 2: { corrupt: true } };
    if (access === 'stream') faults[3] = { neverVisited: true };
    const items = withFaults(plainItems(6, 100_000), faults);
    const source = memorySource({ access, items });
    const { outcome, events } = await sync(archive, source);
    const bad = access === 'stream' ? 3 : 2;
    expect(outcome.summary).toMatchObject({ downloaded: 6 - bad, failed: bad, remaining: 0 });
    expect(outcome.summary.stoppedBy).toBeUndefined();
    // Not retried: a 404 and a corrupt entry will not pass by trying again.
    expect(source.stats.attempts.get('m000')).toBe(1);
    expect(source.stats.attempts.get('m002')).toBe(1);
    const corrupt = outcome.apply?.failures.find((f) => f.filename === 'm002.jpg');
    expect(corrupt?.corrupt).toBe(true);
    expect(corrupt?.error).toMatch(/CRC-32/);
    expect(outcome.apply?.failures.find((f) => f.filename === 'm000.jpg')?.error).toMatch(/gone/);
    if (access === 'stream') expect(outcome.summary.failures.find((f) => f.filename === 'm003.jpg')?.error).toMatch(/no longer holds/);
    expect(events.filter((e) => e.event === 'failed')).toHaveLength(bad);
    const index = await contentIndex(archive);
    expect(index.size).toBe(6 - bad);
    expect(index.has(sha256(items[2]?.bytes ?? new Uint8Array()))).toBe(false);
    expect(await partFiles(archive)).toEqual([]);
    expect(await manifestOf(archive)).toHaveLength(6 - bad);
  });

  it('stops at a spent quota with the rest counted as remaining; the next run (quota reset) finishes', async () => {
    const items = plainItems(8, 50_000);
    const first = await sync(archive, memorySource({ access, items, quotaAfter: 3 }), { transfers: 1 });
    expect(first.outcome.summary).toMatchObject({ stoppedBy: 'quota', downloaded: 3, failed: 0, remaining: 5 });
    expect(await manifestOf(archive)).toHaveLength(3);
    expect(await partFiles(archive)).toEqual([]);
    const second = await sync(archive, memorySource({ access, items }));
    expect(second.outcome.summary).toMatchObject({ downloaded: 5, alreadyPresent: 3, remaining: 0 });
    expect(second.outcome.summary.stoppedBy).toBeUndefined();
    await expectComplete(archive, items);
  });

  it('an abort in the middle of a body stops the run: no .part, the manifest opens, a re-run completes byte for byte', async () => {
    const items = plainItems(10, 300_000);
    const ac = new AbortController();
    let midBody = 0;
    const source = memorySource({
      access,
      items,
      chunkSize: 32 * 1024,
      beforeChunk: async (item, index, signal) => {
        // Chunk 6 (past the 128 KiB head) of the fourth item to get there: Ctrl-C while bytes are being written,
        // on a socket that then stalls, so that only the signal can end the wait.
        if (index !== 6 || ++midBody !== 4) return;
        const stalled = new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
        ac.abort();
        await stalled;
      },
    });
    const { outcome } = await sync(archive, source, { transfers: 2 }, ac.signal);
    expect(outcome.summary.stoppedBy).toBe('interrupt');
    expect(outcome.summary.downloaded).toBeLessThan(10);
    expect(outcome.summary.remaining).toBe(10 - outcome.summary.downloaded - outcome.summary.failed);
    expect(await partFiles(archive)).toEqual([]);
    const m = await ManifestStore.open(archive, { readOnly: true });
    const recorded = [...m.items()];
    await m.close();
    expect(recorded.length).toBe(outcome.summary.downloaded);
    const again = await sync(archive, memorySource({ access, items }));
    expect(again.outcome.summary).toMatchObject({ downloaded: 10 - recorded.length, alreadyPresent: recorded.length, failed: 0 });
    await expectComplete(archive, items);
  });
});
