// `verify`: is every manifest entry on disk with its size (and, deeply, its SHA-256)? Read-only and lock-free:
// it opens the manifest read-only, so it runs beside a sync (a file the sync is writing is not in the manifest
// until it is complete, see writer.ts).
import { lstat, mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { statManifestPaths } from '../archive/disk-state.js';
import { forEachHashing, hashFile } from '../archive/hash-file.js';
import { ManifestStore } from '../archive/manifest-store.js';
import type { ManifestItem } from '../core/types.js';
import { messageOf } from '../errors.js';

export type DamageKind = 'missing' | 'size-differs' | 'hash-differs' | 'unreadable';

export interface Damage {
  kind: DamageKind;
  path: string;
  key: string;
  filename: string;
  detail?: string;
}

export interface VerifyResult {
  items: number;
  deep: boolean;
  /** Files hashed (deep only) and their bytes. */
  hashed: number;
  bytesHashed: number;
  hashMs: number;
  damaged: Damage[];
}

export interface VerifyOptions {
  archiveDir: string;
  deep: boolean;
  /** Hashers in flight (default 4: enough to keep one disk and a few cores busy). */
  concurrency?: number;
  onProgress?: (done: number, total: number, bytes: number) => void;
  now?: () => number;
}

export async function verifyArchive(o: VerifyOptions): Promise<VerifyResult> {
  const manifest = await ManifestStore.open(o.archiveDir, { readOnly: true });
  const items = [...manifest.items()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  await manifest.close();
  return verifyItems(o, items);
}

export async function verifyItems(o: VerifyOptions, items: readonly ManifestItem[]): Promise<VerifyResult> {
  const now = o.now ?? (() => performance.now());
  const local = await statManifestPaths(o.archiveDir, items.map((i) => i.path));
  const damaged: Damage[] = [];
  const toHash: ManifestItem[] = [];
  for (const m of items) {
    const f = local.get(m.path);
    if (f === undefined) damaged.push(damage('missing', m));
    else if (f.size !== m.size) damaged.push(damage('size-differs', m, `${f.size} bytes on disk, ${m.size} in the manifest`));
    else if (o.deep) toHash.push(m);
  }
  let hashed = 0;
  let bytesHashed = 0;
  const started = now();
  await forEachHashing(toHash, o.concurrency ?? 4, async (m, buf) => {
    try {
      const r = await hashFile(join(o.archiveDir, ...m.path.split('/')), buf);
      if (r.sha256 !== m.sha256) damaged.push(damage('hash-differs', m, `sha256 ${r.sha256.slice(0, 12)}…, manifest ${m.sha256.slice(0, 12)}…`));
      bytesHashed += r.size;
    } catch (e) {
      damaged.push(damage('unreadable', m, messageOf(e)));
    }
    hashed++;
    o.onProgress?.(hashed, toHash.length, bytesHashed);
  });
  const order = new Map(items.map((m, i) => [m.key, i]));
  damaged.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
  return { items: items.length, deep: o.deep, hashed, bytesHashed, hashMs: now() - started, damaged };
}

function damage(kind: DamageKind, m: ManifestItem, detail?: string): Damage {
  return { kind, path: m.path, key: m.key, filename: m.filename, ...(detail === undefined ? {} : { detail }) };
}

export interface FixSplit {
  /** Damaged files the Library source can fetch again. */
  refetch: Damage[];
  /** Damage nothing here can repair, and why. */
  cannot: { damage: Damage; why: string }[];
}

/** Which damage a Library sync can repair: only items the Library API gave us (Takeout originals, rebuilt entries: not). */
export function splitFixable(damaged: readonly Damage[], items: ReadonlyMap<string, ManifestItem>): FixSplit {
  const out: FixSplit = { refetch: [], cannot: [] };
  for (const d of damaged) {
    const m = items.get(d.key);
    if (d.kind === 'unreadable') out.cannot.push({ damage: d, why: 'the file cannot be read; fix its permissions or the disk' });
    else if (m === undefined || !m.refs.some((r) => r.source === 'library')) {
      out.cannot.push({ damage: d, why: 'no Library API reference: re-import it from its source (e.g. Takeout), or run `gphotos sync` after `gphotos rebuild` links it' });
    } else out.refetch.push(d);
  }
  return out;
}

/**
 * Move damaged files to .gphotos/damaged/<path> (never deleting the user's bytes) so that the next sync sees
 * them as missing and fetches them again under the same path. The caller holds the archive lock.
 */
export async function moveAside(archiveDir: string, damaged: readonly Damage[]): Promise<string[]> {
  const moved: string[] = [];
  for (const d of damaged) {
    if (d.kind === 'missing') continue;
    let rel = `.gphotos/damaged/${d.path}`;
    for (let n = 2; await lstat(join(archiveDir, rel)).then(() => true, () => false); n++) rel = `.gphotos/damaged/${d.path}.${n}`;
    const to = join(archiveDir, ...rel.split('/'));
    await mkdir(dirname(to), { recursive: true });
    await rename(join(archiveDir, ...d.path.split('/')), to);
    moved.push(rel);
  }
  return moved;
}
