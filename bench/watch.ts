// `npm run bench:watch`: memory and inotify watches of a long-running `gphotos watch`. Figures, never timed assertions.
//
//   (a) `gphotos watch` over a synthetic archive of BENCH_WATCH_FILES tiny files in {yyyy}/{mm} folders (real
//       ManifestStore manifest), with an emulator listing those very items, so that every cycle is a no-op:
//       RSS (VmRSS, VmHWM) and inotify watches of the gphotos process after the first cycle and after
//       BENCH_WATCH_HOLD_S seconds more, and VmRSS 3 s after each cycle (idle, between cycles: a sample taken
//       during a cycle only says where in the cycle it fell). Watching every file would need one watch per file
//       (~100k); watching folders needs about one per folder.
//   (b) BENCH_WATCH_CYCLES quick no-op cycles (`--interval 0s --max-cycles N`) against a small library: VmRSS sampled
//       every BENCH_WATCH_SAMPLE_EVERY cycles, and whether it grows (mean of the last 3 samples vs the first 3).
//
// Env (defaults in brackets):
//   BENCH_WATCH_FILES [100000]       items/files for (a) (0 skips)
//   BENCH_WATCH_HOLD_S [30]          seconds (a) keeps watching after the first cycle
//   BENCH_WATCH_INTERVAL [10s]       --interval for (a), so that a few no-op cycles run while holding
//   BENCH_WATCH_CYCLES [1000]        cycles for (b) (0 skips)
//   BENCH_WATCH_SAMPLE_EVERY [100]   (b) samples RSS every this many cycles
//   BENCH_WATCH_ITEMS [50]           library size for (b)
//   BENCH_KEEP=1                     keep the temp dirs
import { readdir, readFile, readlink, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startEmulator } from '../src/emulator/server.js';
import { CLI, signedIn } from './lib/gphotos.js';
import { writeSyntheticArchive } from './lib/synthetic-archive.js';

const num = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};
const FILES = num('BENCH_WATCH_FILES', 100_000);
const HOLD_S = num('BENCH_WATCH_HOLD_S', 30);
const INTERVAL = process.env.BENCH_WATCH_INTERVAL ?? '10s';
const CYCLES = num('BENCH_WATCH_CYCLES', 1000);
const SAMPLE_EVERY = Math.max(1, num('BENCH_WATCH_SAMPLE_EVERY', 100));
const SMALL = num('BENCH_WATCH_ITEMS', 50);
const KEEP = process.env.BENCH_KEEP === '1';
const QUOTA = { apiPerDay: 1e9, bytesPerDay: 1e9 };
const BUDGET = '100000000,100000000';

const say = (s = ''): void => void process.stdout.write(`${s}\n`);
const rows: Array<[string, string, string]> = [];
const row = (what: string, value: string, note = ''): void => void rows.push([what, value, note]);
const secs = (ms: number): string => (ms / 1000).toFixed(1);
const mbOf = (kb: number | undefined): string => (kb === undefined ? '?' : ((kb * 1024) / 1e6).toFixed(0));

interface Sample {
  rssKb: number | undefined;
  hwmKb: number | undefined;
  watches: number;
}

/** VmRSS, VmHWM and the inotify watches (`inotify wd:` lines in the fdinfo of its inotify fds) of one process. */
async function sample(pid: number): Promise<Sample> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = (field: string): number | undefined => {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(status);
    return m === null ? undefined : Number(m[1]);
  };
  let watches = 0;
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (!target.includes('inotify')) continue;
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    watches += info.split('\n').filter((l) => l.startsWith('inotify wd:')).length;
  }
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), watches };
}

type Ev = Record<string, unknown>;

/** `gphotos watch --json` as a direct child (its pid is the gphotos process), with a hook on each event. */
function startWatch(env: Record<string, string>, args: string[], onEvent: (e: Ev) => void) {
  const child = execa(process.execPath, [CLI, 'watch', ...args, '--json', '--tz', 'UTC'], { env, extendEnv: false, reject: false, buffer: false });
  let buf = '';
  child.stdout?.on('data', (b: Buffer) => {
    buf += b.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim() !== '') onEvent(JSON.parse(line) as Ev);
    }
  });
  child.stderr?.on('data', (b: Buffer) => void process.stderr.write(`  [gphotos stderr] ${b.toString()}`));
  return child;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, child: { exitCode: number | null }, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (child.exitCode !== null) throw new Error(`gphotos watch exited (${String(child.exitCode)}) while waiting for ${what}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const work = await mkdtemp(join(tmpdir(), 'gphotos-bench-watch-'));
say(`gphotos bench:watch — node ${process.version}, ${cpus().length} CPUs; work dir ${work}`);
try {
  if (FILES > 0) await bigArchive();
  if (CYCLES > 0) await manyCycles();
} finally {
  if (KEEP) say(`kept ${work}`);
  else await rm(work, { recursive: true, force: true });
}
say('\n| measurement | value | note |\n|---|---|---|');
for (const [a, b, c] of rows) say(`| ${a} | ${b} | ${c} |`);

async function bigArchive(): Promise<void> {
  say(`\n== (a) watch over a synthetic archive of ${FILES} items, every cycle a no-op ==`);
  const t0 = performance.now();
  const emulator = await startEmulator({ items: FILES, seed: 2, quota: QUOTA, oauth: { accessTokenTtlSec: 86_400 } });
  const login = await signedIn(emulator);
  try {
    const dir = join(work, 'big-archive');
    const made = await writeSyntheticArchive(emulator, dir);
    say(`  emulator + archive: ${made.files} files in ${made.folders} folders (plus the root), written in ${secs(performance.now() - t0)} s`);
    const finished: Ev[] = [];
    let started: Ev | undefined;
    /** VmRSS 3 s after each cycle-finished (the loop is idle then; its idle GC has given the pages back). */
    const idle: Array<{ cycle: number; rssKb: number | undefined }> = [];
    const idleSamples: Promise<void>[] = [];
    const args = [dir, '--interval', INTERVAL, '--quiet', '--daily-budget', BUDGET];
    say(`  $ gphotos watch ${args.join(' ')} --json --tz UTC`);
    const t1 = performance.now();
    const child = startWatch(login.env, args, (e) => {
      if (e.event === 'watch-started') started = e;
      if (e.event === 'cycle-finished') {
        finished.push(e);
        const n = Number(e.cycle);
        idleSamples.push(sleep(3000).then(() => sample(pid)).then((s) => void idle.push({ cycle: n, rssKb: s.rssKb })));
      }
    });
    const pid = child.pid ?? 0;
    try {
      await until(() => started !== undefined, child, 'watch-started (folder watches ready)', 300_000);
      const ready = performance.now() - t1;
      const atReady = await sample(pid);
      await until(() => finished.length >= 1, child, 'the first cycle', 300_000);
      const firstMs = performance.now() - t1;
      const first = await sample(pid);
      const c1 = finished[0] ?? {};
      say(`  watch-started after ${secs(ready)} s: VmRSS ${mbOf(atReady.rssKb)} MB, ${atReady.watches} inotify watches`);
      say(`  first cycle done after ${secs(firstMs)} s (listed ${String(c1.listed)}, downloaded ${String(c1.downloaded)}, apiCalls ${String(c1.apiCalls)}, byteCalls ${String(c1.byteCalls)}, cycle ${secs(Number(c1.elapsedMs))} s)`);
      say(`    VmRSS ${mbOf(first.rssKb)} MB, VmHWM ${mbOf(first.hwmKb)} MB, ${first.watches} inotify watches`);
      await sleep(HOLD_S * 1000);
      const later = await sample(pid);
      await Promise.all(idleSamples);
      idle.sort((a, b) => a.cycle - b.cycle);
      const downloadedAfter = finished.reduce((n, e) => n + Number(e.downloaded), 0);
      say(`  ${HOLD_S} s later (${finished.length} cycles finished, ${downloadedAfter} downloads in all): VmRSS ${mbOf(later.rssKb)} MB, VmHWM ${mbOf(later.hwmKb)} MB, ${later.watches} inotify watches`);
      const idleText = idle.map((x) => `${x.cycle}: ${mbOf(x.rssKb)}`).join(', ');
      say(`  VmRSS 3 s after each cycle (idle): ${idleText} MB`);
      row(`(a) ${made.files} files / ${made.folders} folders: inotify watches`, `${first.watches} after cycle 1, ${later.watches} after ${HOLD_S} s`, `folders + root = ${made.folders + 1}; one watch per file would be ${made.files}`);
      row(`(a) ${made.files} files: VmRSS`, `${mbOf(first.rssKb)} MB after cycle 1, ${mbOf(later.rssKb)} MB after ${HOLD_S} s`, `${mbOf(atReady.rssKb)} MB once the folder watches were ready, before cycle 1`);
      row(`(a) ${made.files} files: VmRSS between cycles`, `${idleText} MB`, 'by cycle, 3 s after each one finished (idle)');
      row(`(a) ${made.files} files: peak RSS (VmHWM)`, `${mbOf(first.hwmKb)} MB by the end of cycle 1, ${mbOf(later.hwmKb)} MB after ${HOLD_S} s`, 'the no-op sync cycle itself (manifest + listing), see bench:sync (e)');
      row(`(a) ${made.files} files: cycles`, `${finished.length} in ${secs(performance.now() - t1)} s`, `--interval ${INTERVAL}; first cycle ${secs(Number(c1.elapsedMs))} s; downloads ${downloadedAfter}${downloadedAfter === 0 ? '' : ' — UNEXPECTED'}`);
    } finally {
      child.kill('SIGTERM');
      const r = await child;
      say(`  SIGTERM: exit ${String(r.exitCode)}`);
    }
  } finally {
    await login.cleanup();
    await emulator.stop();
  }
}

async function manyCycles(): Promise<void> {
  say(`\n== (b) ${CYCLES} quick cycles against a library of ${SMALL} items ==`);
  const emulator = await startEmulator({ items: SMALL, seed: 5, quota: QUOTA, oauth: { accessTokenTtlSec: 86_400 } });
  const login = await signedIn(emulator);
  try {
    const dir = join(work, 'small-archive');
    const args = [dir, '--interval', '0s', '--max-cycles', String(CYCLES + 1), '--quiet', '--daily-budget', BUDGET];
    say(`  $ gphotos watch ${args.join(' ')} --json --tz UTC`);
    // One cycle more than sampled: a sample taken after the very last cycle would race with the process exiting.
    const samples: Array<{ cycle: number; rssKb: number | undefined; hwmKb: number | undefined }> = [];
    const pending: Promise<void>[] = [];
    let pid = 0;
    let last: Ev | undefined;
    let downloads = 0;
    const t0 = performance.now();
    const child = startWatch(login.env, args, (e) => {
      if (e.event !== 'cycle-finished') return;
      last = e;
      downloads += Number(e.downloaded);
      const n = Number(e.cycle);
      if (n === 1 || (n % SAMPLE_EVERY === 0 && n <= CYCLES)) pending.push(sample(pid).then((s) => void samples.push({ cycle: n, rssKb: s.rssKb, hwmKb: s.hwmKb })));
    });
    pid = child.pid ?? 0;
    const r = await child;
    await Promise.all(pending);
    const wall = performance.now() - t0;
    samples.sort((a, b) => a.cycle - b.cycle);
    say(`  exit ${String(r.exitCode)} after ${secs(wall)} s, ${String(last?.cycle)} cycles (${((Number(last?.cycle) / wall) * 1000).toFixed(1)} cycles/s), ${downloads} downloads (all in cycle 1)`);
    say(`  VmRSS by cycle: ${samples.map((s) => `${s.cycle}: ${mbOf(s.rssKb)}`).join(', ')} MB`);
    // Cycle 1 downloads the library; the trend is judged over the periodic samples only.
    const periodic = samples.filter((s) => s.cycle % SAMPLE_EVERY === 0 && s.rssKb !== undefined).map((s) => s.rssKb ?? 0);
    if (periodic.length >= 6) {
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      const head = mean(periodic.slice(0, 3));
      const tail = mean(periodic.slice(-3));
      const pct = ((tail - head) / head) * 100;
      const grows = pct > 10;
      say(`  first 3 samples ${mbOf(head)} MB, last 3 ${mbOf(tail)} MB: ${pct >= 0 ? '+' : ''}${pct.toFixed(1)}% → ${grows ? 'GROWS' : 'flat (within 10%)'}`);
      row(`(b) ${CYCLES} no-op cycles, ${SMALL} items: VmRSS`, `${mbOf(head)} → ${mbOf(tail)} MB (${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%)`, `mean of the first 3 vs last 3 samples (every ${SAMPLE_EVERY} cycles): ${grows ? 'GROWS' : 'flat'}`);
    } else say('  too few samples to judge growth (need 6: raise BENCH_WATCH_CYCLES or lower BENCH_WATCH_SAMPLE_EVERY)');
    row(`(b) ${CYCLES} no-op cycles: wall time`, `${secs(wall)} s`, `${((CYCLES / wall) * 1000).toFixed(1)} cycles/s; peak RSS ${mbOf(samples.at(-1)?.hwmKb)} MB; exit ${String(r.exitCode)}`);
  } finally {
    await login.cleanup();
    await emulator.stop();
  }
}
