// Fetch one item into the archive: open its bytes, place it by its EXIF time when the photo has one,
// stream it to a .part beside the target, make the manifest entry durable, then rename into place.
import { posix } from 'node:path';
import { readExifTime } from '../archive/exif-time.js';
import type { ManifestStore } from '../archive/manifest-store.js';
import { resolveInside } from '../archive/paths.js';
import { SyncAfterRecordError, TargetOccupiedError, writeAtomically } from '../archive/writer.js';
import { localTimeFromExif, localTimeOf } from '../core/local-time.js';
import { safeFilename } from '../core/names.js';
import type { PathRegistry } from '../core/placement.js';
import type { DownloadAction } from '../core/plan-types.js';
import { refKey, type ManifestItem, type Quality } from '../core/types.js';
import { RemoteError } from '../errors.js';
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
  const placement = placed.current ?? place(action, exifLocal, ctx);
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
  const counting = counted(body, ctx.onBytes);
  for (;;) {
    try {
      const result = await writeAtomically(resolveInside(ctx.archiveDir, placement.path), counting, {
        ...(bytes.contentLength === undefined ? {} : { expectedSize: bytes.contentLength }),
        ...(ctx.setMtime && Number.isFinite(captureMs) ? { mtime: new Date(captureMs) } : {}),
        signal: ctx.signal,
        // The manifest learns of the file before it appears: a crash after this line and before the
        // rename leaves an entry whose file is missing, which the next run simply fetches again. The entry's
        // journal flush runs alongside the file's fsync (both finish before the rename): one flush less to wait for.
        beforeRename: (r) => ctx.manifest.put(entry(r)),
        overlapSync: true,
      });
      return { ...placement, ...result };
    } catch (e) {
      if (e instanceof SyncAfterRecordError && e.recorded) {
        // The bytes never became durable, so the manifest must not claim them.
        if (existing === undefined) await ctx.manifest.delete(key);
        else await ctx.manifest.put(existing);
        throw e;
      }
      // A file the manifest does not know sits there (the user's own): never overwrite it, take the next name.
      if (!(e instanceof TargetOccupiedError) || action.reason === 'missing-on-disk') throw e;
      placement.path = ctx.registry.claim(posix.dirname(placement.path), safeFilename(item.filename));
      if (e.bodyConsumed) throw new RemoteError(`${e.message} Fetching it again under another name.`, { retryable: true });
    }
  }
}

/** Where a new item goes: its planned path, unless its EXIF puts it in another folder. */
function place(action: DownloadAction, exifLocal: string | undefined, ctx: DownloadContext): Placement {
  const apiLocal = localTimeOf(action.item.creationTime, ctx.tz);
  const localTime = exifLocal ?? apiLocal;
  const timeSource = exifLocal === undefined ? 'api' : 'exif';
  if (action.reason === 'missing-on-disk') return { path: action.path, localTime, timeSource };
  const dir = ctx.layoutDir(localTime);
  if (dir === posix.dirname(action.path)) return { path: action.path, localTime, timeSource };
  ctx.registry.release(action.path);
  return { path: ctx.registry.claim(dir, safeFilename(action.item.filename)), localTime, timeSource };
}
