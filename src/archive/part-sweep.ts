// A killed run can leave `<target>.gphotos.part` files; they are never user data (the writer names them with a
// suffix no camera or user picks), so the
// next run under the lock removes them before it starts writing.
import { rm } from 'node:fs/promises';
import fg from 'fast-glob';
import { PART_SUFFIX } from './writer.js';

/** Remove stale `*.gphotos.part` files anywhere under the archive (not .gphotos, not through symlinks). Returns their relative paths. */
export async function sweepParts(archiveDir: string): Promise<string[]> {
  const found = await fg(`**/*${PART_SUFFIX}`, {
    cwd: archiveDir,
    dot: false,
    onlyFiles: true, // a symlink named *.part is not a file we wrote
    followSymbolicLinks: false,
    ignore: ['.gphotos/**'],
    suppressErrors: true, // an unreadable folder must not stop a sync; its .part stays
  });
  const removed: string[] = [];
  for (const rel of found.sort()) {
    await rm(`${archiveDir}/${rel}`, { force: true });
    removed.push(rel);
  }
  return removed;
}
