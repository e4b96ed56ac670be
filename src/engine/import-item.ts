// Import one media entry: read its head for EXIF (or the video's mvhd), date it, decide whether it upgrades
// an API copy or is new, then stream it to a .part beside its target while hashing. Identical bytes already
// in the archive (an album copy, an overlapping export) are recognised at the end of the stream and the
// .part is discarded, so the archive holds each file once.
import { posix } from 'node:path';
import { readExifTime } from '../archive/exif-time.js';
import type { ManifestStore } from '../archive/manifest-store.js';
import { readMp4CreationTimeFromBuffer } from '../archive/mp4-time.js';
import { resolveInside } from '../archive/paths.js';
import { SyncAfterRecordError, TargetOccupiedError, writeAtomically, type WriteResult } from '../archive/writer.js';
import { candidatesFor, matchIdentity } from '../core/identity.js';
import { safeFilename } from '../core/names.js';
import type { PathRegistry } from '../core/placement.js';
import type { ManifestItem, RemoteItem, SourceRef } from '../core/types.js';
import type { CatalogItem } from '../sources/takeout/catalog.js';
import { resolveDate, type Dated } from '../sources/takeout/dates.js';
import { extOf, localTimeFromName, mimeOf } from '../sources/takeout/names.js';
import type { ImportSink } from './import-events.js';
import { counted } from './peek.js';

const HEAD_BYTES = 128 * 1024;
export const UNKNOWN_DATE_DIR = 'unknown-date';

export interface ImportContext {
  archiveDir: string;
  manifest: ManifestStore;
  registry: PathRegistry;
  layoutDir: (localTime: string) => string;
  tz: string;
  setMtime: boolean;
  now: () => Date;
  signal: AbortSignal;
  onEvent: ImportSink;
  /** sha256 -> manifest key, kept in step with the manifest synchronously so parallel entries see each other. */
  shaIndex: Map<string, string>;
  /** Takeout ids claimed in this run but maybe not yet durable. */
  claimedIds: Map<string, string>;
  /** API copies by identity, candidates for an upgrade to the original. */
  apiIndex: ReadonlyMap<string, ManifestItem[]>;
}

export type ItemOutcome =
  | { kind: 'imported'; key: string; path: string; bytes: number; dated: Dated }
  | { kind: 'upgraded'; key: string; path: string; bytes: number }
  | { kind: 'duplicate'; key: string; path: string }
  | { kind: 'ambiguous'; keys: string[] };

class Duplicate extends Error {
  constructor(readonly key: string) {
    super('duplicate');
  }
}

export async function importItem(item: CatalogItem, body: AsyncIterable<Uint8Array>, ctx: ImportContext): Promise<ItemOutcome> {
  const peeked = await peekHead(body, HEAD_BYTES);
  const mimeType = mimeOf(item.name, peeked.head);
  const video = mimeType.startsWith('video/');
  // exifreader copies the whole buffer it is given: hand it only the metadata, not 128 KiB+ of pixels per photo.
  const exif = video ? undefined : readExifTime(metadataPrefix(peeked.head.subarray(0, HEAD_BYTES)));
  const sidecarSec = item.sidecar?.takenSec;
  const videoUtcMs = video && sidecarSec === undefined ? readMp4CreationTimeFromBuffer(peeked.head)?.getTime() : undefined;
  const nameLocal = localTimeFromName(item.name);
  const dated = resolveDate(
    {
      ...(sidecarSec === undefined ? {} : { sidecarSec }),
      ...(exif === undefined ? {} : { exif }),
      ...(videoUtcMs === undefined ? {} : { videoUtcMs }),
      ...(nameLocal === undefined ? {} : { nameLocal }),
      fallbackMs: item.entry.mtimeMs > 0 ? item.entry.mtimeMs : ctx.now().getTime(),
    },
    ctx.tz,
  );
  const filename = originalName(item);

  // An API copy of the same photo (same name, second and pixel size) is replaced by this original.
  let upgrade: ManifestItem | undefined;
  if (item.sidecar !== undefined && (item.variant === 'self' || item.variant === 'title')) {
    const probe: RemoteItem = {
      ref: { source: 'takeout', id: item.id ?? '' },
      filename,
      mimeType,
      kind: video ? 'video' : 'photo',
      creationTime: dated.captureTime,
      ...(exif?.width === undefined || exif.height === undefined ? {} : { width: exif.width, height: exif.height }),
    };
    const match = matchIdentity(probe, candidatesFor(ctx.apiIndex, probe).filter((m) => ctx.manifest.get(m.key)?.quality === 'api-copy'));
    if (match.kind === 'ambiguous') {
      await drain(peeked.body);
      return { kind: 'ambiguous', keys: match.keys };
    }
    if (match.kind === 'one') upgrade = ctx.manifest.get(match.key);
  }

  let path = upgrade?.path ?? place(dated, filename, item, ctx);
  const captureMs = Date.parse(upgrade?.captureTime ?? dated.captureTime);
  const stamp = ctx.setMtime && dated.source !== 'none' && Number.isFinite(captureMs);
  const meta = metadataOf(item);
  let key = '';
  let recorded: { sha256: string; refId: string } | undefined;
  try {
    const bytes = counted(peeked.body, (n) => ctx.onEvent({ event: 'progress', bytes: n }));
    const write = (): Promise<WriteResult> => writeAtomically(resolveInside(ctx.archiveDir, path), bytes, {
      // A body that ends early (an archive cut short) must never become a short file in the archive.
      expectedSize: item.entry.size,
      ...(stamp ? { mtime: new Date(captureMs) } : {}),
      ...(upgrade === undefined ? {} : { replace: true }),
      signal: ctx.signal,
      // The manifest entry's journal commit runs beside the file's fsync, not after it (one flush less per file).
      overlapSync: true,
      beforeRename: async (w) => {
        // Synchronous up to put(): a parallel entry with the same bytes must see this one.
        const dup = ctx.shaIndex.get(w.sha256);
        if (dup !== undefined && dup !== upgrade?.key) throw new Duplicate(dup);
        const ref = freeRef(item.id ?? `sha256:${w.sha256}`, w.sha256, upgrade?.key, ctx);
        recorded = { sha256: w.sha256, refId: ref.id };
        key = upgrade?.key ?? `takeout:${ref.id}`;
        ctx.shaIndex.set(w.sha256, key);
        ctx.claimedIds.set(ref.id, key);
        const entry: ManifestItem = upgrade
          ? { ...upgrade, ...meta, refs: [...upgrade.refs, ref], size: w.size, sha256: w.sha256, quality: 'original', fetchedAt: ctx.now().toISOString(), mtimeStamped: stamp }
          : {
              key, refs: [ref], path, size: w.size, sha256: w.sha256, captureTime: dated.captureTime, localTime: dated.localTime,
              timeSource: dated.timeSource, mimeType, filename,
              ...(exif?.width === undefined || exif.height === undefined ? {} : { width: exif.width, height: exif.height }),
              quality: 'original', fetchedAt: ctx.now().toISOString(), mtimeStamped: stamp, ...meta,
            };
        // The manifest learns of the file before it appears (as in sync): a crash leaves nothing unknown.
        await ctx.manifest.put(entry);
      },
    });
    let r: WriteResult | undefined;
    while (r === undefined) {
      try {
        r = await write();
      } catch (e) {
        // A file the manifest does not know sits there (the user's own): never overwrite it, take the next name.
        // The writer checks before reading anything, so the body is still whole.
        if (!(e instanceof TargetOccupiedError) || e.bodyConsumed || upgrade !== undefined) throw e;
        path = ctx.registry.claim(posix.dirname(path), safeFilename(filename === '' ? item.name : filename));
      }
    }
    return upgrade
      ? { kind: 'upgraded', key, path, bytes: r.size }
      : { kind: 'imported', key, path, bytes: r.size, dated };
  } catch (e) {
    if (e instanceof SyncAfterRecordError && e.recorded && recorded !== undefined) await unrecord(recorded, key, upgrade, ctx);
    if (!(e instanceof Duplicate)) {
      if (upgrade === undefined) ctx.registry.release(path);
      throw e;
    }
    if (upgrade === undefined) ctx.registry.release(path);
    await remember(e.key, item, ctx);
    return { kind: 'duplicate', key: e.key, path: ctx.manifest.get(e.key)?.path ?? '' };
  }
}

/** The file's fsync failed after its manifest entry was written: take the entry back (or restore the API copy's). */
async function unrecord(r: { sha256: string; refId: string }, key: string, upgrade: ManifestItem | undefined, ctx: ImportContext): Promise<void> {
  ctx.claimedIds.delete(r.refId);
  if (upgrade === undefined) {
    ctx.shaIndex.delete(r.sha256);
    await ctx.manifest.delete(key);
  } else {
    ctx.shaIndex.delete(r.sha256);
    ctx.shaIndex.set(upgrade.sha256, upgrade.key);
    await ctx.manifest.put(upgrade);
  }
}

/** The Takeout ref for new bytes; an id already used by other bytes gets the hash appended, never stolen. */
function freeRef(id: string, sha256: string, upgradeKey: string | undefined, ctx: ImportContext): SourceRef {
  const owner = ctx.claimedIds.get(id) ?? ctx.manifest.byRef({ source: 'takeout', id })?.key;
  return { source: 'takeout', id: owner === undefined || owner === upgradeKey ? id : `${id}#sha256:${sha256.slice(0, 16)}` };
}

/** Same bytes seen again: remember this entry's id on the archived item so a re-import skips it unread. */
async function remember(key: string, item: CatalogItem, ctx: ImportContext): Promise<void> {
  if (item.id === undefined || ctx.claimedIds.has(item.id) || ctx.manifest.byRef({ source: 'takeout', id: item.id }) !== undefined) return;
  ctx.claimedIds.set(item.id, key);
  const existing = ctx.manifest.get(key);
  if (existing !== undefined) await ctx.manifest.put({ ...existing, refs: [...existing.refs, { source: 'takeout', id: item.id }] });
}

/** The name Google shows (the sidecar's title) when it names this very file, else the file's own name. */
function originalName(item: CatalogItem): string {
  const title = item.sidecar?.title;
  if (title !== undefined && (item.variant === 'self' || item.variant === 'title') && extOf(title) === extOf(item.name)) return title;
  return item.name;
}

function place(dated: Dated, filename: string, item: CatalogItem, ctx: ImportContext): string {
  const dir = dated.source === 'none' ? UNKNOWN_DATE_DIR : ctx.layoutDir(dated.localTime);
  return ctx.registry.claim(dir, safeFilename(filename === '' ? item.name : filename));
}

function metadataOf(item: CatalogItem): Partial<ManifestItem> {
  const s = item.sidecar;
  if (s === undefined) return {};
  return {
    ...(s.description === undefined ? {} : { description: s.description }),
    ...(s.gps === undefined ? {} : { gps: s.gps }),
    ...(s.favorite === true ? { favorite: true } : {}),
    ...(s.archived === true ? { archived: true } : {}),
    ...(s.people === undefined ? {} : { people: s.people }),
  };
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of body) void chunk;
}

/**
 * A JPEG's segments before its scan data (APPn with EXIF, SOF with the pixel size) and the scan's marker: all that
 * the EXIF reader looks at. Other formats, and a JPEG whose segments leave the head, come back whole.
 */
export function metadataPrefix(head: Buffer): Buffer {
  if (head.length < 4 || head[0] !== 0xff || head[1] !== 0xd8) return head;
  let at = 2;
  while (at + 4 <= head.length) {
    if (head[at] !== 0xff) return head;
    const marker = head[at + 1] ?? 0;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xda) return head.subarray(0, Math.min(head.length, at + 2 + head.readUInt16BE(at + 2)));
    if (marker === 0xd9) return head.subarray(0, at + 2);
    at += 2 + head.readUInt16BE(at + 2);
  }
  return head;
}

/**
 * The first `wanted` bytes of a body, and the whole body again. A chunk may be a view of a buffer the source reuses
 * (zip-input.ts), so the chunks gathered before the last one are copied; the common case (the first chunk covers the
 * head) copies nothing: that chunk is handed on before the next is asked for.
 */
async function peekHead(body: AsyncIterable<Uint8Array>, wanted: number): Promise<{ head: Buffer; body: AsyncIterable<Uint8Array> }> {
  const it = body[Symbol.asyncIterator]();
  const kept: Buffer[] = [];
  let have = 0;
  let last: Buffer | undefined;
  let done = false;
  for (;;) {
    const r = await it.next();
    if (r.done === true) {
      done = true;
      break;
    }
    const chunk = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    have += chunk.byteLength;
    if (have >= wanted) {
      last = chunk;
      break;
    }
    kept.push(Buffer.from(chunk)); // a copy
  }
  const head = kept.length === 0 ? (last ?? Buffer.alloc(0)) : Buffer.concat(last === undefined ? kept : [...kept, last]);
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (head.byteLength > 0) yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done === true) return;
      yield r.value;
    }
  }
  return { head, body: rest() };
}
