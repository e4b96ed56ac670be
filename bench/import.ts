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
import { randomBytes } from 'node:crypto';
import { open, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { makeJpeg } from '../src/emulator/media/jpeg.js';
import { CLI, summaryOf } from './lib/gphotos.js';
import { measure } from './lib/proc.js';

const num = (name: string, dflt: number): number => (process.env[name] ? Number(process.env[name]) : dflt);
const SIZE = num('BENCH_SIZE_MB', 200) * 1e6;
const FILES = num('BENCH_FILES', 1000);
const TRANSFERS = String(num('BENCH_TRANSFERS', 16));
const KEEP = process.env.BENCH_KEEP === '1';
const GP = 'Takeout/Google Photos';

/** A store-only zip written entry by entry, so a 2 GB archive never sits in memory. */
async function writeTakeoutZip(file: string): Promise<{ entries: number; bytes: number }> {
  const fh = await open(file, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  let entries = 0;
  const add = async (path: string, data: Buffer): Promise<void> => {
    const name = Buffer.from(path);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x800, 6);
    h.writeUInt16LE(0x5821, 12);
    h.writeUInt32LE(crc32(data), 14);
    h.writeUInt32LE(data.length, 18);
    h.writeUInt32LE(data.length, 22);
    h.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(0x031e, 4);
    c.writeUInt16LE(20, 6);
    h.copy(c, 8, 6, 30);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    await fh.write(Buffer.concat([h, name]));
    await fh.write(data);
    offset += 30 + name.length + data.length;
    entries++;
  };
  const bases = Array.from({ length: 8 }, (_, i) => makeJpeg({ width: 640, height: 480, seed: i + 1 }));
  const per = Math.max(1, Math.floor(SIZE / FILES));
  for (let i = 0; i < FILES; i++) {
    const year = 2010 + (i % 12);
    const taken = Date.UTC(year, i % 12, 1 + (i % 28), 12) / 1000;
    const base = bases[i % bases.length] ?? Buffer.alloc(0);
    // Unique, incompressible bytes after the JPEG's end marker: real media does not compress either.
    const data = Buffer.concat([base, randomBytes(Math.max(16, per - base.length))]);
    const name = `IMG_${String(i).padStart(5, '0')}.jpg`;
    const sidecar = Buffer.from(JSON.stringify({ title: name, photoTakenTime: { timestamp: String(taken) }, url: `https://photos.google.com/photo/b${i}` }));
    await add(`${GP}/Photos from ${year}/${name}`, data);
    await add(`${GP}/Photos from ${year}/${name}.supplemental-metadata.json`, sidecar);
    if (i % 10 === 0) {
      await add(`${GP}/Album ${i % 7}/${name}`, data);
      await add(`${GP}/Album ${i % 7}/${name}.supplemental-metadata.json`, sidecar);
    }
  }
  for (let a = 0; a < 7; a++) await add(`${GP}/Album ${a}/metadata.json`, Buffer.from(JSON.stringify({ title: `Album ${a}` })));
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  await fh.write(Buffer.concat([cd, end]));
  await fh.close();
  return { entries, bytes: offset };
}

const mb = (n: number): string => (n / 1e6).toFixed(1);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gphotos-bench-import-'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NODE_ENV: 'production' };
  // libuv runs fsync on its thread pool (4 threads by default): more threads let parallel entries overlap their fsyncs.
  if (process.env.UV_THREADPOOL_SIZE) env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE;
  try {
    const zip = join(dir, 'takeout-001.zip');
    const t0 = performance.now();
    const z = await writeTakeoutZip(zip);
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
