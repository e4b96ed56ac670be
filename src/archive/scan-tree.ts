// Every media file in an archive (or a foreign folder), with its size and mtime, from one walk of the tree.
// Skips .gphotos (our state), albums/ (symlink views) and *.part (downloads in flight); never follows symlinks,
// so a view or a link out of the tree is never counted as a file of the archive.
import type { Dirent, Stats } from 'node:fs';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { LocalFile } from '../core/types.js';
import { LocalError, messageOf } from '../errors.js';

/** Extensions of photos and videos Google Photos holds (lower case, with the dot). */
export const MEDIA_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg', '.jpeg', '.jpe', '.png', '.gif', '.webp', '.heic', '.heif', '.avif', '.tif', '.tiff', '.bmp', '.ico',
  '.dng', '.raw', '.cr2', '.cr3', '.nef', '.nrw', '.arw', '.orf', '.rw2', '.raf', '.pef', '.srw',
  '.mp4', '.m4v', '.mov', '.qt', '.3gp', '.3g2', '.avi', '.mkv', '.webm', '.mts', '.m2ts', '.mpg', '.mpeg', '.wmv', '.mp', '.mpo',
]);

export function isMediaPath(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') && MEDIA_EXTENSIONS.has(path.slice(dot).toLowerCase());
}

export interface ScanOptions {
  /** Skip the archive's own state and views (default true; false for a foreign folder being adopted). */
  archive?: boolean;
  /** Media files only (default true). rebuild takes every file: sync may have written names without an extension. */
  mediaOnly?: boolean;
}

/** Files operating systems drop beside photos; never part of an archive. */
const JUNK = new Set(['.ds_store', 'thumbs.db', 'desktop.ini']);

/**
 * Media files under `root`, '/'-relative paths, sorted. A synchronous walk: readdir with file types (no stat of
 * folders or of names that are not media), then one lstat per kept file; fast-glob's async stat per entry cost
 * ~2 s at 100k files, this ~0.4 s. The event loop gets a turn every few thousand stats.
 * Skips (as the fast-glob walk it replaces did with `ignore`): any entry named `*.part` (a folder too), and in an
 * archive `.gphotos/` and `albums/` at the top. Folders that vanish during the walk are skipped; any other error
 * reading a folder fails the scan.
 */
export async function scanTree(root: string, o: ScanOptions = {}): Promise<LocalFile[]> {
  const archive = o.archive ?? true;
  const mediaOnly = o.mediaOnly ?? true;
  const out: LocalFile[] = [];
  const stack: string[] = [''];
  let stats = 0;
  for (let rel = stack.pop(); rel !== undefined; rel = stack.pop()) {
    const dirAbs = rel === '' ? root : join(root, rel);
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (e) {
      if (rel !== '' && isGone(e)) continue;
      throw new LocalError(`Cannot scan ${root}: ${messageOf(e)}`, { path: dirAbs, cause: e });
    }
    for (const d of entries) {
      const name = d.name;
      if (name.endsWith('.part')) continue;
      const path = rel === '' ? name : `${rel}/${name}`;
      if (d.isDirectory()) {
        if (!(archive && rel === '' && (name === '.gphotos' || name === 'albums'))) stack.push(path);
        continue;
      }
      if (!d.isFile()) continue; // symlinks (never followed), sockets, FIFOs
      if (mediaOnly && !isMediaPath(name)) continue;
      // macOS AppleDouble metadata ('._IMG_1.JPG') beside a copied file is not a photo.
      if (name.startsWith('._') || JUNK.has(name.toLowerCase())) continue;
      let st: Stats | undefined;
      try {
        st = lstatSync(join(dirAbs, name), { throwIfNoEntry: false });
      } catch (e) {
        if (isGone(e)) continue;
        throw new LocalError(`Cannot scan ${root}: ${messageOf(e)}`, { path: join(dirAbs, name), cause: e });
      }
      if (st?.isFile() === true) out.push({ path, size: st.size, mtimeMs: st.mtimeMs });
      if (++stats % 4000 === 0) await yieldToLoop();
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function isGone(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * scanTree on a worker thread, so the walk runs beside the caller's own work (status parses the manifest
 * meanwhile: on 2 cores the two overlap). Same result and errors as scanTree; where no worker can start (the
 * compiled scan-worker.js is absent when running from sources), it scans on this thread.
 */
export async function scanTreeOffThread(root: string, o: ScanOptions = {}): Promise<LocalFile[]> {
  type Reply = { ok: true; paths: string; sizes: Float64Array; mtimes: Float64Array } | { ok: false; message: string; path?: string };
  let reply: Reply | undefined;
  try {
    reply = await new Promise<Reply | undefined>((resolve) => {
      const w = new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: { root, options: o } });
      w.once('message', (m: Reply) => {
        resolve(m);
        void w.terminate();
      });
      w.once('error', () => resolve(undefined));
      w.once('exit', () => resolve(undefined));
    });
  } catch {
    reply = undefined; // the Worker constructor itself refused (no such file)
  }
  if (reply === undefined) return scanTree(root, o);
  if (!reply.ok) throw new LocalError(reply.message, { path: reply.path ?? root });
  const { sizes, mtimes } = reply;
  if (sizes.length === 0) return [];
  return reply.paths.split('\0').map((path, i) => ({ path, size: sizes[i]!, mtimeMs: mtimes[i]! }));
}
