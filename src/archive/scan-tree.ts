// Every media file in an archive (or a foreign folder), with its size and mtime, from one fast-glob walk.
// Skips .gphotos (our state), albums/ (symlink views) and *.part (downloads in flight); never follows symlinks,
// so a view or a link out of the tree is never counted as a file of the archive.
import fg from 'fast-glob';
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

/** Media files under `root`, '/'-relative paths, sorted. */
export async function scanTree(root: string, o: ScanOptions = {}): Promise<LocalFile[]> {
  const ignore = ['**/*.part'];
  if (o.archive ?? true) ignore.push('.gphotos/**', 'albums/**');
  let entries: fg.Entry[];
  try {
    entries = await fg('**/*', {
      cwd: root,
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      stats: true,
      ignore,
      suppressErrors: false,
    });
  } catch (e) {
    throw new LocalError(`Cannot scan ${root}: ${messageOf(e)}`, { path: root, cause: e });
  }
  const out: LocalFile[] = [];
  for (const e of entries) {
    if (e.stats === undefined || !e.stats.isFile()) continue;
    if ((o.mediaOnly ?? true) && !isMediaPath(e.path)) continue;
    // macOS AppleDouble metadata ('._IMG_1.JPG') beside a copied file is not a photo.
    if (e.name.startsWith('._') || JUNK.has(e.name.toLowerCase())) continue;
    out.push({ path: e.path, size: e.stats.size, mtimeMs: e.stats.mtimeMs });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
