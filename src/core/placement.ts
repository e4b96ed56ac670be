// Which archive paths are taken, compared the way a case- and normalisation-insensitive disk compares them.
// Synchronous on purpose: the engine places a photo by its EXIF date only once its first bytes arrive, under
// concurrency, and a check-then-reserve with an await in between would let two downloads claim one name.

import { foldKey, withSuffix } from './names.js';

export function joinArchivePath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

export class PathRegistry {
  /** folded path -> path as first reserved */
  readonly #taken = new Map<string, string>();

  constructor(paths: Iterable<string> = []) {
    for (const p of paths) this.reserve(p);
  }

  has(path: string): boolean {
    return this.#taken.has(foldKey(path));
  }

  /** Marks `path` as taken (idempotent; the first spelling is kept). */
  reserve(path: string): void {
    const key = foldKey(path);
    if (!this.#taken.has(key)) this.#taken.set(key, path);
  }

  release(path: string): void {
    this.#taken.delete(foldKey(path));
  }

  /**
   * Reserves and returns the first free path among `dir/name`, `dir/name~2`, `dir/name~3`…
   * `safeName` must already be a safe file name (see safeFilename).
   */
  claim(dir: string, safeName: string): string {
    let path = joinArchivePath(dir, safeName);
    let key = foldKey(path);
    for (let n = 2; this.#taken.has(key); n++) {
      path = joinArchivePath(dir, withSuffix(safeName, n));
      key = foldKey(path);
    }
    this.#taken.set(key, path);
    return path;
  }
}
