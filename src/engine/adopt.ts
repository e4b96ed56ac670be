// `adopt`: record files already on disk (another tool's download) as the listed items they are, instead of
// downloading them again. Matching is core/adopt-match (filename, capture second, pixel size; ambiguity is
// reported, never guessed). Files move into the layout (rename; across file systems copy, verify, then unlink
// the source), or with inPlace stay where they are inside the archive. Nothing is ever deleted unverified.
import { writeSidecars } from './xmp-run.js';
import { constants as fsConstants } from 'node:fs';
import { copyFile, lstat, mkdir, realpath, rename, rm, utimes } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { hashFile } from '../archive/hash-file.js';
import { acquireLock } from '../archive/lock.js';
import { ManifestStore } from '../archive/manifest-store.js';
import { resolveInside } from '../archive/paths.js';
import { scanTree } from '../archive/scan-tree.js';
import { captureOf, matchFiles, type FileToMatch } from '../core/adopt-match.js';
import { compileLayout } from '../core/layout.js';
import { localTimeOf } from '../core/local-time.js';
import { safeFilename } from '../core/names.js';
import { PathRegistry } from '../core/placement.js';
import { refKey, type ManifestItem, type RemoteItem } from '../core/types.js';
import { LocalError, UsageError, messageOf } from '../errors.js';
import type { ItemRecords } from './item-records.js';
import { readFacts } from './rebuild.js';
import { pathExists } from '../archive/durable-file.js';

export interface AdoptOptions {
  archiveDir: string;
  from: string[];
  inPlace: boolean;
  layout: string;
  tz: string;
  now: () => Date;
  listRemote: () => Promise<RemoteItem[]>;
  /** Told what the user should know but that does not stop the run (a stale lock taken over). */
  warn?: (message: string) => void;
  /** Write the XMP sidecars of the files it records (an archive set up with them). */
  xmp?: boolean;
}

export interface AdoptResult {
  adopted: { from: string; path: string; key: string }[];
  alreadyArchived: string[];
  ambiguous: { from: string; detail: string }[];
  unmatched: string[];
  failed: { from: string; error: string }[];
}

export async function adopt(options: AdoptOptions): Promise<AdoptResult> {
  const archive = resolve(options.archiveDir);
  const sources = await Promise.all(options.from.map((dir) => checkFrom(archive, resolve(dir), options.inPlace)));
  const layoutDir = compileLayout(options.layout);
  await mkdir(archive, { recursive: true });
  const lock = await acquireLock(archive, { command: 'adopt', ...(options.warn ? { warn: options.warn } : {}) });
  try {
    const manifest = await ManifestStore.open(archive, { create: true });
    try {
      const remote = await options.listRemote();
      const files: (FileToMatch & { abs: string })[] = [];
      for (const from of sources) {
        // Every file, not only known media extensions: names sync sanitised may have lost theirs ('...' -> 'unnamed').
        for (const f of await scanTree(from, { archive: from === archive, mediaOnly: false })) {
          const abs = join(from, ...f.path.split('/'));
          const rel = relative(archive, abs).split(sep).join('/');
          if (manifest.byPath(rel) !== undefined) continue; // already recorded where it is
          files.push({ path: abs, abs, facts: await readFacts(abs, f) });
        }
      }
      const result: AdoptResult = { adopted: [], alreadyArchived: [], ambiguous: [], unmatched: [], failed: [] };
      const registry = new PathRegistry([...manifest.items()].map((m) => m.path));
      const byPath = new Map(files.map((f) => [f.path, f]));
      for (const match of matchFiles(files, remote, options.tz)) {
        if (match.kind === 'none') result.unmatched.push(match.path);
        else if (match.kind === 'ambiguous') result.ambiguous.push({ from: match.path, detail: match.detail });
        else if (manifest.byRef(match.item.ref) !== undefined) result.alreadyArchived.push(match.path);
        else {
          const file = byPath.get(match.path);
          if (file === undefined) continue;
          try {
            const path = await record(archive, file, match.item, { ...options, layoutDir, registry, manifest });
            result.adopted.push({ from: match.path, path, key: refKey(match.item.ref) });
          } catch (e) {
            result.failed.push({ from: match.path, error: messageOf(e) });
          }
        }
      }
      if (options.xmp === true && result.adopted.length > 0) {
        const items = result.adopted.flatMap((a) => manifest.get(a.key) ?? []);
        const w = await writeSidecars(archive, items, 8);
        for (const f of w.failed) options.warn?.(`XMP sidecar of ${f.path}: ${f.why}`);
      }
      return result;
    } finally {
      await manifest.close();
    }
  } finally {
    await lock.release();
  }
}

async function checkFrom(archive: string, from: string, inPlace: boolean): Promise<string> {
  const st = await lstat(from).catch(() => undefined);
  if (st === undefined || !st.isDirectory()) throw new UsageError(`${from} is not a folder.`);
  if (inPlace) {
    const [a, f] = [await realpath(archive).catch(() => archive), await realpath(from)];
    if (f !== a && !f.startsWith(a + sep)) {
      throw new UsageError(`--in-place needs ${from} to be inside the archive ${archive}.`, {
        hint: 'Drop --in-place to move the files into the archive, or move the folder inside it first.',
      });
    }
  }
  return from;
}

interface RecordContext {
  inPlace: boolean;
  tz: string;
  now: () => Date;
  layoutDir: (localTime: string) => string;
  registry: PathRegistry;
  manifest: Pick<ItemRecords, 'put' | 'delete'>;
}

/** Put the file where it belongs and record it. The manifest learns of it before it appears (as in writer.ts). */
async function record(archive: string, file: FileToMatch & { abs: string }, item: RemoteItem, c: RecordContext): Promise<string> {
  const capture = captureOf(file.facts, c.tz);
  // The folder follows the same rule as a download: the EXIF wall clock, else Google's time in --tz.
  const localTime = capture.timeSource === 'exif' ? capture.localTime : localTimeOf(item.creationTime, c.tz);
  let path = c.inPlace ? relative(archive, file.abs).split(sep).join('/') : c.registry.claim(c.layoutDir(localTime), safeFilename(item.filename));
  // A file the manifest does not know may sit there (the user's own): never overwrite it, take the next name.
  while (!c.inPlace && (await pathExists(resolveInside(archive, path)))) path = c.registry.claim(posix.dirname(path), safeFilename(item.filename));
  const target = resolveInside(archive, path);
  const hash = await hashFile(file.abs);
  const entry: ManifestItem = {
    key: refKey(item.ref),
    refs: [item.ref],
    path,
    size: hash.size,
    sha256: hash.sha256,
    captureTime: item.creationTime,
    localTime,
    timeSource: capture.timeSource,
    mimeType: item.mimeType,
    filename: item.filename,
    ...(item.width === undefined ? {} : { width: item.width }),
    ...(item.height === undefined ? {} : { height: item.height }),
    quality: 'api-copy',
    fetchedAt: c.now().toISOString(),
    mtimeStamped: Math.abs(file.facts.mtimeMs - Date.parse(item.creationTime)) <= 1000,
  };
  if (c.inPlace) {
    await c.manifest.put(entry);
    return path;
  }
  await mkdir(dirname(target), { recursive: true });
  await c.manifest.put(entry);
  try {
    await moveVerified(file.abs, target, hash.sha256);
  } catch (e) {
    await c.manifest.delete(entry.key); // the file stayed where it was: forget the entry, keep the source
    c.registry.release(path);
    throw e;
  }
  return path;
}

/** rename(2) within a file system; across file systems copy, check the copy's SHA-256, and only then unlink. */
async function moveVerified(from: string, to: string, sha256: string): Promise<void> {
  try {
    await rename(from, to);
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
  }
  const part = `${to}.gphotos.part`;
  await copyFile(from, part, fsConstants.COPYFILE_EXCL);
  try {
    if ((await hashFile(part)).sha256 !== sha256) throw new LocalError(`The copy of ${from} to ${to} differs from the source; the source is kept.`);
    const st = await lstat(from);
    await utimes(part, st.atime, st.mtime);
    await rename(part, to);
  } finally {
    await rm(part, { force: true });
  }
  await rm(from);
}

