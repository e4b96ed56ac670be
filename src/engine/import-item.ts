// Import one media entry: read its head for EXIF (or the video's mvhd), date it, decide whether it upgrades
// an API copy or is new, then stream it to a .part beside its target while hashing. Identical bytes already
// in the archive (an album copy, an overlapping export) are recognised at the end of the stream and the
// .part is discarded, so the archive holds each file once.
import { lstat } from 'node:fs/promises';
import { posix } from 'node:path';
import { readExifTime } from '../archive/exif-time.js';
import type { ManifestStore } from '../archive/manifest-store.js';
import { readMp4CreationTimeFromBuffer } from '../archive/mp4-time.js';
import { resolveInside } from '../archive/paths.js';
import { writeAtomically } from '../archive/writer.js';
import { candidatesFor, matchIdentity } from '../core/identity.js';
import { safeFilename } from '../core/names.js';
import type { PathRegistry } from '../core/placement.js';
import type { ManifestItem, RemoteItem, SourceRef } from '../core/types.js';
import type { CatalogItem } from '../sources/takeout/catalog.js';
import { resolveDate, type Dated } from '../sources/takeout/dates.js';
import { extOf, localTimeFromName, mimeOf } from '../sources/takeout/names.js';
import type { ImportSink } from './import-events.js';
import { counted, peek } from './peek.js';

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
  const peeked = await peek(body, HEAD_BYTES);
  const mimeType = mimeOf(item.name, peeked.head);
  const video = mimeType.startsWith('video/');
  const exif = video ? undefined : readExifTime(peeked.head);
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

  const path = upgrade?.path ?? (await place(dated, filename, item, ctx));
  const captureMs = Date.parse(upgrade?.captureTime ?? dated.captureTime);
  const stamp = ctx.setMtime && dated.source !== 'none' && Number.isFinite(captureMs);
  const meta = metadataOf(item);
  let key = '';
  try {
    const r = await writeAtomically(resolveInside(ctx.archiveDir, path), counted(peeked.body, (n) => ctx.onEvent({ event: 'progress', bytes: n })), {
      // A body that ends early (an archive cut short) must never become a short file in the archive.
      expectedSize: item.entry.size,
      ...(stamp ? { mtime: new Date(captureMs) } : {}),
      ...(upgrade === undefined ? {} : { replace: true }),
      signal: ctx.signal,
      beforeRename: async (w) => {
        // Synchronous up to put(): a parallel entry with the same bytes must see this one.
        const dup = ctx.shaIndex.get(w.sha256);
        if (dup !== undefined && dup !== upgrade?.key) throw new Duplicate(dup);
        const ref = freeRef(item.id ?? `sha256:${w.sha256}`, w.sha256, upgrade?.key, ctx);
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
    return upgrade
      ? { kind: 'upgraded', key, path, bytes: r.size }
      : { kind: 'imported', key, path, bytes: r.size, dated };
  } catch (e) {
    if (!(e instanceof Duplicate)) {
      if (upgrade === undefined) ctx.registry.release(path);
      throw e;
    }
    if (upgrade === undefined) ctx.registry.release(path);
    await remember(e.key, item, ctx);
    return { kind: 'duplicate', key: e.key, path: ctx.manifest.get(e.key)?.path ?? '' };
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

async function place(dated: Dated, filename: string, item: CatalogItem, ctx: ImportContext): Promise<string> {
  const dir = dated.source === 'none' ? UNKNOWN_DATE_DIR : ctx.layoutDir(dated.localTime);
  const name = safeFilename(filename === '' ? item.name : filename);
  let path = ctx.registry.claim(dir, name);
  // A file the manifest does not know may already sit there (the user's own); never overwrite it.
  while (await exists(resolveInside(ctx.archiveDir, path))) path = ctx.registry.claim(posix.dirname(path), name);
  return path;
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

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
