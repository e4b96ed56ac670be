// `npm run bench:xmp-writer`: what XMP sidecars add to writing an archive, in the same run on the same disk:
//  1. N media files through the archive's durable writer (.part -> fsync -> rename, as import and sync do);
//  2. the N sidecars of those files through writeXmpSidecar (what `gphotos xmp` does on an existing archive);
//  3. a refresh of them all (nothing changed);
//  4. N media files into a fresh folder, each followed by its sidecar in the same lane (what the apply path will do).
// Prints times and the ratios 2/1 and 4/1.
//
// Env (defaults in brackets):
//   BENCH_FILES [10000]    media files (and sidecars)
//   BENCH_FILE_KB [100]    bytes per media file
//   BENCH_TRANSFERS [16]   files written at once (import's default)
//   BENCH_KEEP=1           keep the temp dir
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { writeAtomically } from '../src/archive/writer.js';
import { writeXmpSidecar, type SidecarWrite } from '../src/archive/xmp-sidecar.js';
import type { ManifestItem } from '../src/core/types.js';
import { runPool } from '../src/core/pool.js';

const num = (name: string, dflt: number): number => (process.env[name] ? Number(process.env[name]) : dflt);
const FILES = num('BENCH_FILES', 10_000);
const SIZE = num('BENCH_FILE_KB', 100) * 1024;
const TRANSFERS = num('BENCH_TRANSFERS', 16);

function itemAt(i: number): ManifestItem {
  const year = 2010 + (i % 12);
  const month = String(1 + (Math.floor(i / 12) % 12)).padStart(2, '0');
  const day = String(1 + (i % 28)).padStart(2, '0');
  return {
    key: `takeout:Takeout/Google Photos/Photos from ${year}/IMG_${i}.jpg`,
    refs: [{ source: 'takeout', id: `Takeout/Google Photos/Photos from ${year}/IMG_${i}.jpg` }, { source: 'library', id: `AF1Qip${i}` }],
    path: `${year}/${month}/IMG_${i}.jpg`,
    size: SIZE,
    sha256: randomBytes(32).toString('hex'),
    captureTime: `${year}-${month}-${day}T10:00:00Z`,
    localTime: `${year}-${month}-${day}T12:00:00`,
    timeSource: 'exif',
    mimeType: 'image/jpeg',
    filename: `IMG_${i}.jpg`,
    width: 4032,
    height: 3024,
    quality: 'original',
    fetchedAt: '2026-01-01T00:00:00.000Z',
    mtimeStamped: true,
    ...(i % 3 === 0 ? { description: `Caption ${i} & <more>` } : {}),
    ...(i % 2 === 0 ? { gps: { latitude: 48.8583701, longitude: 2.2944813, altitude: 35.2 } } : {}),
    ...(i % 10 === 0 ? { favorite: true, albums: ['Trip'], people: ['Alice'] } : {}),
  };
}

/** One chunk as the writer's async body. */
function once(b: Uint8Array): AsyncIterable<Uint8Array> {
  return Readable.from([b], { objectMode: false });
}

async function timed(what: string, fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  console.log(`${what.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${((ms * 1000) / FILES).toFixed(0).padStart(6)} µs/file`);
  return ms;
}

const root = await mkdtemp(join(tmpdir(), 'gphotos-bench-xmp-'));
try {
  const items = Array.from({ length: FILES }, (_, i) => itemAt(i));
  const body = randomBytes(SIZE);
  console.log(`bench:xmp: ${FILES} files of ${SIZE / 1024} KiB, ${TRANSFERS} at once, in ${root}`);
  const media = await timed('media files (.part, fsync, rename)', async () => {
    await runPool(items, TRANSFERS, async (m) => {
      await writeAtomically(join(root, m.path), once(body), { expectedSize: SIZE, mtime: new Date(m.captureTime) });
    });
  });
  const count = async (expect: SidecarWrite): Promise<void> => {
    let other = 0;
    await runPool(items, TRANSFERS, async (m) => {
      if ((await writeXmpSidecar(root, m)) !== expect) other++;
    });
    if (other > 0) throw new Error(`${other} sidecars were not ${expect}`);
  };
  const xmp = await timed('sidecars, first write', () => count('written'));
  const again = await timed('sidecars, refresh (all unchanged)', () => count('unchanged'));
  const both = await timed('media files + sidecar in each lane', async () => {
    await runPool(items, TRANSFERS, async (m) => {
      const moved = { ...m, path: `with-xmp/${m.path}` };
      await writeAtomically(join(root, moved.path), once(body), { expectedSize: SIZE, mtime: new Date(m.captureTime) });
      if ((await writeXmpSidecar(root, moved)) !== 'written') throw new Error(`sidecar of ${moved.path} not written`);
    });
  });
  const pct = (x: number): string => `${((x / media) * 100).toFixed(1)}%`;
  console.log(`sidecars alone: ${pct(xmp)} of the media time (refresh: ${pct(again)}); media + sidecars: ${pct(both - media)} more time`);
} finally {
  if (process.env.BENCH_KEEP !== '1') await rm(root, { recursive: true, force: true });
}
