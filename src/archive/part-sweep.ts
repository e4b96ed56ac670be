// A killed run can leave `<target>.gphotos.part` files; they are never user data (the writer names them with a
// suffix no camera or user picks), so the next run under the lock removes them before it starts writing.
// Whatever else carries that name (a symlink, a folder, a FIFO) is not ours: it is never followed nor removed,
// only reported, so the user learns why that item's download keeps failing.
import type { Stats } from 'node:fs';
import { lstat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import { messageOf } from '../errors.js';
import { kindOf } from './state-files.js';
import { PART_SUFFIX } from './writer.js';

/** Told about each `*.gphotos.part` entry the sweep leaves in place, and why. */
export type SweepRefusal = (rel: string, why: string) => void;

/**
 * Remove stale `*.gphotos.part` regular files anywhere under the archive (not .gphotos, not
 * through symlinked folders). Returns the relative paths removed; `refused` hears of the ones left in place.
 */
export async function sweepParts(archiveDir: string, refused: SweepRefusal = () => undefined): Promise<string[]> {
  const found = await fg(`**/*${PART_SUFFIX}`, {
    cwd: archiveDir,
    dot: true, // archive names may start with a dot (a remote "../x.jpg" is stored as ".._x.jpg")
    onlyFiles: false, // links, folders and FIFOs of that name too: each is judged by lstat below
    followSymbolicLinks: false,
    ignore: ['.gphotos/**'],
    suppressErrors: true, // an unreadable folder must not stop a sync; its .part stays
  });
  const removed: string[] = [];
  for (const rel of found.sort()) {
    const abs = join(archiveDir, ...rel.split('/'));
    let st: Stats;
    try {
      st = await lstat(abs);
    } catch {
      continue; // gone since the listing
    }
    if (!st.isFile()) {
      refused(rel, `it is ${kindOf(st)}, not a partial download gphotos left, so it is neither followed nor removed; remove it if it is not yours`);
      continue;
    }
    try {
      await unlink(abs);
      removed.push(rel);
    } catch (e) {
      refused(rel, `cannot remove it: ${messageOf(e)}`);
    }
  }
  return removed;
}
