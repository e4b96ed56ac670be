// `npm run bench:sync`: throughput, API calls and memory of `gphotos sync` against the emulator, with rclone as the
// baseline measured in the same run. Ratios, never timed assertions.
//
// Env (defaults in brackets):
//   BENCH_ITEMS [10000]        items in the library for (a) first sync, (b) no-op re-sync, (c) rclone copy (0 skips)
//   BENCH_LATENCY_MS [20]      emulator latency per request (API and byte host)
//   BENCH_TRANSFERS            --transfers for gphotos (default: gphotos' own default)
//   BENCH_RCLONE [1]           0 skips (c)
//   BENCH_PLAN_ITEMS [100000]  (d) plan() over this many remote items, half archived (0 skips)
//   BENCH_BIG_ITEMS [100000]   (e) no-op re-sync of this many items against a synthetic archive (0 skips)
//   BENCH_BIG_LATENCY_MS [0]   emulator latency for (e)
//   BENCH_CMP_ITEMS [2000]     (f) same-run comparison gphotos / minimal client / rclone at this size (0 skips)
//   BENCH_CMP_ROUNDS [3]       rounds of (f), medians reported
//   BENCH_STARTUP_ROUNDS [10]  (g) start-up of node -e 0, gphotos --help, a no-op status: medians of this many (0 skips)
//   BENCH_KEEP=1               keep the temp dirs
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFilter } from '../src/core/filters.js';
import { plan } from '../src/core/plan.js';
import type { PlanOptions } from '../src/core/plan-types.js';
import type { LocalFile, ManifestItem, RemoteItem } from '../src/core/types.js';
import type { Emulator, EmulatorStats } from '../src/emulator/api.js';
import { startEmulator } from '../src/emulator/server.js';
import { filesUnder } from './lib/expect.js';
import { CLI, signedIn, summaryOf } from './lib/gphotos.js';
import { measure } from './lib/proc.js';
import { compareRun } from './lib/compare-run.js';
import { runMinimal } from './lib/minimal.js';
import { loadAverage } from './lib/startup.js';
import { manifestFor, writeSyntheticArchive } from './lib/synthetic-archive.js';
import { ensureRclone, shellQuote, startRclonePeer } from './lib/rclone-peer.js';

const env = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};
const ITEMS = env('BENCH_ITEMS', 10_000);
const LATENCY = env('BENCH_LATENCY_MS', 20);
const TRANSFERS = process.env.BENCH_TRANSFERS;
const RCLONE = env('BENCH_RCLONE', 1) !== 0;
const PLAN_ITEMS = env('BENCH_PLAN_ITEMS', 100_000);
const BIG = env('BENCH_BIG_ITEMS', 100_000);
const BIG_LATENCY = env('BENCH_BIG_LATENCY_MS', 0);
const CMP_ITEMS = env('BENCH_CMP_ITEMS', 2000);
const CMP_ROUNDS = env('BENCH_CMP_ROUNDS', 3);
const STARTUP_ROUNDS = env('BENCH_STARTUP_ROUNDS', 10);
const KEEP = process.env.BENCH_KEEP === '1';
const QUOTA = { apiPerDay: 1e9, bytesPerDay: 1e9 };

const say = (s = ''): void => void process.stdout.write(`${s}\n`);
const rows: Array<[string, string, string]> = [];
const row = (what: string, value: string, note = ''): void => void rows.push([what, value, note]);
const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
const secs = (ms: number): string => (ms / 1000).toFixed(2);

function callsDelta(a: EmulatorStats, b: EmulatorStats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.requests)) if (v !== (a.requests[k] ?? 0)) out[k] = v - (a.requests[k] ?? 0);
  return out;
}
const fmtCalls = (c: Record<string, number>): string => Object.entries(c).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';

const work = await mkdtemp(join(tmpdir(), 'gphotos-bench-sync-'));
say(`gphotos bench:sync — node ${process.version}, ${(await import('node:os')).cpus().length} CPUs; work dir ${work}`);
try {
  if (CMP_ITEMS > 0) await compareRun({ items: CMP_ITEMS, latencyMs: LATENCY, rounds: CMP_ROUNDS, transfers: TRANSFERS, rclone: RCLONE, work, say, row, startupRounds: STARTUP_ROUNDS });
  if (ITEMS > 0) await libraryRuns();
  if (PLAN_ITEMS > 0) planRun();
  if (BIG > 0) await bigRun();
} finally {
  if (KEEP) say(`kept ${work}`);
  else await rm(work, { recursive: true, force: true });
}

say('\n| measurement | value | note |\n|---|---|---|');
for (const [a, b, c] of rows) say(`| ${a} | ${b} | ${c} |`);

async function syncOnce(emulator: Emulator, cliEnv: Record<string, string>, dir: string, label: string) {
  const args = [CLI, 'sync', dir, '--tz', 'UTC', '--json', '--quiet', ...(TRANSFERS ? ['--transfers', TRANSFERS] : [])];
  const before = emulator.stats();
  const r = await measure(process.execPath, args, cliEnv);
  const calls = callsDelta(before, emulator.stats());
  say(`\n$ gphotos ${args.slice(1).map(shellQuote).join(' ')}    # ${label}`);
  say(`  exit ${r.exitCode}, ${secs(r.wallMs)} s, peak RSS ${r.peakRssMb?.toFixed(0) ?? '?'} MB, emulator calls: ${fmtCalls(calls)}`);
  if (r.stderr.trim() !== '') say(`  stderr: ${r.stderr.trim().split('\n').slice(0, 6).join('\n          ')}`);
  const s = summaryOf(r.stdout);
  say(`  summary: listed ${String(s.listed)}, downloaded ${String(s.downloaded)} (${mb(Number(s.bytes))} MB), present ${String(s.alreadyPresent)}, pending videos ${String(s.pendingVideos)}, failed ${String(s.failed)}, apiCalls ${String(s.apiCalls)}, byteCalls ${String(s.byteCalls)}, retries ${String(s.retries)}, elapsed ${secs(Number(s.elapsedMs))} s`);
  for (const f of (s.failures as Array<{ filename: string; error: string }> | undefined) ?? []) say(`  failed: ${JSON.stringify(f.filename).slice(0, 80)}: ${f.error.slice(0, 200)}`);
  return { r, s, calls };
}

async function libraryRuns(): Promise<void> {
  say(`\n== (a)(b)(c) library of ${ITEMS} items, emulator latency ${LATENCY} ms per request ==`);
  const t0 = performance.now();
  const emulator = await startEmulator({ items: ITEMS, seed: 1, faults: { latencyMs: LATENCY }, quota: QUOTA, oauth: { accessTokenTtlSec: 86_400 } });
  say(`emulator generated ${ITEMS} items' metadata in ${secs(performance.now() - t0)} s (bytes are generated on demand, ~2-3 ms per JPEG)`);
  const login = await signedIn(emulator);
  try {
    const dir = join(work, 'archive');
    const first = await syncOnce(emulator, login.env, dir, '(a) first sync');
    const downloaded = Number(first.s.downloaded);
    const ourRate = downloaded / (first.r.wallMs / 1000);
    row('(a) first sync: items downloaded', `${downloaded} of ${String(first.s.listed)} listed`, `${String(first.s.pendingVideos)} pending videos, ${String(first.s.failed)} failed`);
    row('(a) first sync: wall time', `${secs(first.r.wallMs)} s`, `process start to exit, --transfers ${TRANSFERS ?? 'default'}`);
    row('(a) first sync: items/s', ourRate.toFixed(1), '');
    row('(a) first sync: MB/s', (Number(first.s.bytes) / 1e6 / (first.r.wallMs / 1000)).toFixed(2), `${mb(Number(first.s.bytes))} MB total`);
    row('(a) first sync: peak RSS', `${first.r.peakRssMb?.toFixed(0) ?? '?'} MB`, 'VmHWM of the gphotos process');
    row('(a) first sync: emulator calls', fmtCalls(first.calls), '');
    const min = await runMinimal(emulator, join(work, 'minimal'));
    const minRate = min.files / (min.wallMs / 1000);
    say(`\n$ node minimal-client.js    # (a') the minimal client against the same emulator, right after (a)`);
    say(`  ${min.files} files in ${secs(min.wallMs)} s (listing ${min.listMs} ms), peak RSS ${min.peakRssMb?.toFixed(0) ?? '?'} MB`);
    row("(a') minimal client: items/s", minRate.toFixed(1), `peak RSS ${min.peakRssMb?.toFixed(0) ?? '?'} MB; load ${await loadAverage()}`);
    row("(a)/(a') gphotos / minimal client", `${((ourRate / minRate) * 100).toFixed(0)}%`, 'one run each, gphotos first (at this size the emulator cannot keep all bytes: both pay generation)');

    const second = await syncOnce(emulator, login.env, dir, '(b) re-sync, nothing new');
    const pages = Math.ceil(Number(second.s.listed) / 100);
    const listCalls = (second.calls['mediaItems.list'] ?? 0) + (second.calls['mediaItems.search'] ?? 0);
    // The items that failed in (a) are tried again (one byte call each); nothing else may be fetched.
    const okB = Number(second.s.downloaded) === 0 && listCalls === pages && (second.calls.bytes ?? 0) <= Number(first.s.failed);
    row('(b) re-sync: downloads', String(second.s.downloaded), okB ? 'OK' : 'UNEXPECTED');
    row('(b) re-sync: list calls / pages', `${listCalls} / ${pages}`, `${fmtCalls(second.calls)}${okB ? '' : ' — UNEXPECTED'}`);
    row('(b) re-sync: wall time', `${secs(second.r.wallMs)} s`, '');
    row('(b) re-sync: peak RSS', `${second.r.peakRssMb?.toFixed(0) ?? '?'} MB`, '');

    if (RCLONE) {
      const rc = await ensureRclone(say);
      if (!rc.ok) {
        say(`(c) SKIPPED: ${rc.reason}`);
        row('(c) rclone copy', 'skipped', rc.reason);
      } else {
        const peer = await startRclonePeer(emulator, join(work, 'rclone'));
        try {
          const out = join(work, 'rclone-out');
          const before = emulator.stats();
          const r = await peer.run(['copy', 'gp:media/all', out]);
          const calls = callsDelta(before, emulator.stats());
          const files = (await filesUnder(out)).length;
          const attempts = Math.max(1, (r.stderr.match(/Attempt \d+\/\d+ failed/g) ?? []).length);
          say(`\n$ ${r.command}    # (c) ${rc.version}, defaults`);
          say(`  exit ${r.exitCode}, ${secs(r.wallMs)} s, peak RSS ${r.peakRssMb?.toFixed(0) ?? '?'} MB, ${files} files, emulator calls: ${fmtCalls(calls)}, attempts ${attempts}`);
          const rcloneRate = files / (r.wallMs / 1000);
          row('(c) rclone copy: files', String(files), `exit ${r.exitCode}; ${attempts} attempt(s) (rclone re-runs the whole copy when some file failed, e.g. a PROCESSING video)`);
          row('(c) rclone copy: wall time', `${secs(r.wallMs)} s`, fmtCalls(calls));
          row('(c) rclone copy: items/s', rcloneRate.toFixed(1), 'pacer: ~100 requests/s after a burst of 100');
          row('(c) rclone copy: peak RSS', `${r.peakRssMb?.toFixed(0) ?? '?'} MB`, '');
          row('(c) ratio gphotos/rclone items/s', `${(ourRate / rcloneRate).toFixed(2)}x`, 'target >= 3x at defaults');
        } finally {
          await peer.stop();
        }
      }
    }
  } finally {
    await login.cleanup();
    await emulator.stop();
  }
}

function syntheticRemote(i: number): RemoteItem {
  const video = i % 13 === 0;
  const ms = Date.UTC(2010, 0, 1) + i * 1_234_567;
  const item: RemoteItem = {
    ref: { source: 'library', id: `AF1Qip${String(i).padStart(40, '0')}` },
    filename: video ? `VID_${i}.mp4` : `IMG_${i % 10_000}.JPG`,
    mimeType: video ? 'video/mp4' : 'image/jpeg',
    kind: video ? 'video' : 'photo',
    creationTime: new Date(ms).toISOString().replace('.000Z', 'Z'),
    width: 1024,
    height: 768,
  };
  if (video) item.videoStatus = 'READY';
  return item;
}

function planRun(): void {
  say(`\n== (d) plan() over ${PLAN_ITEMS} remote items, half of them archived and on disk ==`);
  const remote = Array.from({ length: PLAN_ITEMS }, (_, i) => syntheticRemote(i));
  const manifest: ManifestItem[] = [];
  const local = new Map<string, LocalFile | undefined>();
  for (let i = 0; i < PLAN_ITEMS; i += 2) {
    const r = remote[i]!;
    const path = `${r.creationTime.slice(0, 4)}/${r.creationTime.slice(5, 7)}/${r.ref.id}.${r.kind === 'video' ? 'mp4' : 'jpg'}`;
    manifest.push(manifestFor(r, path, 10_000));
    local.set(path, { path, size: 10_000, mtimeMs: Date.parse(r.creationTime) });
  }
  const options: PlanOptions = { layout: '{yyyy}/{mm}', tz: 'UTC', filter: makeFilter({}), setMtime: true, force: false, source: 'library', listingComplete: true, quality: 'api-copy', allowDowngrade: false };
  const times: number[] = [];
  let counts = '';
  const RUNS = env('BENCH_PLAN_RUNS', 3);
  for (let run = 0; run < RUNS; run++) {
    const t = performance.now();
    const p = plan({ remote, manifest, local, options });
    times.push(performance.now() - t);
    counts = `download ${p.counts.download}, present ${p.counts.present}`;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  say(`  runs: ${times.map((t) => `${t.toFixed(0)} ms`).join(', ')} (${counts})`);
  row(`(d) plan() of ${PLAN_ITEMS} items (median of ${RUNS})`, `${median.toFixed(0)} ms`, `first ${times[0]!.toFixed(0)} ms (cold JIT); target < 1000 ms; ${counts}`);
}

async function bigRun(): Promise<void> {
  say(`\n== (e) no-op re-sync of ${BIG} items against a synthetic archive (tiny files, real ManifestStore) ==`);
  const t0 = performance.now();
  const emulator = await startEmulator({ items: BIG, seed: 2, faults: { latencyMs: BIG_LATENCY }, quota: QUOTA, oauth: { accessTokenTtlSec: 86_400 } });
  say(`  emulator generated ${BIG} items' metadata in ${secs(performance.now() - t0)} s`);
  const login = await signedIn(emulator);
  try {
    const dir = join(work, 'big-archive');
    const t1 = performance.now();
    const { files: archived } = await writeSyntheticArchive(emulator, dir);
    say(`  wrote ${archived} files and their manifest entries in ${secs(performance.now() - t1)} s`);

    const r = await syncOnce(emulator, login.env, dir, `(e) no-op re-sync of ${BIG} items`);
    const ok = Number(r.s.downloaded) === 0;
    row(`(e) no-op re-sync of ${BIG} items: peak RSS`, `${r.r.peakRssMb?.toFixed(0) ?? '?'} MB`, `target < 300 MB; downloaded ${String(r.s.downloaded)}${ok ? '' : ' — UNEXPECTED'}, present ${String(r.s.alreadyPresent)}`);
    row(`(e) no-op re-sync of ${BIG} items: wall time`, `${secs(r.r.wallMs)} s`, `emulator latency ${BIG_LATENCY} ms; ${fmtCalls(r.calls)}`);
  } finally {
    await login.cleanup();
    await emulator.stop();
  }
}
