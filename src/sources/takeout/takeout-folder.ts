// A folder the archive remembers for Takeout exports (a browser's Downloads folder, where Google's
// `takeout-<timestamp>-<nnn>.zip` parts land): which of its files are complete exports to reconcile.
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalError, messageOf } from '../../errors.js';

const TAKEOUT_ARCHIVE = /^takeout-.*\.(zip|tgz|tar\.gz)$/i;

/** Whether a zip ends with its end-of-central-directory record (within the last 64 KiB + 22 bytes). */
export async function zipLooksComplete(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, 65_535 + 22);
    if (len < 22) return false;
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    for (let i = len - 22; i >= 0; i--) {
      if (buf.readUInt32LE(i) === 0x06054b50 && i + 22 + buf.readUInt16LE(i + 20) === len) return true;
    }
    return false;
  } finally {
    await fh.close();
  }
}

export interface FolderArchives {
  /** Complete Takeout archives, sorted by name. */
  ready: string[];
  /** Zips without their end record yet (still downloading): left for a later run. */
  incomplete: string[];
}

/** The Takeout archives directly in `folder` (not recursive; other files are ignored). */
export async function takeoutArchivesIn(folder: string): Promise<FolderArchives> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (e) {
    throw new LocalError(`Cannot read the Takeout folder ${folder}: ${messageOf(e)}.`, {
      path: folder,
      hint: 'Make it readable, or stop reconciling it with `gphotos sync DIR --forget-takeout-folder FOLDER`.',
      cause: e,
    });
  }
  const out: FolderArchives = { ready: [], incomplete: [] };
  for (const e of entries.filter((x) => x.isFile() && TAKEOUT_ARCHIVE.test(x.name)).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(folder, e.name);
    if (e.name.toLowerCase().endsWith('.zip') && !(await zipLooksComplete(path))) out.incomplete.push(path);
    else out.ready.push(path);
  }
  return out;
}
