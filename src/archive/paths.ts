// Manifest and planned paths are untrusted strings (they derive from Google's filenames and from a JSON file
// a user can edit), so every one is checked before it becomes a place we write to.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { LocalError } from '../errors.js';

/** Why `rel` is not a safe archive-relative '/'-path, or undefined when it is. Lexical only, no I/O. */
export function relPathProblem(rel: string): string | undefined {
  if (rel.length === 0) return 'is empty';
  if (rel.includes('\0')) return 'contains a NUL character';
  if (rel.includes('\\')) return 'contains a backslash';
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return 'is absolute';
  for (const seg of rel.split('/')) {
    if (seg === '') return 'has an empty segment';
    if (seg === '.' || seg === '..') return `has a '${seg}' segment`;
  }
  return undefined;
}

/**
 * Absolute path for an archive-relative path, refusing anything that could land outside `root`:
 * absolute paths, '..', backslashes, NUL, and existing parent directories that resolve outside
 * through a symlink (e.g. a month folder replaced by a link to elsewhere).
 */
export function resolveInside(root: string, rel: string): string {
  const problem = relPathProblem(rel);
  if (problem !== undefined) {
    throw new LocalError(`Refusing archive path ${JSON.stringify(rel)}: it ${problem}.`, {
      hint: 'The manifest or plan holds an unsafe path; run `gphotos verify` and report this if it recurs.',
    });
  }
  const absRoot = resolve(root);
  const abs = join(absRoot, ...rel.split('/'));
  const realRoot = realpathOrUndefined(absRoot);
  if (realRoot === undefined) return abs; // nothing exists yet, so nothing can point elsewhere
  // The deepest existing ancestor decides where a write would land.
  let dir = dirname(abs);
  while (dir.length > absRoot.length) {
    const real = realpathOrUndefined(dir);
    if (real !== undefined) {
      if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
        throw new LocalError(`Refusing archive path ${JSON.stringify(rel)}: ${dir} resolves outside the archive (to ${real}).`, {
          path: dir,
          hint: 'A folder inside the archive is a symlink to somewhere else; replace it with a real folder.',
        });
      }
      return abs;
    }
    dir = dirname(dir);
  }
  return abs;
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // A dangling symlink is still a link pointing elsewhere: refuse to treat it as free space.
      let isLink = false;
      try {
        isLink = lstatSync(p).isSymbolicLink();
      } catch {
        /* truly missing */
      }
      if (isLink) throw new LocalError(`${p} is a dangling symlink inside the archive.`, { path: p });
      return undefined;
    }
    if (code === 'ENOTDIR') throw new LocalError(`${p} is not a folder but the archive layout needs one there.`, { path: p });
    throw new LocalError(`Cannot resolve ${p}: ${(e as Error).message}`, { path: p, cause: e });
  }
}
