// Which archive paths are taken, compared the way a case- and normalisation-insensitive disk compares them.
// Synchronous on purpose: the engine places a photo by its EXIF date only once its first bytes arrive, under
// concurrency, and a check-then-reserve with an await in between would let two downloads claim one name.

import { foldKey, withSuffix } from './names.js';

export function joinArchivePath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export class PathRegistry {
  /** folded path -> path as first reserved */
  readonly #taken = new Map<string, string>();
  /**
   * The constructor's paths by folded folder, folded into #taken only when that folder is first asked about: an
   * archive of 100k files gets a few new ones per sync, and folding every path held ~7 MB of strings. Grouping
   * by folder is exact because foldKey works per character ('/' neither composes nor changes case), so two
   * paths that fold alike also have folders that fold alike.
   */
  readonly #unfolded = new Map<string, string[]>();
  /** folder -> foldKey(folder); archives have hundreds of folders, not one per file */
  readonly #folderKeys = new Map<string, string>();

  constructor(paths: Iterable<string> = []) {
    for (const p of paths) {
      const folder = this.#folderKey(dirOf(p));
      const list = this.#unfolded.get(folder);
      if (list === undefined) this.#unfolded.set(folder, [p]);
      else list.push(p);
    }
  }

  has(path: string): boolean {
    this.#unfold(dirOf(path));
    return this.#taken.has(foldKey(path));
  }

  /** Marks `path` as taken (idempotent; the first spelling is kept). */
  reserve(path: string): void {
    this.#unfold(dirOf(path));
    const key = foldKey(path);
    if (!this.#taken.has(key)) this.#taken.set(key, path);
  }

  release(path: string): void {
    this.#unfold(dirOf(path));
    this.#taken.delete(foldKey(path));
  }

  /**
   * Reserves and returns the first free path among `dir/name`, `dir/name~2`, `dir/name~3`…
   * `safeName` must already be a safe file name (see safeFilename).
   */
  claim(dir: string, safeName: string): string {
    this.#unfold(dir);
    let path = joinArchivePath(dir, safeName);
    let key = foldKey(path);
    for (let n = 2; this.#taken.has(key); n++) {
      path = joinArchivePath(dir, withSuffix(safeName, n));
      key = foldKey(path);
    }
    this.#taken.set(key, path);
    return path;
  }

  #folderKey(folder: string): string {
    let key = this.#folderKeys.get(folder);
    if (key === undefined) {
      key = foldKey(folder);
      this.#folderKeys.set(folder, key);
    }
    return key;
  }

  /** Moves the constructor's paths in `folder` into #taken, in their order, before anything else happens there. */
  #unfold(folder: string): void {
    if (this.#unfolded.size === 0) return;
    const key = this.#folderKey(folder);
    const list = this.#unfolded.get(key);
    if (list === undefined) return;
    this.#unfolded.delete(key);
    for (const p of list) {
      const k = foldKey(p);
      if (!this.#taken.has(k)) this.#taken.set(k, p);
    }
  }
}
