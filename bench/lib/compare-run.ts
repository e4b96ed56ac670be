// The same-run comparison of bench:sync: one emulator (latency per request), and in each round, in rotating order,
// a first sync by gphotos, by the minimal client (bench/minimal-client.ts) and by rclone into fresh folders, then
// a no-op re-sync by gphotos and by rclone; then the start-up of `node -e 0`, `gphotos --help` and a no-op
// `gphotos status DIR`, alternating. Medians throughout; the load average is printed with every figure.
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/api.js';
import { filesUnder } from './expect.js';
import { CLI, signedIn, summaryOf } from './gphotos.js';
import { runMinimal } from './minimal.js';
import { measure } from './proc.js';
import { ensureRclone, startRclonePeer, type RclonePeer } from './rclone-peer.js';
import { loadAverage, median, startupTimes } from './startup.js';

export interface CompareOptions {
  items: number;
  latencyMs: number;
  rounds: number;
  transfers: string | undefined;
  rclone: boolean;
  work: string;
  say: (s?: string) => void;
  row: (what: string, value: string, note?: string) => void;
  /** Start-up rounds (medians of this many); 0 skips. */
  startupRounds: number;
}

interface Sample {
  ms: number;
  files: number;
  rssMb: number;
}

const f1 = (n: number): string => n.toFixed(1);
const rate = (s: Sample): number => s.files / (s.ms / 1000);

export async function compareRun(o: CompareOptions): Promise<void> {
  const { say, row } = o;
  say(`\n== (f) same-run comparison: ${o.items} items, ${o.latencyMs} ms latency per request, ${o.rounds} rounds (load ${await loadAverage()}) ==`);
  const emulator = await startEmulator({ items: o.items, seed: 1, faults: { latencyMs: o.latencyMs }, quota: { apiPerDay: 1e9, bytesPerDay: 1e9 }, oauth: { accessTokenTtlSec: 86_400 } });
  const login = await signedIn(emulator);
  const rc = o.rclone ? await ensureRclone(say) : { ok: false as const, reason: 'BENCH_RCLONE=0' };
  let peer: RclonePeer | undefined;
  try {
    if (rc.ok) peer = await startRclonePeer(emulator, join(o.work, 'cmp-rclone'));
    // Warm-up: the emulator generates each item's bytes once and keeps them; every client then gets the same server.
    await runMinimal(emulator, join(o.work, 'cmp-warm'));
    const g: Sample[] = [], m: Sample[] = [], r: Sample[] = [], gNoop: Sample[] = [], rNoop: Sample[] = [];
    let lastArchive = '';
    for (let round = 0; round < o.rounds; round++) {
      const dir = join(o.work, `cmp-g${round}`);
      const rOut = join(o.work, `cmp-r${round}`);
      const steps: Array<() => Promise<void>> = [
        async () => void g.push(await gphotosSync(emulator, login.env, dir, o.transfers, say, `round ${round + 1} first sync`)),
        async () => {
          const x = await runMinimal(emulator, join(o.work, `cmp-m${round}`));
          say(`  minimal client: ${x.files} files in ${(x.wallMs / 1000).toFixed(2)} s (listing ${x.listMs} ms), ${x.failed} refused, peak RSS ${x.peakRssMb?.toFixed(0) ?? '?'} MB`);
          m.push({ ms: x.wallMs, files: x.files, rssMb: x.peakRssMb ?? NaN });
        },
        async () => {
          if (peer !== undefined) r.push(await rcloneCopy(peer, rOut, say, `round ${round + 1} copy`));
        },
      ];
      for (let i = 0; i < steps.length; i++) await steps[(i + round) % steps.length]!();
      const noops: Array<() => Promise<void>> = [
        async () => void gNoop.push(await gphotosSync(emulator, login.env, dir, o.transfers, say, `round ${round + 1} no-op re-sync`)),
        async () => {
          if (peer !== undefined) rNoop.push(await rcloneCopy(peer, rOut, say, `round ${round + 1} no-op copy`));
        },
      ];
      for (let i = 0; i < noops.length; i++) await noops[(i + round) % noops.length]!();
      lastArchive = dir;
    }
    const load = await loadAverage();
    const med = (xs: Sample[], f: (s: Sample) => number): number => median(xs.map(f));
    const gRate = med(g, rate), mRate = med(m, rate);
    row(`(f) ${o.items} items: gphotos first sync items/s (median of ${o.rounds})`, f1(gRate), `${g.map((s) => f1(rate(s))).join(', ')}; load ${load}`);
    row(`(f) ${o.items} items: minimal client items/s`, f1(mRate), m.map((s) => f1(rate(s))).join(', '));
    row(`(f) gphotos / minimal client`, `${((gRate / mRate) * 100).toFixed(0)}%`, 'target >= 90%');
    row(`(f) peak RSS gphotos / minimal client`, `${med(g, (s) => s.rssMb).toFixed(0)} / ${med(m, (s) => s.rssMb).toFixed(0)} MB`, 'medians');
    if (r.length > 0) {
      const rRate = med(r, rate);
      row(`(f) rclone copy items/s (--retries 1)`, f1(rRate), r.map((s) => f1(rate(s))).join(', '));
      row(`(f) gphotos / rclone items/s`, `${(gRate / rRate).toFixed(2)}x`, '');
      const gRss = med(g, (s) => s.rssMb), rRss = med(r, (s) => s.rssMb);
      row(`(f) peak RSS first sync gphotos / rclone`, `${gRss.toFixed(0)} / ${rRss.toFixed(0)} MB = ${(gRss / rRss).toFixed(2)}x`, 'target <= 1.5x');
      const gn = med(gNoop, (s) => s.ms), rn = med(rNoop, (s) => s.ms);
      row(`(f) no-op re-sync gphotos / rclone`, `${(gn / 1000).toFixed(2)} / ${(rn / 1000).toFixed(2)} s`, `target gphotos <= rclone; ${gn <= rn ? 'met' : 'NOT met'}; peak RSS ${med(gNoop, (s) => s.rssMb).toFixed(0)} / ${med(rNoop, (s) => s.rssMb).toFixed(0)} MB`);
    } else {
      row(`(f) no-op re-sync gphotos`, `${(med(gNoop, (s) => s.ms) / 1000).toFixed(2)} s`, `rclone skipped: ${rc.ok ? '' : rc.reason}`);
    }
    if (o.startupRounds > 0) await startup(o, login.env, lastArchive);
  } finally {
    await peer?.stop();
    await login.cleanup();
    await emulator.stop();
  }
}

async function gphotosSync(emulator: Emulator, env: Record<string, string>, dir: string, transfers: string | undefined, say: CompareOptions['say'], label: string): Promise<Sample> {
  const args = [CLI, 'sync', dir, '--tz', 'UTC', '--json', '--quiet', ...(transfers ? ['--transfers', transfers] : [])];
  const before = emulator.stats().requests.bytes ?? 0;
  const x = await measure(process.execPath, args, env);
  const s = summaryOf(x.stdout);
  say(`  gphotos ${label}: exit ${x.exitCode}, ${Number(s.downloaded)} downloaded (${(emulator.stats().requests.bytes ?? 0) - before} byte calls), ${String(s.alreadyPresent)} present, ${(x.wallMs / 1000).toFixed(2)} s, peak RSS ${x.peakRssMb?.toFixed(0) ?? '?'} MB`);
  return { ms: x.wallMs, files: Number(s.downloaded), rssMb: x.peakRssMb ?? NaN };
}

async function rcloneCopy(peer: RclonePeer, out: string, say: CompareOptions['say'], label: string): Promise<Sample> {
  // One attempt: by default rclone re-runs a whole copy that had a failure (the PROCESSING videos), which would
  // triple its time for nothing; the figures here are rclone at its quickest.
  const before = (await filesUnder(out).catch(() => [])).length;
  const x = await peer.run(['copy', 'gp:media/all', out, '--retries', '1']);
  const files = (await filesUnder(out)).length - before;
  say(`  rclone ${label}: exit ${x.exitCode}, ${files} new files, ${(x.wallMs / 1000).toFixed(2)} s, peak RSS ${x.peakRssMb?.toFixed(0) ?? '?'} MB`);
  return { ms: x.wallMs, files, rssMb: x.peakRssMb ?? NaN };
}

async function startup(o: CompareOptions, env: Record<string, string>, archive: string): Promise<void> {
  const node = process.execPath;
  const res = await startupTimes(
    [
      { label: 'node -e 0', cmd: node, args: ['-e', '0'] },
      { label: 'gphotos --help', cmd: node, args: [CLI, '--help'], env },
      { label: 'gphotos status DIR (no-op)', cmd: node, args: [CLI, 'status', archive], env },
    ],
    o.startupRounds,
  );
  const load = await loadAverage();
  const base = res[0]!.medianMs;
  for (const x of res) {
    o.row(`(g) start-up: ${x.label} (median of ${o.startupRounds})`, `${x.medianMs.toFixed(0)} ms`, `${x === res[0] ? `load ${load}` : `${(x.medianMs / base).toFixed(2)}x node -e 0; target <= 3x`}; runs ${x.runsMs.map((t) => t.toFixed(0)).join(' ')}`);
  }
}
