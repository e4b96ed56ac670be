// .tgz parts of a Takeout export, through the project's `tar` package: a part's files are staged in a scratch
// folder, packed in their listed order with a fixed mtime, mode and no owner (so the same export gives the same
// bytes on any machine), then the scratch folder is removed.
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { create as tarCreate } from 'tar';
import type { TakeoutEntry } from './takeout-layout.js';

const BLOCK = 512;
const blocks = (bytes: number): number => Math.ceil(bytes / BLOCK) * BLOCK;

/**
 * Bytes an entry adds to the tar stream (header, PAX header for long or non-ASCII names, padded body); with no
 * arguments, the stream's fixed end (two zero blocks).
 */
export function tarPartCost(path?: string, size = 0): number {
  if (path === undefined) return 2 * BLOCK;
  const nameBytes = Buffer.byteLength(path, 'utf8');
  // ustar holds 100 (name) + 155 (prefix) ASCII bytes; past that node-tar adds a PAX header block and record.
  const pax = nameBytes > 100 || /[^\x20-\x7e]/.test(path) ? BLOCK + blocks(nameBytes + 64) : 0;
  return BLOCK + pax + blocks(size);
}

/** Writes each entry under `root` at its path, mode 0644 whatever the umask. */
export async function stagePart(root: string, part: readonly { entry: TakeoutEntry; data: Buffer }[]): Promise<void> {
  for (const { entry, data } of part) {
    const file = join(root, ...entry.path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, data, { flag: 'wx' });
    await chmod(file, 0o644);
  }
}

export async function writeTgzPart(file: string, scratch: string, part: readonly { entry: TakeoutEntry; data: Buffer }[], at: Date): Promise<void> {
  await mkdir(scratch);
  try {
    await stagePart(scratch, part);
    await tarCreate({ gzip: true, file, cwd: scratch, portable: true, mtime: at }, part.map(({ entry }) => entry.path));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
