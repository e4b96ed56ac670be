// `gphotos xmp DIR`: write or refresh the XMP sidecar of every manifest item of an existing archive, under the
// archive lock. The manifest is only read; media files are never opened for writing.
import { lstat } from 'node:fs/promises';
import { acquireLock } from '../archive/lock.js';
import { ManifestStore, manifestPaths } from '../archive/manifest-store.js';
import { pathExists } from '../archive/durable-file.js';
import { resolveInside } from '../archive/paths.js';
import { clearPendingSidecars } from '../archive/xmp-pending.js';
import { flushFileSystem, fsyncSidecar, sidecarPath, writeXmpSidecar } from '../archive/xmp-sidecar.js';
import { runPool } from '../core/pool.js';
import type { ManifestItem } from '../core/types.js';
import { InterruptedError, LocalError, UsageError, messageOf } from '../errors.js';

export interface XmpRunOptions {
  archiveDir: string;
  /** Sidecars written at once (each is a small write + fsync; more lanes overlap the device's flushes). */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface XmpRunResult {
  items: number;
  written: number;
  unchanged: number;
  /** Sidecar paths another tool wrote (or a symlink): left alone. */
  foreign: string[];
  failed: { path: string; why: string }[];
}

export async function runXmp(o: XmpRunOptions): Promise<XmpRunResult> {
  if (!(await pathExists(manifestPaths(o.archiveDir).manifest))) {
    throw new UsageError(`${o.archiveDir} is not a gphotos archive (it has no .gphotos/manifest.json).`, {
      hint: 'Name the folder you ran `gphotos sync` or `gphotos import` on.',
    });
  }
  const lock = await acquireLock(o.archiveDir, { command: 'xmp' });
  try {
    const store = await ManifestStore.open(o.archiveDir, { readOnly: true });
    const items = [...store.items()];
    await store.close();
    const { writtenItems: _, ...r } = await writeSidecars(o.archiveDir, items, o.concurrency ?? 8, o.signal === undefined ? {} : { signal: o.signal });
    if (r.failed.length === 0 && o.signal?.aborted !== true) await clearPendingSidecars(o.archiveDir);
    if (o.signal?.aborted === true) throw new InterruptedError();
    return r;
  } finally {
    await lock.release();
  }
}

export interface WriteSidecarsOptions {
  signal?: AbortSignal;
  /** The caller flushes (flushSidecars) what this wrote, with what it wrote itself: one flush for a whole run. */
  deferFlush?: boolean;
  /** An item whose file is missing is skipped, not a failure (a repair pass: its download writes the sidecar). */
  skipMissing?: boolean;
}

/**
 * Write or refresh the sidecars of `items` (in path order, so that writes to one folder run together). Used by
 * `gphotos xmp` for a whole archive and by every run that changed items, for those items.
 */
export async function writeSidecars(
  archiveDir: string,
  items: readonly ManifestItem[],
  concurrency: number,
  o: WriteSidecarsOptions = {},
): Promise<XmpRunResult & { writtenItems: ManifestItem[] }> {
  const sorted = [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const r: XmpRunResult = { items: sorted.length, written: 0, unchanged: 0, foreign: [], failed: [] };
  // Many sidecars: write them all, then flush the file system once (a device flush each cost as much as the
  // media file itself: +73% on a 10,000-item import). Where that flush is not available, each is fsynced.
  const batch = o.deferFlush === true || sorted.length >= BATCH_FLUSH_FROM;
  const written: ManifestItem[] = [];
  await runPool(sorted, concurrency, async (item) => {
    try {
      const outcome = await writeOne(archiveDir, item, batch, o.skipMissing === true);
      if (outcome === 'written') written.push(item);
      if (outcome === 'foreign') r.foreign.push(sidecarPath(item.path));
      else if (outcome !== 'missing') r[outcome]++;
    } catch (e) {
      r.failed.push({ path: item.path, why: messageOf(e) });
    }
  }, () => o.signal?.aborted === true);
  if (batch && o.deferFlush !== true) await flushSidecars(archiveDir, written, concurrency);
  r.foreign.sort();
  r.failed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...r, writtenItems: written };
}

/** Make sidecars written without a flush durable: one syncfs, or where that is missing an fsync each. */
export async function flushSidecars(archiveDir: string, written: readonly ManifestItem[], concurrency: number): Promise<void> {
  if (written.length > 0 && !(await flushFileSystem(archiveDir))) {
    await runPool(written, concurrency, (item) => fsyncSidecar(archiveDir, item).catch(() => undefined));
  }
}

/** A sidecar describes a file: none is written for an item whose file is not there (verify reports that). */
const BATCH_FLUSH_FROM = 64;

async function writeOne(archiveDir: string, item: ManifestItem, batch: boolean, skipMissing: boolean) {
  const media = resolveInside(archiveDir, item.path);
  const st = await lstat(media).catch(() => undefined);
  if (st?.isFile() !== true) {
    if (skipMissing) return 'missing';
    throw new LocalError(`its file is missing (run \`gphotos verify ${archiveDir}\`)`, { path: media });
  }
  return writeXmpSidecar(archiveDir, item, { flush: !batch });
}
