// `gphotos watch` end to end: the built CLI against the emulator, on real temp directories.
import { existsSync } from 'node:fs';
import { readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { archiveFiles, CLI, events, gphotos, sha256, signedIn, type CliEnv } from '../helpers/cli.js';
import { GP, sidecarJson, writeZip } from '../helpers/takeout-fixture.js';
import { execa } from 'execa';

type Ev = Record<string, unknown>;

/** A running `gphotos watch --json`, with its parsed events so far. */
function startWatch(cli: CliEnv, args: string[]) {
  const child = execa(process.execPath, [CLI, 'watch', ...args, '--json', '--tz', 'UTC'], { reject: false, env: cli.env, extendEnv: false });
  let buf = '';
  const seen: Ev[] = [];
  child.stdout.on('data', (b: Buffer) => {
    buf += b.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim() !== '') seen.push(JSON.parse(line) as Ev);
    }
  });
  /** The first event matching `pred` among those seen from index `from` on (events before an action don't count). */
  const until = async (pred: (e: Ev) => boolean, what: string, from = 0, ms = 45_000): Promise<Ev> => {
    const end = Date.now() + ms;
    for (;;) {
      const hit = seen.slice(from).find(pred);
      if (hit) return hit;
      if (Date.now() > end || child.exitCode !== null) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(seen.slice(-10))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, seen, until };
}

const finished = (n: number) => (e: Ev): boolean => e.event === 'cycle-finished' && e.cycle === n;

describe('watch', () => {
  let emulator: Emulator;
  let cli: CliEnv;
  beforeAll(async () => {
    emulator = await startEmulator({ items: 30, seed: 21 });
    cli = await signedIn(emulator);
  });
  afterAll(async () => {
    await emulator.stop();
    await cli.cleanup();
  });

  it('rejects a bad --interval naming the flag', async () => {
    const r = await gphotos(['watch', join(cli.home, 'bad'), '--interval', 'soon'], cli.env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--interval');
  });

  it('syncs at start, restores a deleted and a damaged file, reports an untracked one, fetches a new remote item, stops on SIGTERM', async () => {
    const archive = join(cli.home, 'Photos');
    const w = startWatch(cli, [archive, '--interval', '1h', '--debounce', '300ms']);
    try {
      const first = await w.until(finished(1), 'the first cycle');
      const downloaded = Number(first.downloaded);
      expect(downloaded).toBeGreaterThan(0);
      const files = await archiveFiles(archive);
      const victim = files[3]!;
      const damaged = files[5]!;
      const want = sha256(await readFile(join(archive, victim)));
      const wantDamaged = sha256(await readFile(join(archive, damaged)));
      // Watch ignores events on files its own cycle wrote in the last moments (documented in docs/watch.md);
      // a user's change comes later than that.
      await new Promise((r) => setTimeout(r, 1000));
      const before = w.seen.length;
      await rm(join(archive, victim));
      await truncate(join(archive, damaged), 10);
      await writeFile(join(archive, files[0]!.replace(/[^/]+$/, 'dropped-in.jpg')), 'not ours');
      await w.until((e) => e.event === 'local-change' && e.change === 'missing' && e.path === victim, 'the deletion to be noticed');
      await w.until((e) => e.event === 'local-change' && e.change === 'damaged' && e.path === damaged, 'the damage to be noticed');
      await w.until((e) => e.event === 'local-change' && e.change === 'untracked' && String(e.path).endsWith('dropped-in.jpg'), 'the untracked file');
      await w.until((e) => e.event === 'moved-aside' && e.path === damaged, 'the damaged copy to be moved aside');
      await w.until((e) => e.event === 'downloaded' && e.path === victim, 'the deleted file to be fetched again', before);
      await w.until((e) => e.event === 'downloaded' && e.path === damaged, 'the damaged file to be fetched again', before);
      expect(sha256(await readFile(join(archive, victim)))).toBe(want);
      expect(sha256(await readFile(join(archive, damaged)))).toBe(wantDamaged);
      expect((await readFile(join(archive, '.gphotos/damaged', damaged))).length).toBe(10); // the user's bytes are kept

      // Between cycles the lock is free: status runs, and so does a manual sync.
      const status = await gphotos(['status', archive, '--json'], cli.env);
      expect(status.exitCode).not.toBe(6);
      const item = emulator.addItem({ filename: 'NEW_ONE.jpg' });
      let manual = await gphotos(['sync', archive, '--tz', 'UTC', '--json'], cli.env);
      for (let i = 0; i < 20 && manual.exitCode === 6; i++) {
        await new Promise((r) => setTimeout(r, 500)); // a change-triggered cycle was running: the lock is only held during one
        manual = await gphotos(['sync', archive, '--tz', 'UTC', '--json'], cli.env);
      }
      expect(manual.exitCode).toBe(0);
      expect(events(manual.stdout).filter((e) => e.event === 'downloaded').map((e) => e.filename)).toEqual(['NEW_ONE.jpg']);
      expect((await archiveFiles(archive)).some((f) => f.endsWith('NEW_ONE.jpg'))).toBe(true);
      void item;
      const quota = JSON.parse(await readFile(join(archive, '.gphotos/quota.json'), 'utf8')) as { apiCalls: number; byteCalls: number };
      expect(quota.byteCalls).toBeGreaterThanOrEqual(downloaded + 2);
    } finally {
      w.child.kill('SIGTERM');
    }
    const r = await w.child;
    expect(r.exitCode).toBe(0);
    expect(w.seen.at(-1)).toMatchObject({ event: 'watch-stopped' });
  }, 120_000);

  it('fetches a new remote item on the next interval cycle', { timeout: 90_000 }, async () => {
    const archive = join(cli.home, 'Interval');
    const w = startWatch(cli, [archive, '--interval', '2s', '--no-local-watch']);
    try {
      await w.until(finished(1), 'the first cycle');
      emulator.addItem({ filename: 'ARRIVED.jpg' });
      await w.until((e) => e.event === 'downloaded' && e.filename === 'ARRIVED.jpg', 'the new item');
    } finally {
      w.child.kill('SIGINT');
    }
    expect((await w.child).exitCode).toBe(0);
  });

  it('imports a Takeout dropped in the inbox once, a split set together', { timeout: 90_000 }, async () => {
    const archive = join(cli.home, 'Inbox');
    const inbox = join(cli.home, 'inbox');
    const w = startWatch(cli, [archive, '--interval', '1h', '--no-local-watch', '--takeout-inbox', inbox, '--takeout-stable', '1s']);
    try {
      await w.until(finished(1), 'the first cycle');
      const photo = (n: number) => [
        { path: `${GP}/Photos from 2019/TK_${n}.jpg`, data: `takeout bytes ${n}` },
        { path: `${GP}/Photos from 2019/TK_${n}.jpg.json`, data: sidecarJson({ title: `TK_${n}.jpg`, takenSec: 1_560_000_000 + n }) },
      ];
      // Written under a temporary name and renamed in, as a browser does; then a two-part set.
      await writeZip(join(inbox, 'dl.tmp'), photo(1));
      await rename(join(inbox, 'dl.tmp'), join(inbox, 'takeout-20240101T000000Z-001.zip'));
      // The two parts appear together (moved in from a download folder), so a slow machine cannot see part 1 alone.
      await writeZip(join(inbox, 'p1.tmp'), photo(2));
      await writeZip(join(inbox, 'p2.tmp'), photo(3));
      await rename(join(inbox, 'p1.tmp'), join(inbox, 'takeout-20240102T000000Z-001.zip'));
      await rename(join(inbox, 'p2.tmp'), join(inbox, 'takeout-20240102T000000Z-002.zip'));
      const one = await w.until((e) => e.event === 'takeout-imported' && (e.files as string[]).includes('takeout-20240101T000000Z-001.zip'), 'the first import');
      expect(one.imported).toBe(1);
      const two = await w.until((e) => e.event === 'takeout-imported' && (e.files as string[]).length === 2, 'the split set');
      expect(two.imported).toBe(2);
      await new Promise((r) => setTimeout(r, 2500));
      expect(w.seen.filter((e) => e.event === 'takeout-imported')).toHaveLength(2);
    } finally {
      w.child.kill('SIGTERM');
    }
    expect((await w.child).exitCode).toBe(0);
  });

  it('SIGTERM mid-download leaves no .part, a valid manifest and no lock', { timeout: 90_000 }, async () => {
    const archive = join(cli.home, 'Slow');
    emulator.faults.latencyMs = 150;
    const before = emulator.stats().requests.bytes ?? 0;
    const w = startWatch(cli, [archive, '--interval', '1h', '--transfers', '2']);
    try {
      const end = Date.now() + 45_000;
      while ((emulator.stats().requests.bytes ?? 0) - before < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      w.child.kill('SIGTERM');
      const r = await w.child;
      expect(r.exitCode).toBe(0);
    } finally {
      emulator.faults.latencyMs = 0;
    }
    const all = await archiveFiles(archive);
    expect(all.filter((f) => f.endsWith('.part'))).toEqual([]);
    const manifest = JSON.parse(await readFile(join(archive, '.gphotos/manifest.json'), 'utf8')) as { items: Record<string, { path: string }> };
    expect(Object.keys(manifest.items).length).toBeLessThan(emulator.items.length);
    for (const it of Object.values(manifest.items)) expect(all).toContain(it.path);
    expect(existsSync(join(archive, '.gphotos/lock'))).toBe(false);
    expect(w.seen.find((e) => e.event === 'cycle-finished')).toMatchObject({ stoppedBy: 'interrupt' });
  });
});

describe('watch: the daily quota and --daily-budget', () => {
  let emulator: Emulator;
  let cli: CliEnv;
  beforeAll(async () => {
    emulator = await startEmulator({ items: 30, seed: 22 });
    cli = await signedIn(emulator);
  });
  afterAll(async () => {
    await emulator.stop();
    await cli.cleanup();
  });

  const apiRequests = (): number => Object.entries(emulator.stats().requests).filter(([k]) => k.startsWith('mediaItems.')).reduce((n, [, v]) => n + v, 0);

  /** No .part left, every manifest item on disk, no lock. */
  async function expectClean(archive: string): Promise<Record<string, { path: string }>> {
    const all = await archiveFiles(archive);
    expect(all.filter((f) => f.endsWith('.part'))).toEqual([]);
    const manifest = JSON.parse(await readFile(join(archive, '.gphotos/manifest.json'), 'utf8')) as { items: Record<string, { path: string }> };
    for (const it of Object.values(manifest.items)) expect(all).toContain(it.path);
    expect(existsSync(join(archive, '.gphotos/lock'))).toBe(false);
    return manifest.items;
  }

  it("Google's byte quota spent mid-cycle: quota-wait, then no more requests until SIGTERM, which exits 0 cleanly", { timeout: 90_000 }, async () => {
    const archive = join(cli.home, 'Quota');
    emulator.resetQuotaDay();
    emulator.quota.bytesPerDay = 5;
    const w = startWatch(cli, [archive, '--interval', '1s', '--debounce', '200ms']);
    try {
      const first = await w.until(finished(1), 'the first cycle');
      expect(first.stoppedBy).toBe('quota');
      expect(Number(first.remaining)).toBeGreaterThan(0);
      const wait = await w.until((e) => e.event === 'quota-wait', 'the quota-wait event');
      expect(wait).toMatchObject({ why: 'quota' });
      expect(Date.parse(String(wait.until))).toBeGreaterThan(Date.now());
      // Sleeping until the reset: neither the byte host nor the API is asked anything, even with a 1 s interval.
      const bytes = emulator.stats().requests.bytes ?? 0;
      const api = apiRequests();
      await new Promise((r) => setTimeout(r, 4000));
      expect(emulator.stats().requests.bytes ?? 0).toBe(bytes);
      expect(apiRequests()).toBe(api);
      expect(w.seen.filter((e) => e.event === 'cycle-started')).toHaveLength(1);
      const ledger = JSON.parse(await readFile(join(archive, '.gphotos/quota.json'), 'utf8')) as { byteCalls: number; exhausted?: boolean };
      expect(ledger.exhausted).toBe(true);
      expect(ledger.byteCalls).toBeGreaterThanOrEqual(5);
    } finally {
      w.child.kill('SIGTERM');
      emulator.quota.bytesPerDay = 75_000;
      emulator.resetQuotaDay();
    }
    const r = await w.child;
    expect(r.exitCode).toBe(0);
    expect(w.seen.at(-1)).toMatchObject({ event: 'watch-stopped', reason: 'signal' });
    const items = await expectClean(archive);
    const downloaded = w.seen.filter((e) => e.event === 'downloaded').length;
    expect(Object.keys(items)).toHaveLength(downloaded);
    expect(downloaded).toBeLessThanOrEqual(5);
  });

  it('--daily-budget stops a cycle at the download budget, waits for the next day and records the counts', { timeout: 90_000 }, async () => {
    const archive = join(cli.home, 'Budget');
    emulator.resetQuotaDay();
    const w = startWatch(cli, [archive, '--interval', '1s', '--transfers', '1', '--daily-budget', '1000,5']);
    try {
      const first = await w.until(finished(1), 'the first cycle');
      expect(first.stoppedBy).toBe('budget');
      expect(Number(first.downloaded)).toBeGreaterThanOrEqual(1);
      expect(Number(first.downloaded)).toBeLessThanOrEqual(5);
      expect(Number(first.byteCalls)).toBeGreaterThanOrEqual(5);
      expect(Number(first.remaining)).toBeGreaterThan(0);
      const wait = await w.until((e) => e.event === 'quota-wait', 'the quota-wait event');
      expect(wait).toMatchObject({ why: 'budget', budget: { api: 1000, bytes: 5 }, byteCalls: first.byteCalls, apiCalls: first.apiCalls });
      const ledger = JSON.parse(await readFile(join(archive, '.gphotos/quota.json'), 'utf8')) as { day: string; apiCalls: number; byteCalls: number; exhausted?: boolean };
      expect(ledger).toMatchObject({ apiCalls: first.apiCalls, byteCalls: first.byteCalls });
      expect(ledger.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(ledger.exhausted).toBeUndefined();
      // Postponed, not retried every second.
      const bytes = emulator.stats().requests.bytes ?? 0;
      await new Promise((r) => setTimeout(r, 2500));
      expect(emulator.stats().requests.bytes ?? 0).toBe(bytes);
      expect(w.seen.filter((e) => e.event === 'cycle-started')).toHaveLength(1);
    } finally {
      w.child.kill('SIGTERM');
    }
    const r = await w.child;
    expect(r.exitCode).toBe(0);
    const items = await expectClean(archive);
    expect(Object.keys(items)).toHaveLength(w.seen.filter((e) => e.event === 'downloaded').length);

    // A restarted watch reads today's counts back and does not start a cycle at all.
    const bytes = emulator.stats().requests.bytes ?? 0;
    const again = startWatch(cli, [archive, '--interval', '1s', '--daily-budget', '1000,5']);
    try {
      await again.until((e) => e.event === 'quota-wait', 'the restarted watch to wait');
      expect(again.seen.some((e) => e.event === 'cycle-started')).toBe(false);
    } finally {
      again.child.kill('SIGTERM');
    }
    expect((await again.child).exitCode).toBe(0);
    expect(emulator.stats().requests.bytes ?? 0).toBe(bytes);
  });
});
