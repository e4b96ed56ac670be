// Fetch one item into the archive: open its bytes, place it by its EXIF time when the photo has one,
// stream it to a .part beside the target, make the manifest entry durable, then rename into place.
import { lstat } from 'node:fs/promises';
import { posix } from 'node:path';
import { readExifTime } from '../archive/exif-time.js';
import type { ManifestStore } from '../archive/manifest-store.js';
import { resolveInside } from '../archive/paths.js';
import { writeAtomically } from '../archive/writer.js';
import { localTimeFromExif, localTimeOf } from '../core/local-time.js';
import { safeFilename } from '../core/names.js';
import type { PathRegistry } from '../core/placement.js';
import type { DownloadAction } from '../core/plan-types.js';
import { refKey, type ManifestItem, type Quality } from '../core/types.js';
import type { Source } from '../sources/source.js';
import { counted, peek } from './peek.js';

const EXIF_HEAD_BYTES = 128 * 1024;

export interface DownloadContext {
  archiveDir: string;
  source: Source;
  manifest: ManifestStore;
  registry: PathRegistry;
  /** Folder of a wall-clock time, from the layout template ('2019/03'). */
  layoutDir: (localTime: string) => string;
  tz: string;
  setMtime: boolean;
  quality: Quality;
  now: () => Date;
  signal: AbortSignal;
  onBytes: (n: number) => void;
}

export interface Placement {
  path: string;
  localTime: string;
  timeSource: 'exif' | 'api';
}

export interface DownloadResult extends Placement {
  size: number;
  sha256: string;
}

/**
 * Download one planned item. `placed` carries the placement of an earlier attempt of the same item,
 * so that a retry never moves it to another name.
 */
export async function downloadItem(
  action: DownloadAction,
  ctx: DownloadContext,
  placed: { current?: Placement },
): Promise<DownloadResult> {
  const item = action.item;
  const bytes = await ctx.source.open(item, ctx.signal);
  let body = bytes.body;
  let exifLocal: string | undefined;
  if (item.kind === 'photo') {
    const peeked = await peek(body, EXIF_HEAD_BYTES);
    body = peeked.body;
    const exif = readExifTime(peeked.head);
    if (exif) exifLocal = localTimeFromExif(exif.dateTimeOriginal, exif.offset)?.local;
  }
  const placement = placed.current ?? (await place(action, exifLocal, ctx));
  placed.current = placement;

  const existing = action.key === undefined ? undefined : ctx.manifest.get(action.key);
  const key = existing?.key ?? refKey(item.ref);
  const captureMs = Date.parse(item.creationTime);
  const entry = (r: { size: number; sha256: string }): ManifestItem => ({
    key,
    refs: existing?.refs ?? [item.ref],
    path: placement.path,
    size: r.size,
    sha256: r.sha256,
    captureTime: item.creationTime,
    localTime: placement.localTime,
    timeSource: placement.timeSource,
    mimeType: item.mimeType,
    filename: item.filename,
    ...(item.width === undefined ? {} : { width: item.width }),
    ...(item.height === undefined ? {} : { height: item.height }),
    quality: ctx.quality,
    fetchedAt: ctx.now().toISOString(),
    mtimeStamped: ctx.setMtime && Number.isFinite(captureMs),
  });
  const target = resolveInside(ctx.archiveDir, placement.path);
  const result = await writeAtomically(target, counted(body, ctx.onBytes), {
    ...(bytes.contentLength === undefined ? {} : { expectedSize: bytes.contentLength }),
    ...(ctx.setMtime && Number.isFinite(captureMs) ? { mtime: new Date(captureMs) } : {}),
    signal: ctx.signal,
    // The manifest learns of the file before it appears: a crash after this line and before the
    // rename leaves an entry whose file is missing, which the next run simply fetches again.
    beforeRename: (r) => ctx.manifest.put(entry(r)),
  });
  return { ...placement, ...result };
}

/** Where a new item goes: its planned path, unless its EXIF puts it in another folder. */
async function place(action: DownloadAction, exifLocal: string | undefined, ctx: DownloadContext): Promise<Placement> {
  const apiLocal = localTimeOf(action.item.creationTime, ctx.tz);
  const localTime = exifLocal ?? apiLocal;
  const timeSource = exifLocal === undefined ? 'api' : 'exif';
  if (action.reason === 'missing-on-disk') return { path: action.path, localTime, timeSource };
  let path = action.path;
  const dir = ctx.layoutDir(localTime);
  if (dir !== posix.dirname(action.path)) {
    ctx.registry.release(action.path);
    path = ctx.registry.claim(dir, safeFilename(action.item.filename));
  }
  // A file the manifest does not know may already sit there (the user's own); never overwrite it.
  while (await exists(resolveInside(ctx.archiveDir, path))) {
    path = ctx.registry.claim(posix.dirname(path), safeFilename(action.item.filename));
  }
  return { path, localTime, timeSource };
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
