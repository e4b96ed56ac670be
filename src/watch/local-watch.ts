// Notice changes in the archive tree with chokidar, watching FOLDERS only: files are `ignored`, so there is one
// inotify watch per folder (a 100k-file archive in year/month folders needs a few hundred), and a folder's watch
// still reports every child's create, delete, write and rename as a 'raw' event with the child's name, which gives
// the changed file's path. .gphotos/, albums/ (symlink views) and partial downloads are skipped; symlinks are not
// followed.
//
// One chokidar watcher per folder (depth 0), started one after another. chokidar lstat()s every entry of a folder
// it starts watching; one recursive watcher on the root scanned all folders at once, and at 100k files that made
// ~260 MB of garbage in the old generation (RSS ~400 MB before the first cycle). Folder by folder, each scan's
// garbage dies young. Folders are found with readdir's entry types, without a stat per file.
import { lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { PART_SUFFIX } from '../archive/writer.js';
import { XMP_SUFFIX } from '../archive/xmp-sidecar.js';

export interface LocalWatch {
  /** Resolves when the initial directory scan is done. */
  ready: Promise<void>;
  /** Take the archive-relative paths seen changing since the last call. */
  drain(): Set<string>;
  /** Drop these paths from what was seen (changes our own cycle made). */
  forget(paths: Iterable<string>): void;
  close(): Promise<void>;
}

/** Whether an archive-relative '/'-path is outside what watch looks after. */
export function isIgnoredPath(rel: string): boolean {
  if (rel === '' || rel === '.') return false;
  const segs = rel.split('/');
  if (segs[0] === 'albums' || segs[0] === '.gphotos') return true;
  // Our own writes in flight, and the XMP sidecars each run writes beside its files.
  return rel.endsWith(PART_SUFFIX) || rel.endsWith(XMP_SUFFIX);
}

/** A folder that vanished (or was never there) is not an error: its parent's watch reported it. */
function isGone(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export function watchArchive(root: string, onChange: () => void, onError: (e: unknown) => void): LocalWatch {
  let pending = new Set<string>();
  /** Watched folders by archive-relative '/'-path ('' is the root). */
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  const abs = (rel: string): string => (rel === '' ? root : join(root, ...rel.split('/')));
  const child = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);

  const note = (rel: string): void => {
    if (isIgnoredPath(rel)) return;
    pending.add(rel);
    onChange();
  };

  const unwatch = (rel: string): void => {
    for (const [dir, w] of watchers) {
      if (dir === rel || dir.startsWith(`${rel}/`)) {
        void w.close();
        watchers.delete(dir);
      }
    }
  };

  /** Watch `top` and every folder under it (symlinks are not followed; ignored folders are skipped). */
  const watchTree = async (top: string): Promise<void> => {
    const stack = [top];
    for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
      if (closed || watchers.has(dir) || isIgnoredPath(dir)) continue;
      const w = watchFolder(abs(dir), (event, name) => onRaw(dir, event, name), (e) => {
        if (watchers.get(dir) === w) {
          void w.close();
          watchers.delete(dir);
        }
        if (!isGone(e)) onError(e);
      });
      watchers.set(dir, w);
      // One folder's scan at a time (see the top of this file).
      await new Promise<void>((resolve) => w.once('ready', () => resolve()));
      const entries = await readdir(abs(dir), { withFileTypes: true }).catch((e: unknown) => {
        if (!isGone(e)) onError(e);
        return [];
      });
      for (const e of entries) if (e.isDirectory()) stack.push(child(dir, e.name));
    }
  };

  /** A child of a watched folder appeared, vanished or was renamed: (re)watch it if it is a folder now. */
  const recheck = async (rel: string): Promise<void> => {
    // A folder moved within the archive keeps its inotify watch under its old name: start again from its path.
    unwatch(rel);
    const st = await lstat(abs(rel)).catch(() => undefined);
    if (st?.isDirectory() === true) await watchTree(rel);
  };

  const onRaw = (dir: string, event: string, name: string | null): void => {
    if (closed || name === null || name === '') return;
    const rel = child(dir, name);
    note(rel);
    // Writes are 'change'; creations, deletions and moves are 'rename' (the only ones that can be a folder).
    if (event === 'rename' && !isIgnoredPath(rel)) recheck(rel).catch(onError);
  };

  // The archive folder is created if missing (the first cycle would make it anyway): its watch must exist before.
  const ready = mkdir(root, { recursive: true })
    .then(() => watchTree(''))
    .catch(onError);
  return {
    ready,
    drain() {
      const out = pending;
      pending = new Set();
      return out;
    },
    forget(paths) {
      for (const p of paths) pending.delete(p);
    },
    async close() {
      closed = true;
      const all = [...watchers.values()];
      watchers.clear();
      await Promise.all(all.map((w) => w.close()));
    },
  };
}

/** chokidar on one folder: its own events and its children's (as 'raw'), never a watch per file. */
function watchFolder(folder: string, onRaw: (event: string, name: string | null) => void, onError: (e: unknown) => void): FSWatcher {
  const w = watch(folder, {
    depth: 0,
    ignoreInitial: true,
    persistent: true,
    followSymlinks: false,
    // A file or symlink child gets no watch of its own; sub-folders get their own watcher (watchTree).
    ignored: (path, stats) => path !== folder && stats !== undefined && !stats.isDirectory(),
  });
  w.on('raw', (event: string, name: string, details: unknown) => {
    // Only this folder's own watch: a sub-folder's events come through that folder's watcher.
    if ((details as { watchedPath?: string } | undefined)?.watchedPath !== folder) return;
    onRaw(event, name);
  });
  w.on('error', onError);
  return w;
}
