// Fetch one item into the archive, from whichever source: read its head (a photo's EXIF, a video's mvhd) to date
// and place it, stream it to a .part beside the target while hashing, make the manifest entry durable, then rename
// into place. An upgrade writes the original over the archived API copy at the same path, in one rename.
import { posix } from 'node:path';
import { readExifTime, type ExifTime } from '../archive/exif-time.js';
import { readMp4CreationTimeFromBuffer } from '../archive/mp4-time.js';
import { resolveInside } from '../archive/paths.js';
import { SyncAfterRecordError, TargetOccupiedError, writeAtomically } from '../archive/writer.js';
import { dateItem, folderOf, type ContentTimes, type DateSource } from '../core/dating.js';
import { withMeta } from '../core/item-meta.js';
import { safeFilename } from '../core/names.js';
import { peek } from '../core/peek.js';
import type { PathRegistry } from '../core/placement.js';
import type { TransferAction } from '../core/plan-types.js';
import { refKey, type ManifestItem, type Quality, type RemoteItem } from '../core/types.js';
import { RemoteError } from '../errors.js';
import type { ItemBytes } from '../sources/source.js';
import type { ItemRecords } from './item-records.js';

const HEAD_BYTES = 128 * 1024;

export interface DownloadContext {
  archiveDir: string;
  manifest: ItemRecords;
  registry: PathRegistry;
  /** Folder of a wall-clock time, from the layout template ('2019/03'). */
  layoutDir: (localTime: string) => string;
  tz: string;
  setMtime: boolean;
  /** What this source's bytes are. */
  quality: Quality;
  /**
   * sha256 -> manifest key, for sources whose items may repeat bytes under other refs (Takeout album copies):
   * such bytes are recorded as another ref of the archived item, not stored twice. Kept in step synchronously,
   * so parallel transfers see each other.
   */
  sameBytes?: Map<string, string>;
  now: () => Date;
  signal: AbortSignal;
  onBytes: (n: number) => void;
}

export interface Placement {
  path: string;
  captureTime: string;
  localTime: string;
  timeSource: 'exif' | 'api';
  dateSource: DateSource;
}

export type TransferOutcome =
  | ({ kind: 'written'; size: number; sha256: string } & Placement)
  /** The same bytes are archived already as `key`: this item's ref was added to it. */
  | { kind: 'same-bytes'; key: string; path: string };

class SameBytes extends Error {
  constructor(readonly key: string) {
    super('same bytes');
  }
}

/**
 * Write one planned item from its bytes. `placed` carries the placement of an earlier attempt of the same item,
 * so that a retry never moves it to another name.
 */
export async function transferItem(
  action: TransferAction,
  bytes: ItemBytes,
  ctx: DownloadContext,
  placed: { current?: Placement },
): Promise<TransferOutcome> {
  const item = action.item;
  const peeked = await peek(bytes.body, HEAD_BYTES);
  const exif = item.kind === 'photo' ? await readExifTime(peeked.head) : undefined;
  const placement = placed.current ?? place(action, contentTimes(item, peeked.head, exif), ctx);
  placed.current = placement;
  const exifSize = item.width === undefined || item.height === undefined ? exif : undefined;

  const existing = action.key === undefined ? undefined : ctx.manifest.get(action.key);
  const key = existing?.key ?? refKey(item.ref);
  const captureMs = Date.parse(placement.captureTime);
  const stamp = ctx.setMtime && Number.isFinite(captureMs) && placement.dateSource !== 'none';
  const refs = existing === undefined ? [item.ref] : existing.refs.some((r) => refKey(r) === refKey(item.ref)) ? existing.refs : [...existing.refs, item.ref];
  const width = item.width ?? exifSize?.width;
  const height = item.height ?? exifSize?.height;
  const entry = (r: { size: number; sha256: string }): ManifestItem =>
    withMeta(
      {
        ...(existing ?? {}),
        key,
        refs,
        path: placement.path,
        size: r.size,
        sha256: r.sha256,
        captureTime: placement.captureTime,
        localTime: placement.localTime,
        timeSource: placement.timeSource,
        mimeType: item.mimeType,
        filename: item.filename,
        ...(width === undefined || height === undefined ? {} : { width, height }),
        quality: ctx.quality,
        fetchedAt: ctx.now().toISOString(),
        mtimeStamped: stamp,
        // A crash between this record and the rename leaves the copy on disk: the plan knows it by these.
        ...(action.kind === 'upgrade' && existing !== undefined ? { replaced: { size: existing.size, sha256: existing.sha256 } } : {}),
      },
      item.meta,
    );
  const counting = counted(peeked.body, ctx.onBytes);
  /** The manifest already holds this transfer's entry: any failure before the rename must take it back. */
  let recorded = false;
  for (;;) {
    try {
      const result = await writeAtomically(resolveInside(ctx.archiveDir, placement.path), counting, {
        ...(bytes.contentLength === undefined ? {} : { expectedSize: bytes.contentLength }),
        ...(stamp ? { mtime: new Date(captureMs) } : {}),
        ...(action.kind === 'upgrade' ? { replace: true } : {}),
        signal: ctx.signal,
        // The manifest learns of the file before it appears: a crash after this line and before the
        // rename leaves an entry whose file is missing, which the next run simply fetches again. The entry's
        // journal flush runs alongside the file's fsync (both finish before the rename): one flush less to wait for.
        beforeRename: (r) => {
          // Synchronous up to put(): a parallel transfer of the same bytes must see this one.
          const dup = ctx.sameBytes?.get(r.sha256);
          if (dup !== undefined && dup !== key) throw new SameBytes(dup);
          ctx.sameBytes?.set(r.sha256, key);
          return ctx.manifest.put(entry(r)).then(() => {
            recorded = true;
          });
        },
        overlapSync: true,
      });
      return { kind: 'written', ...placement, ...result };
    } catch (e) {
      if (e instanceof SameBytes) {
        if (action.kind === 'download' && action.reason === 'new-remote-item') ctx.registry.release(placement.path);
        return { kind: 'same-bytes', key: e.key, path: await addRef(e.key, item, ctx) };
      }
      if (recorded || (e instanceof SyncAfterRecordError && e.recorded)) {
        // The bytes never reached their name (a failed fsync or rename), so the manifest must not claim them.
        if (existing === undefined) await ctx.manifest.delete(key);
        else await ctx.manifest.put(existing);
        throw e;
      }
      // A file the manifest does not know sits there (the user's own): never overwrite it, take the next name.
      if (!(e instanceof TargetOccupiedError) || action.kind === 'upgrade' || action.reason === 'missing-on-disk') throw e;
      placement.path = ctx.registry.claim(posix.dirname(placement.path), safeFilename(item.filename));
      if (e.bodyConsumed) throw new RemoteError(`${e.message} Fetching it again under another name.`, { retryable: true });
    }
  }
}

/** Another ref (and what its source knows) for an archived item that has these very bytes. */
async function addRef(key: string, item: RemoteItem, ctx: DownloadContext): Promise<string> {
  const m = ctx.manifest.get(key);
  if (m === undefined) return '';
  const refs = m.refs.some((r) => refKey(r) === refKey(item.ref)) ? m.refs : [...m.refs, item.ref];
  await ctx.manifest.put(withMeta({ ...m, refs }, item.meta?.albums === undefined ? undefined : { albums: item.meta.albums }));
  return m.path;
}

/** What the bytes say about when the item was taken: a photo's EXIF; a video's mvhd when the listing only guessed. */
function contentTimes(item: RemoteItem, head: Uint8Array, exif: ExifTime | undefined): ContentTimes {
  if (item.kind === 'photo') {
    return exif === undefined ? {} : { exif: { dateTimeOriginal: exif.dateTimeOriginal, ...(exif.offset === undefined ? {} : { offset: exif.offset }) } };
  }
  if (item.dating !== 'filename' && item.dating !== 'none') return {};
  const video = readMp4CreationTimeFromBuffer(head)?.getTime();
  return video === undefined ? {} : { videoUtcMs: video };
}

/** Where the item goes: an archived path stays; a new item takes its planned path unless its date says another folder. */
function place(action: TransferAction, content: ContentTimes, ctx: DownloadContext): Placement {
  const dated = dateItem(action.item, content, ctx.tz);
  const base = { localTime: dated.localTime, timeSource: dated.timeSource, dateSource: dated.source, captureTime: dated.captureTime };
  if (action.kind === 'upgrade' || action.reason === 'missing-on-disk') return { path: action.path, ...base };
  const dir = folderOf(dated, ctx.layoutDir);
  if (dir === posix.dirname(action.path)) return { path: action.path, ...base };
  ctx.registry.release(action.path);
  return { path: ctx.registry.claim(dir, safeFilename(action.item.filename)), ...base };
}

/** Pass chunks through, telling `onBytes` how many went by. */
async function* counted(body: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    onBytes(chunk.byteLength);
    yield chunk;
  }
}
