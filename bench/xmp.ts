// `npm run bench:xmp`: what XMP sidecars add to a Takeout import, measured as the issue states it: one generated
// Takeout zip (photos whose JSON sidecars carry a caption and GPS) imported by the built CLI into fresh archives,
// with `--no-xmp` (A) and with sidecars (B, the default), alternating A B B A A B ...: each round is a pair, and
// flipping the order every round cancels a load that rises or falls steadily. Every run follows a `sync`, so
// none pays for another's writeback. Prints every run with the load average, then one line with the medians of
// wall time and of CPU time (user + sys of the gphotos process and its children, which other work on a shared
// machine disturbs much less), their ratios, the median of the rounds' own ratios, and the load before and after.
// Figures, never timed assertions. ~20 s a round on a quiet 2-core machine.
//
// Env (defaults in brackets):
//   BENCH_FILES [10000]    photos in the zip (10% more are album copies)
//   BENCH_SIZE_MB [95]     total media bytes
//   BENCH_ROUNDS [5]       runs of each kind
//   BENCH_TRANSFERS [16]   --transfers (import's default)
//   UV_THREADPOOL_SIZE     passed on to gphotos
//   BENCH_KEEP=1           keep the temp dir
import { readdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, summaryOf } from './lib/gphotos.js';
import { measure } from './lib/proc.js';
import { writeTakeoutZip } from './lib/takeout-zip.js';

const num = (name: string, dflt: number): number => (process.env[name] ? Number(process.env[name]) : dflt);
const FILES = num('BENCH_FILES', 10_000);
const SIZE = num('BENCH_SIZE_MB', 95) * 1e6;
const ROUNDS = num('BENCH_ROUNDS', 5);
const TRANSFERS = String(num('BENCH_TRANSFERS', 16));

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

async function countSidecars(dir: string): Promise<number> {
  const names = await readdir(dir, { recursive: true });
  return names.filter((n) => n.endsWith('.xmp')).length;
}

type Kind = 'off' | 'on';
interface Run {
  wallMs: number;
  cpuMs: number | undefined;
  sysMs: number | undefined;
}

const pct = (base: number, other: number): string => `${other >= base ? '+' : ''}${(((other - base) / base) * 100).toFixed(1)}%`;
const secs = (ms: number): string => (ms / 1000).toFixed(2);

/** `--no-xmp A s -> xmp B s (+P%)` for the medians of one measure, and the median of the rounds' own ratios. */
function summary(what: string, rounds: readonly Record<Kind, number | undefined>[]): string {
  const pairs = rounds.filter((r): r is Record<Kind, number> => r.off !== undefined && r.on !== undefined);
  if (pairs.length === 0) return `${what} n/a`;
  const [off, on] = [median(pairs.map((r) => r.off)), median(pairs.map((r) => r.on))];
  const paired = median(pairs.map((r) => (r.on - r.off) / r.off));
  return `${what} ${secs(off)} -> ${secs(on)} s (${pct(off, on)}; rounds ${paired >= 0 ? '+' : ''}${(paired * 100).toFixed(1)}%)`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gphotos-bench-xmp-'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NODE_ENV: 'production' };
  if (process.env.UV_THREADPOOL_SIZE) env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE;
  try {
    const zip = join(dir, 'takeout-001.zip');
    const z = await writeTakeoutZip(zip, { files: FILES, bytes: SIZE, captionsAndGps: true });
    console.log(`bench:xmp: ${zip}: ${z.entries} entries, ${((await stat(zip)).size / 1e6).toFixed(1)} MB; ${ROUNDS} rounds, --transfers ${TRANSFERS}`);
    let n = 0;
    const run = async (kind: Kind): Promise<Run> => {
      const archive = join(dir, `archive-${n++}`);
      await measure('sync', [], env);
      const before = load();
      const args = [CLI, 'import', archive, zip, '--json', '--tz', 'UTC', '--transfers', TRANSFERS, ...(kind === 'off' ? ['--no-xmp'] : [])];
      const r = await measure(process.execPath, args, env);
      if (r.exitCode !== 0) throw new Error(`gphotos import failed (${r.exitCode}): ${r.stderr.slice(-2000)}`);
      const imported = Number(summaryOf(r.stdout).imported);
      const sidecars = await countSidecars(archive);
      if (kind === 'on' && sidecars !== imported) throw new Error(`${imported} imported but ${sidecars} sidecars`);
      if (kind === 'off' && sidecars !== 0) throw new Error(`--no-xmp wrote ${sidecars} sidecars`);
      const cpu = r.cpuMs === undefined || r.sysMs === undefined ? 'n/a' : `${secs(r.cpuMs)} s = user ${secs(r.cpuMs - r.sysMs)} + sys ${secs(r.sysMs)}`;
      console.log(`${kind === 'off' ? '--no-xmp ' : 'with xmp '} ${secs(r.wallMs).padStart(6)} s (cpu ${cpu})  imported ${imported}, sidecars ${sidecars}  load ${before}`);
      await rm(archive, { recursive: true, force: true });
      return { wallMs: r.wallMs, cpuMs: r.cpuMs, sysMs: r.sysMs };
    };
    const loadBefore = load();
    const rounds: Record<Kind, Run>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order: Kind[] = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      const done: Partial<Record<Kind, Run>> = {};
      for (const kind of order) done[kind] = await run(kind);
      rounds.push(done as Record<Kind, Run>);
    }
    const wall = summary('wall', rounds.map((r) => ({ off: r.off.wallMs, on: r.on.wallMs })));
    const cpu = summary('cpu', rounds.map((r) => ({ off: r.off.cpuMs, on: r.on.cpuMs })));
    const userOf = (r: Run): number | undefined => (r.cpuMs === undefined || r.sysMs === undefined ? undefined : r.cpuMs - r.sysMs);
    const user = summary('user', rounds.map((r) => ({ off: userOf(r.off), on: userOf(r.on) })));
    const sys = summary('sys', rounds.map((r) => ({ off: r.off.sysMs, on: r.on.sysMs })));
    console.log('');
    console.log(`bench:xmp ${FILES} items, medians of ${ROUNDS}, --no-xmp -> xmp: ${wall}; ${cpu} (target < +10%); load ${loadBefore} -> ${load()}`);
    // The kernel's share varies most from run to run on a shared disk: the split says which part moved.
    console.log(`  of which ${user}; ${sys}`);
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

await main();
