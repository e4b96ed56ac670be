// `npm run bench:xmp`: what XMP sidecars add to a Takeout import, measured as the issue states it: one generated
// Takeout zip (photos whose JSON sidecars carry a caption and GPS) imported by the built CLI into fresh archives,
// with `--no-xmp` and with sidecars (the default), alternating (the order flips each round so drift cancels),
// each run after a `sync` so none pays for another's writeback. Prints every run with the load average, then the
// medians (wall time, and CPU time of the gphotos process) and their ratio. Figures, never timed assertions.
//
// Env (defaults in brackets):
//   BENCH_FILES [10000]    photos in the zip (10% more are album copies)
//   BENCH_SIZE_MB [95]     total media bytes
//   BENCH_ROUNDS [3]       runs of each kind
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
const ROUNDS = num('BENCH_ROUNDS', 3);
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

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gphotos-bench-xmp-'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NODE_ENV: 'production' };
  if (process.env.UV_THREADPOOL_SIZE) env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE;
  try {
    const zip = join(dir, 'takeout-001.zip');
    const z = await writeTakeoutZip(zip, { files: FILES, bytes: SIZE, captionsAndGps: true });
    console.log(`bench:xmp: ${zip}: ${z.entries} entries, ${((await stat(zip)).size / 1e6).toFixed(1)} MB; ${ROUNDS} rounds, --transfers ${TRANSFERS}`);
    const times: Record<'off' | 'on', number[]> = { off: [], on: [] };
    const cpu: Record<'off' | 'on', number[]> = { off: [], on: [] };
    let n = 0;
    const run = async (kind: 'off' | 'on'): Promise<void> => {
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
      times[kind].push(r.wallMs);
      if (r.cpuMs !== undefined) cpu[kind].push(r.cpuMs);
      console.log(`${kind === 'off' ? '--no-xmp ' : 'with xmp '} ${(r.wallMs / 1000).toFixed(2).padStart(6)} s (cpu ${((r.cpuMs ?? NaN) / 1000).toFixed(2)} s)  imported ${imported}, sidecars ${sidecars}  load ${before}`);
      await rm(archive, { recursive: true, force: true });
    };
    for (let round = 0; round < ROUNDS; round++) {
      const order: ('off' | 'on')[] = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const kind of order) await run(kind);
    }
    const off = median(times.off);
    const on = median(times.on);
    console.log('');
    if (cpu.on.length > 0 && cpu.off.length > 0) {
      // CPU time (user + system of the gphotos process) suffers less from other work on the machine than wall time.
      const [a, b] = [median(cpu.off), median(cpu.on)];
      console.log(`median cpu --no-xmp ${(a / 1000).toFixed(2)} s, with xmp ${(b / 1000).toFixed(2)} s: ${(((b - a) / a) * 100).toFixed(1)}% more`);
    }
    console.log(`median --no-xmp ${(off / 1000).toFixed(2)} s, with xmp ${(on / 1000).toFixed(2)} s: sidecars add ${(((on - off) / off) * 100).toFixed(1)}% (target < 10%)  load ${load()}`);
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

await main();
