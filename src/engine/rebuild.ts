// `rebuild`: a new manifest from the files on disk, when manifest.json is lost or damaged. The damaged files are
// kept beside it (manifest.json.damaged-<time>). Rebuilt entries carry no source reference (key `local:<sha256>`,
// refs []), so the next sync links each listed item to its file by identity instead of downloading it again.
import { access, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readExifTimeFromFile } from '../archive/exif-time.js';
import { forEachHashing, hashFile } from '../archive/hash-file.js';
import { acquireLock } from '../archive/lock.js';
import { ManifestStore, manifestPaths } from '../archive/manifest-store.js';
import { writeFailed } from '../archive/state-files.js';
import { readMp4CreationTime } from '../archive/mp4-time.js';
import { scanTree } from '../archive/scan-tree.js';
import { captureOf, originalName, type FileFacts } from '../core/adopt-match.js';
import { mediaKindOf } from '../core/gone.js';
import type { LocalFile, ManifestItem } from '../core/types.js';
import { UsageError, isGphotosError, messageOf } from '../errors.js';

export interface RebuildOptions {
  archiveDir: string;
  tz: string;
  /** rebuild even when the manifest opens cleanly */
  force: boolean;
  now: () => Date;
  /** Told what the user should know but that does not stop the rebuild (a stale lock taken over). */
  warn?: (message: string) => void;
}

export interface RebuildResult {
  items: number;
  /** where the old manifest files were kept */
  kept: string[];
  skipped: { path: string; why: string }[];
}

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp',
  '.heic': 'image/heic', '.heif': 'image/heif', '.tif': 'image/tiff', '.tiff': 'image/tiff', '.dng': 'image/x-adobe-dng',
  '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.mov': 'video/quicktime', '.3gp': 'video/3gpp', '.avi': 'video/x-msvideo',
  '.mkv': 'video/x-matroska', '.webm': 'video/webm',
};

export function mimeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return MIME[dot < 0 ? '' : name.slice(dot).toLowerCase()] ?? 'application/octet-stream';
}

/** EXIF of photos, mvhd time of videos: a file's own account of when it was taken. */
export async function readFacts(abs: string, file: LocalFile): Promise<FileFacts> {
  const facts: FileFacts = { name: basename(file.path), mtimeMs: file.mtimeMs };
  if (mediaKindOf(mimeOf(file.path)) === 'video') {
    const t = await readMp4CreationTime(abs).catch(() => undefined);
    if (t !== undefined) facts.mp4Time = t.toISOString();
  } else {
    const exif = await readExifTimeFromFile(abs);
    if (exif !== undefined) facts.exif = exif;
  }
  return facts;
}

export async function rebuildManifest(o: RebuildOptions): Promise<RebuildResult> {
  const lock = await acquireLock(o.archiveDir, { command: 'rebuild', ...(o.warn ? { warn: o.warn } : {}) });
  try {
    if (!o.force && (await manifestIsHealthy(o.archiveDir))) {
      throw new UsageError(`The manifest of ${o.archiveDir} is readable; rebuild would only lose where items came from.`, {
        hint: 'Run `gphotos verify` to check the files; pass --force to rebuild anyway.',
      });
    }
    const kept = await keepDamaged(o.archiveDir, o.now());
    const files = await scanTree(o.archiveDir, { mediaOnly: false });
    const items: ManifestItem[] = [];
    const skipped: RebuildResult['skipped'] = [];
    await forEachHashing(files, 4, async (file, buf) => {
      const abs = join(o.archiveDir, ...file.path.split('/'));
      try {
        const [hash, facts] = [await hashFile(abs, buf), await readFacts(abs, file)];
        items.push(entryFor(file, hash, facts, o));
      } catch (e) {
        skipped.push({ path: file.path, why: messageOf(e) });
      }
    });
    // Deterministic keys whatever the hashing order: identical bytes at two paths get :2, :3 by path.
    items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const seen = new Map<string, number>();
    const store = await ManifestStore.open(o.archiveDir, { create: true });
    try {
      await Promise.all(
        items.map((m) => {
          const n = (seen.get(m.key) ?? 0) + 1;
          seen.set(m.key, n);
          return store.put(n === 1 ? m : { ...m, key: `${m.key}:${n}` });
        }),
      );
    } finally {
      await store.close();
    }
    return { items: items.length, kept, skipped };
  } finally {
    await lock.release();
  }
}

function entryFor(file: LocalFile, hash: { size: number; sha256: string }, facts: FileFacts, o: RebuildOptions): ManifestItem {
  const capture = captureOf(facts, o.tz);
  const width = facts.exif?.width;
  const height = facts.exif?.height;
  return {
    key: `local:${hash.sha256}`,
    refs: [],
    path: file.path,
    size: hash.size,
    sha256: hash.sha256,
    ...capture,
    mimeType: mimeOf(file.path),
    filename: originalName(facts.name),
    ...(width !== undefined && height !== undefined ? { width, height } : {}),
    // Bytes of unknown origin: the worse quality, so any later original (Takeout) replaces them.
    quality: 'api-copy',
    fetchedAt: o.now().toISOString(),
  };
}

async function manifestIsHealthy(dir: string): Promise<boolean> {
  try {
    await (await ManifestStore.open(dir, { readOnly: true })).close();
    return true;
  } catch (e) {
    if (isGphotosError(e) && e.kind === 'local') return false;
    throw e;
  }
}

async function keepDamaged(dir: string, now: Date): Promise<string[]> {
  const { manifest, journal } = manifestPaths(dir);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const kept: string[] = [];
  for (const file of [manifest, journal]) {
    if (!(await access(file).then(() => true, () => false))) continue;
    const to = `${file}.damaged-${stamp}`;
    await rename(file, to).catch((e: unknown) => {
      throw writeFailed(file, e, 'keep aside'); // an immutable file or read-only disk: exit 5 with what to do
    });
    kept.push(to);
  }
  return kept;
}
