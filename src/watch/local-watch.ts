// Notice changes in the archive tree with chokidar, watching DIRECTORIES only: files are `ignored`, so there is
// one inotify watch per folder (a 100k-file archive in year/month folders needs a few hundred), and the
// directory watches still report every child's create, delete, write and rename as a 'raw' event, which gives
// the changed file's path. .gphotos/, albums/ (symlink views) and partial downloads are skipped.
import { relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { PART_SUFFIX } from '../archive/writer.js';

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
  return rel.endsWith(PART_SUFFIX);
}

export function watchArchive(root: string, onChange: () => void, onError: (e: unknown) => void): LocalWatch {
  let pending = new Set<string>();
  const toRel = (abs: string): string => relative(root, abs).split(sep).join('/');
  const watcher: FSWatcher = watch(root, {
    ignoreInitial: true,
    persistent: true,
    followSymlinks: false,
    ignored: (abs, stats) => {
      const rel = toRel(abs);
      if (rel.startsWith('..')) return false;
      return isIgnoredPath(rel) || stats?.isFile() === true || stats?.isSymbolicLink() === true;
    },
  });
  const note = (rel: string): void => {
    if (isIgnoredPath(rel)) return;
    pending.add(rel);
    onChange();
  };
  watcher.on('raw', (_event: string, name: string, details: unknown) => {
    const dir = (details as { watchedPath?: string } | undefined)?.watchedPath;
    if (typeof dir !== 'string' || typeof name !== 'string' || name === '') return;
    const rel = toRel(dir);
    if (rel.startsWith('..')) return;
    note(rel === '' ? name : `${rel}/${name}`);
  });
  // A folder removed as a whole: its files are gone too (the check finds which, from the manifest).
  watcher.on('unlinkDir', (abs: string) => note(toRel(abs)));
  watcher.on('error', onError);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
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
    close: () => watcher.close(),
  };
}
