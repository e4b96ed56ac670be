// `rebuild`: a new manifest from the files on disk, when manifest.json is lost or damaged. The damaged files are
// kept beside it (manifest.json.damaged-<time>). A file with its XMP sidecar (NAME.EXT.xmp, see docs/xmp.md) gets
// back its key, source references, quality and metadata exactly. Other entries carry no source reference (key
// `local:<sha256>`, refs []), so the next sync links each listed item to its file by identity instead of downloading it again.
import { access, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readExifTimeFromFile } from '../archive/exif-time.js';
import { forEachHashing, hashFile } from '../archive/hash-file.js';
import { acquireLock } from '../archive/lock.js';
import { ManifestStore, manifestPaths } from '../archive/manifest-store.js';
import { writeFailed } from '../archive/state-files.js';
import { readMp4CreationTime } from '../archive/mp4-time.js';
import { scanTree } from '../archive/scan-tree.js';
import { readSidecarNoFollow, XMP_SUFFIX } from '../archive/xmp-sidecar.js';
import { captureOf, originalName, type FileFacts } from '../core/adopt-match.js';
import { mediaKindOf } from '../core/gone.js';
import { refKey, type LocalFile, type ManifestItem } from '../core/types.js';
import { parseXmp } from '../core/xmp.js';
import { restoreFromSidecar } from '../core/xmp-restore.js';
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
  /** Items whose key, refs, quality and metadata came back from their sidecar. */
  fromSidecars: number;
  /** Sidecars found but not used (the file is recorded as of unknown origin), and why. */
  sidecarsIgnored: { path: string; why: string }[];
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
    const all = await scanTree(o.archiveDir, { mediaOnly: false });
    // A sidecar is not an item of its own: `X.xmp` beside a file `X` describes that file.
    const names = new Set(all.map((f) => f.path));
    const sidecars = new Set(all.filter((f) => f.path.endsWith(XMP_SUFFIX) && names.has(f.path.slice(0, -XMP_SUFFIX.length))).map((f) => f.path));
    const files = all.filter((f) => !sidecars.has(f.path));
    const found: { plain: ManifestItem; restored?: ManifestItem; sidecarWhy?: string }[] = [];
    const skipped: RebuildResult['skipped'] = [];
    await forEachHashing(files, 4, async (file, buf) => {
      const abs = join(o.archiveDir, ...file.path.split('/'));
      try {
        const [hash, facts] = [await hashFile(abs, buf), await readFacts(abs, file)];
        const plain = entryFor(file, hash, facts, o);
        found.push(sidecars.has(file.path + XMP_SUFFIX) ? { plain, ...(await fromSidecar(abs + XMP_SUFFIX, plain, file)) } : { plain });
      } catch (e) {
        skipped.push({ path: file.path, why: messageOf(e) });
      }
    });
    // Deterministic whatever the hashing order: by path, so the first of two copies keeps a key or ref.
    found.sort((a, b) => (a.plain.path < b.plain.path ? -1 : a.plain.path > b.plain.path ? 1 : 0));
    const items = chooseEntries(found);
    const store = await ManifestStore.open(o.archiveDir, { create: true });
    try {
      await Promise.all(items.entries.map((m) => store.put(m)));
    } finally {
      await store.close();
    }
    return { items: items.entries.length, kept, skipped, fromSidecars: items.fromSidecars, sidecarsIgnored: items.ignored };
  } finally {
    await lock.release();
  }
}

async function fromSidecar(abs: string, plain: ManifestItem, file: LocalFile): Promise<{ restored?: ManifestItem; sidecarWhy?: string }> {
  const current = await readSidecarNoFollow(abs);
  if (current.kind !== 'file') return { sidecarWhy: 'its sidecar is not a regular file' };
  const parsed = parseXmp(current.bytes.toString('utf8'));
  if ('problem' in parsed) return { sidecarWhy: `its sidecar is unreadable: ${parsed.problem}` };
  const r = restoreFromSidecar(plain, file.mtimeMs, parsed.fields);
  return 'item' in r ? { restored: r.item } : { sidecarWhy: r.why };
}

/**
 * One entry per file: its sidecar's when usable and its key and refs are still free (a copied file and sidecar
 * would repeat them; the copy is then of unknown origin), else the plain one. Identical bytes at two paths
 * without sidecars get `local:<sha>:2`, `:3` by path.
 */
function chooseEntries(found: { plain: ManifestItem; restored?: ManifestItem; sidecarWhy?: string }[]) {
  const keys = new Set<string>();
  const refs = new Set<string>();
  const entries: ManifestItem[] = [];
  const ignored: RebuildResult['sidecarsIgnored'] = [];
  let fromSidecars = 0;
  for (const f of found) {
    const r = f.restored;
    if (r !== undefined && !keys.has(r.key) && !r.refs.some((ref) => refs.has(refKey(ref)))) {
      keys.add(r.key);
      for (const ref of r.refs) refs.add(refKey(ref));
      entries.push(r);
      fromSidecars++;
      continue;
    }
    const why = r !== undefined ? 'another file already holds the key or a source reference its sidecar names' : f.sidecarWhy;
    if (why !== undefined) ignored.push({ path: f.plain.path + XMP_SUFFIX, why });
    let key = f.plain.key;
    for (let n = 2; keys.has(key); n++) key = `${f.plain.key}:${n}`;
    keys.add(key);
    entries.push(key === f.plain.key ? f.plain : { ...f.plain, key });
  }
  return { entries, fromSidecars, ignored };
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
