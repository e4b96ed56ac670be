import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/watch/duration.js';
import { nextPacificMidnight, pacificDay } from '../../src/watch/pacific.js';
import { parseBudget, QuotaLedger } from '../../src/watch/quota-ledger.js';
import { InboxTracker, zipLooksComplete } from '../../src/watch/takeout-inbox.js';
import { zipBytes } from '../helpers/takeout-fixture.js';

describe('watch helpers', () => {
  it('parses durations and names the flag on a bad one', () => {
    expect(parseDuration('30s', '--interval')).toBe(30_000);
    expect(parseDuration('15m', '--interval')).toBe(900_000);
    expect(parseDuration('1h30m', '--interval')).toBe(5_400_000);
    expect(parseDuration('0s', '--interval')).toBe(0);
    for (const bad of ['', '1x', 'h', '-1s', '1h soon']) expect(() => parseDuration(bad, '--interval')).toThrow(/--interval/);
  });

  it('knows the Pacific day and its next midnight, across daylight saving', () => {
    expect(pacificDay(new Date('2025-01-15T07:59:00Z'))).toBe('2025-01-14');
    expect(pacificDay(new Date('2025-01-15T08:00:00Z'))).toBe('2025-01-15');
    expect(nextPacificMidnight(new Date('2025-01-15T12:00:00Z')).toISOString()).toBe('2025-01-16T08:00:00.000Z');
    expect(nextPacificMidnight(new Date('2025-07-15T12:00:00Z')).toISOString()).toBe('2025-07-16T07:00:00.000Z');
    expect(nextPacificMidnight(new Date('2025-03-08T12:00:00Z')).toISOString()).toBe('2025-03-09T08:00:00.000Z');
  });

  it('counts requests per Pacific day in .gphotos/quota.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gphotos-quota-'));
    try {
      const t = new Date('2025-01-15T12:00:00Z');
      const l = await QuotaLedger.load(dir, t);
      l.add(t, 100, 500);
      await l.save();
      const again = await QuotaLedger.load(dir, t);
      expect(again.left(t, { api: 9000, bytes: 70_000 })).toEqual({ api: 8900, bytes: 69_500, exhausted: false });
      expect(again.today(new Date('2025-01-16T08:00:00Z'))).toMatchObject({ apiCalls: 0, byteCalls: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(parseBudget('9000,70000')).toEqual({ api: 9000, bytes: 70_000 });
    expect(parseBudget('many')).toBeUndefined();
  });

  it('holds a Takeout set until every part is stable, numbered without a gap, and no new part came', () => {
    const t = new InboxTracker(1000);
    const f = (name: string, size = 10) => ({ name, size, mtimeMs: 1 });
    expect(t.observe([f('takeout-X-001.zip')], 0).ready).toEqual([]);
    expect(t.observe([f('takeout-X-001.zip'), f('takeout-X-003.zip')], 500).ready).toEqual([]);
    const gap = t.observe([f('takeout-X-001.zip'), f('takeout-X-003.zip')], 1600);
    expect(gap.waiting[0]?.why).toMatch(/part 002 is missing/);
    t.observe([f('takeout-X-001.zip'), f('takeout-X-002.zip'), f('takeout-X-003.zip')], 1700);
    expect(t.observe([f('takeout-X-001.zip'), f('takeout-X-002.zip', 20), f('takeout-X-003.zip')], 2000).ready).toEqual([]);
    const ok = t.observe([f('takeout-X-001.zip'), f('takeout-X-002.zip', 20), f('takeout-X-003.zip')], 3100);
    expect(ok.ready).toEqual([['takeout-X-001.zip', 'takeout-X-002.zip', 'takeout-X-003.zip']]);
    t.markDone([f('takeout-X-001.zip'), f('takeout-X-002.zip', 20), f('takeout-X-003.zip')]);
    expect(t.observe([f('takeout-X-001.zip'), f('takeout-X-002.zip', 20), f('takeout-X-003.zip')], 9000).ready).toEqual([]);
    // A set handled is done as it is now, and no longer once one of its files changes.
    expect(t.isDone([f('takeout-X-001.zip'), f('takeout-X-002.zip', 20)])).toBe(true);
    expect(t.isDone([f('takeout-X-001.zip'), f('takeout-X-002.zip', 30)])).toBe(false);
  });

  it('sees whether a zip has its end-of-central-directory record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gphotos-eocd-'));
    try {
      const z = zipBytes([{ path: 'a.txt', data: 'hello' }]);
      await writeFile(join(dir, 'whole.zip'), z);
      await writeFile(join(dir, 'half.zip'), z.subarray(0, z.length - 10));
      expect(await zipLooksComplete(join(dir, 'whole.zip'))).toBe(true);
      expect(await zipLooksComplete(join(dir, 'half.zip'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
