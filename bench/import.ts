// `npm run bench:import`: throughput, peak memory and re-import time of `gphotos import` on a generated Takeout
// zip, with `unzip -o` of the same archive to the same disk as the baseline measured in the same run.
// Ratios and figures, never timed assertions.
//
// Env (defaults in brackets):
//   BENCH_SIZE_MB [200]   total media bytes in the zip (up to ~2000)
//   BENCH_FILES [1000]    media files in the year folders (up to 10000); 10% more are album copies
//   BENCH_TRANSFERS [16]  --transfers for gphotos (its default)
//   UV_THREADPOOL_SIZE    passed on to gphotos (libuv's fsync threads; bin/gphotos.js sets 16 when unset)
//   BENCH_KEEP=1          keep the temp dir
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, summaryOf } from './lib/gphotos.js';
import { measure } from './lib/proc.js';
import { writeTakeoutZip } from './lib/takeout-zip.js';

const num = (name: string, dflt: number): number => (process.env[name] ? Number(process.env[name]) : dflt);
const SIZE = num('BENCH_SIZE_MB', 200) * 1e6;
const FILES = num('BENCH_FILES', 1000);
const TRANSFERS = String(num('BENCH_TRANSFERS', 16));
const KEEP = process.env.BENCH_KEEP === '1';

const mb = (n: number): string => (n / 1e6).toFixed(1);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gphotos-bench-import-'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NODE_ENV: 'production' };
  // libuv runs fsync on its thread pool (4 threads by default): more threads let parallel entries overlap their fsyncs.
  if (process.env.UV_THREADPOOL_SIZE) env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE;
  try {
    const zip = join(dir, 'takeout-001.zip');
    const t0 = performance.now();
    const z = await writeTakeoutZip(zip, { files: FILES, bytes: SIZE });
    const zipBytes = (await stat(zip)).size;
    console.log(`generated ${zip}: ${z.entries} entries, ${mb(zipBytes)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Each timed run starts with no dirty pages left by the one before (the freshly written zip above all),
    // so no run pays for another's writeback.
    const settle = (): Promise<unknown> => measure('sync', [], env);
    await settle();
    const unzip = await measure('unzip', ['-o', '-q', zip, '-d', join(dir, 'unzipped')], env);
    if (unzip.exitCode !== 0) throw new Error(`unzip failed: ${unzip.stderr}`);
    // unzip never fsyncs; gphotos makes every file durable before the manifest names it. `sync` shows that cost.
    await settle();
    const unzipSync = await measure('sh', ['-c', 'unzip -o -q "$0" -d "$1" && sync', zip, join(dir, 'unzipped-sync')], env);
    const archive = join(dir, 'archive');
    await settle();
    const first = await measure(process.execPath, [CLI, 'import', archive, zip, '--json', '--tz', 'UTC', '--transfers', TRANSFERS], env);
    if (first.exitCode !== 0) throw new Error(`gphotos import failed (${first.exitCode}): ${first.stderr.slice(-2000)}`);
    const s = summaryOf(first.stdout);
    const again = await measure(process.execPath, [CLI, 'import', archive, zip, '--json', '--tz', 'UTC'], env);
    const overlap = await measure(process.execPath, [CLI, 'import', archive, join(dir, 'unzipped'), '--json', '--tz', 'UTC'], env);
    const s3 = summaryOf(overlap.stdout);

    const rate = (ms: number): string => `${mb((zipBytes / ms) * 1000)} MB/s`;
    console.log('');
    console.log(`unzip -o                          ${(unzip.wallMs / 1000).toFixed(2)} s  ${rate(unzip.wallMs)}  peak RSS ${unzip.peakRssMb?.toFixed(0) ?? '?'} MB`);
    console.log(`unzip -o && sync                  ${(unzipSync.wallMs / 1000).toFixed(2)} s  ${rate(unzipSync.wallMs)}`);
    console.log(`gphotos import (first)            ${(first.wallMs / 1000).toFixed(2)} s  ${rate(first.wallMs)}  peak RSS ${first.peakRssMb?.toFixed(0) ?? '?'} MB  imported ${String(s.imported)}, duplicates ${String(s.duplicates)}`);
    console.log(`gphotos import (same zip again)   ${(again.wallMs / 1000).toFixed(2)} s  peak RSS ${again.peakRssMb?.toFixed(0) ?? '?'} MB`);
    console.log(`gphotos import (extracted copy)   ${(overlap.wallMs / 1000).toFixed(2)} s  imported ${String(s3.imported)}, duplicates ${String(s3.duplicates)}`);
    console.log('');
    console.log(`throughput vs unzip: ${((unzip.wallMs / first.wallMs) * 100).toFixed(0)}% (target >= 80%); vs unzip && sync: ${((unzipSync.wallMs / first.wallMs) * 100).toFixed(0)}%`);
    console.log(`peak RSS: ${first.peakRssMb?.toFixed(0) ?? '?'} MB (target < 200 MB)`);
    console.log(`re-import: ${((again.wallMs / first.wallMs) * 100).toFixed(1)}% of the first import (target < 5%)`);
  } finally {
    if (KEEP) console.log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

await main();
