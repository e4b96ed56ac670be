// `verify`: is every manifest entry on disk with its size (and, deeply, its SHA-256)? Read-only and lock-free:
// it opens the manifest read-only, so it runs beside a sync (a file the sync is writing is not in the manifest
// until it is complete, see writer.ts). --deep hashes on worker threads (archive/hash-pool.ts#HashPool).
import { rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathExists } from '../archive/durable-file.js';
import { resolveInside } from '../archive/paths.js';
import { realSubdir, stateDir, writeFailed } from '../archive/state-files.js';
import { statManifestPaths } from '../archive/disk-state.js';
import type { HashResult } from '../archive/hash-file.js';
import { HashPool, type PoolOutcome } from '../archive/hash-pool.js';
import { ManifestStore } from '../archive/manifest-store.js';
import type { ManifestItem } from '../core/types.js';

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
  /** Hashing threads (default: one per core, at most 4). */
  concurrency?: number;
  onProgress?: (done: number, total: number, bytes: number) => void;
  now?: () => number;
}

/** The manifest's items (unsorted: only the damage is sorted). One read-only open, no lock. */
export async function loadManifestItems(archiveDir: string): Promise<ManifestItem[]> {
  const manifest = await ManifestStore.open(archiveDir, { readOnly: true });
  const items = [...manifest.items()];
  await manifest.close();
  return items;
}

const byPath = (a: Damage, b: Damage): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Verify the archive; also returns the items it read, so a caller (verify --fix) need not open the manifest again. */
export async function verifyArchive(o: VerifyOptions): Promise<VerifyResult & { manifest: ManifestItem[] }> {
  // The hashing threads boot while the main thread parses the manifest.
  // Meanwhile they already hash the tree (the manifest is ~1.5 s of JSON.parse at 100k items): when it is read,
  // most files are done and only the rest (and any the walk cannot see) go through the pool.
  const pool = o.deep ? new HashPool(o.concurrency) : undefined;
  try {
    const started = (o.now ?? (() => performance.now()))();
    const early = pool?.speculate(resolve(o.archiveDir), ['.gphotos', 'albums']);
    let manifest: ManifestItem[];
    try {
      manifest = await loadManifestItems(o.archiveDir);
    } catch (e) {
      await early?.stop().catch(() => undefined);
      throw e;
    }
    const hashes = await early?.stop();
    return { ...(await verifyItems(o, manifest, pool, hashes && { hashes, started })), manifest };
  } finally {
    await pool?.close();
  }
}

/** Hashes taken before the manifest was read (HashPool#speculate), by '/'-relative path, and when that began. */
export interface EarlyHashes {
  hashes: ReadonlyMap<string, HashResult>;
  started: number;
}

export async function verifyItems(
  o: VerifyOptions,
  items: readonly ManifestItem[],
  pool?: HashPool,
  early?: EarlyHashes,
): Promise<VerifyResult> {
  if (!o.deep) {
    const local = await statManifestPaths(o.archiveDir, items.map((i) => i.path));
    const damaged: Damage[] = [];
    for (const m of items) {
      const f = local.get(m.path);
      if (f === undefined) damaged.push(damage('missing', m));
      else if (f.size !== m.size) damaged.push(sizeDiffers(m, f.size));
    }
    return { items: items.length, deep: false, hashed: 0, bytesHashed: 0, hashMs: 0, damaged: damaged.sort(byPath) };
  }
  const now = o.now ?? (() => performance.now());
  // One pass on the hashing threads: each opens the file without following a symlink, checks it is a regular file
  // of the recorded size (what the size-only verify learns from lstat), then hashes it.
  // A file hashed early is judged on that (a regular file at that path, found by walking the tree); the pool
  // handles the rest.
  const started = early?.started ?? now();
  const outcomes = new Array<PoolOutcome>(items.length);
  const rest: number[] = [];
  let earlyBytes = 0;
  items.forEach((m, i) => {
    const h = early?.hashes.get(m.path);
    if (h === undefined) rest.push(i);
    else {
      outcomes[i] = { kind: 'hashed', ...h };
      earlyBytes += h.size;
    }
  });
  const own = pool === undefined && rest.length > 0 ? new HashPool(o.concurrency) : undefined;
  try {
    const root = resolve(o.archiveDir);
    const jobs = rest.map((i) => ({ abs: join(root, ...items[i]!.path.split('/')), size: items[i]!.size }));
    const first = items.length - rest.length;
    o.onProgress?.(first, items.length, earlyBytes);
    const out = await (pool ?? own)?.run(jobs, o.onProgress && ((done, bytes) => o.onProgress?.(first + done, items.length, earlyBytes + bytes)));
    rest.forEach((i, k) => (outcomes[i] = out![k]!));
  } finally {
    await own?.close();
  }
  const hashMs = now() - started;
  const damaged: Damage[] = [];
  let hashed = 0;
  let bytesHashed = 0;
  items.forEach((m, i) => {
    const r = outcomes[i]!;
    switch (r.kind) {
      case 'missing':
        damaged.push(damage('missing', m));
        break;
      case 'size':
        damaged.push(sizeDiffers(m, r.size));
        break;
      case 'unreadable':
        hashed++;
        damaged.push(damage('unreadable', m, r.message));
        break;
      case 'hashed':
        // Another size: hashed early (before the manifest said what to expect) or rewritten during the read.
        if (r.size !== m.size) {
          damaged.push(sizeDiffers(m, r.size));
          break;
        }
        hashed++;
        bytesHashed += r.size;
        if (r.sha256 !== m.sha256) damaged.push(damage('hash-differs', m, `sha256 ${r.sha256.slice(0, 12)}…, manifest ${m.sha256.slice(0, 12)}…`));
        break;
    }
  });
  return { items: items.length, deep: true, hashed, bytesHashed, hashMs, damaged: damaged.sort(byPath) };
}

function sizeDiffers(m: ManifestItem, size: number): Damage {
  return damage('size-differs', m, `${size} bytes on disk, ${m.size} in the manifest`);
}

function damage(kind: DamageKind, m: ManifestItem, detail?: string): Damage {
  return { kind, path: m.path, key: m.key, filename: m.filename, ...(detail === undefined ? {} : { detail }) };
}

export interface FixSplit {
  /** Damaged files the Library source can fetch again at the quality they had (or lower, when allowed). */
  refetch: Damage[];
  /** Damaged files to take again from the Takeout inputs given. */
  fromTakeout: Damage[];
  /** Damage nothing here can repair, and why. */
  cannot: { damage: Damage; why: string }[];
}

export interface FixSources {
  /** Takeout inputs were given (verify --fix --takeout FILE…). */
  takeout: boolean;
  /** An original may be replaced by the Library's API copy (reported as a downgrade). */
  allowDowngrade: boolean;
}

/**
 * Which source can repair each damaged file without lowering its quality: an original only comes back from Takeout
 * (the Library has only API copies: no GPS, videos transcoded), unless a downgrade is allowed.
 */
export function splitFixable(
  damaged: readonly Damage[],
  items: ReadonlyMap<string, ManifestItem>,
  sources: FixSources = { takeout: false, allowDowngrade: false },
): FixSplit {
  const out: FixSplit = { refetch: [], fromTakeout: [], cannot: [] };
  for (const d of damaged) {
    const m = items.get(d.key);
    const library = m?.refs.some((r) => r.source === 'library') === true;
    if (d.kind === 'unreadable') out.cannot.push({ damage: d, why: 'the file cannot be read; fix its permissions or the disk' });
    else if (m === undefined) out.cannot.push({ damage: d, why: 'the manifest no longer knows it' });
    else if (m.quality === 'original' && sources.takeout) out.fromTakeout.push(d);
    else if (m.quality === 'original' && !(library && sources.allowDowngrade)) {
      const or = library ? ', or take the API copy with --allow-downgrade (no GPS; the damaged file is kept in .gphotos/damaged/)' : '';
      out.cannot.push({ damage: d, why: `it is a Takeout original: give the export it came from (\`--fix --takeout FILE…\`)${or}` });
    } else if (library) out.refetch.push(d);
    else if (sources.takeout) out.fromTakeout.push(d);
    else {
      out.cannot.push({ damage: d, why: 'no Library API reference: re-import it from its source (`--fix --takeout FILE…`), or run `gphotos sync` after `gphotos rebuild` links it' });
    }
  }
  return out;
}

/**
 * Move damaged files to .gphotos/damaged/<path> (never deleting the user's bytes) so that the next sync sees
 * them as missing and fetches them again under the same path. The caller holds the archive lock.
 */
export async function moveAside(archiveDir: string, damaged: readonly Damage[]): Promise<string[]> {
  const state = (await stateDir(archiveDir, true))!; // a real .gphotos, never a link to elsewhere
  const moved: string[] = [];
  for (const d of damaged) {
    if (d.kind === 'missing') continue;
    const from = resolveInside(archiveDir, d.path);
    const segs = d.path.split('/');
    const base = segs.pop()!;
    // Each folder on the way is created or checked to be real: a planted link must not carry the file elsewhere.
    const folder = await realSubdir(state, ['damaged', ...segs].join('/'));
    let name = base;
    for (let n = 2; await pathExists(join(folder, name)); n++) name = `${base}.${n}`;
    await rename(from, join(folder, name)).catch((e: unknown) => {
      throw writeFailed(from, e, 'move aside');
    });
    moved.push(['.gphotos', 'damaged', ...segs, name].join('/'));
  }
  return moved;
}
