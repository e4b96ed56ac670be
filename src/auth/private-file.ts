// Files that hold credentials: written atomically and readable by the owner only.
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LocalError } from '../errors.js';

/** tmp (0600) + fsync + rename: a crash leaves the old file or the new one, never half of one, never world-readable. */
export async function writePrivateFile(dest: string, text: string): Promise<void> {
  const tmp = `${dest}.${process.pid}.${Date.now()}.tmp`;
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, dest);
    await syncDir(dirname(dest));
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new LocalError(`Cannot write ${dest} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, { path: dest });
  }
}

/** Make the rename itself durable; directories cannot be opened for sync on Windows, so skip there. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
