// What the disk says about the manifest's paths, for plan(): lstat (never following a final symlink,
// which would be a file we did not write) with bounded concurrency, since libuv's pool has only 4 threads anyway
// and 100k outstanding promises cost memory, not speed.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalFile } from '../core/types.js';
import { LocalError, messageOf } from '../errors.js';

export async function statManifestPaths(
  archiveDir: string,
  paths: Iterable<string>,
  concurrency = 64,
): Promise<Map<string, LocalFile | undefined>> {
  const out = new Map<string, LocalFile | undefined>();
  const it = paths[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (let r = it.next(); r.done !== true; r = it.next()) {
      const rel = r.value;
      if (out.has(rel)) continue;
      out.set(rel, undefined); // reserve, so duplicates are not statted twice
      out.set(rel, await statOne(archiveDir, rel));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return out;
}

async function statOne(archiveDir: string, rel: string): Promise<LocalFile | undefined> {
  const abs = join(archiveDir, ...rel.split('/'));
  try {
    const st = await lstat(abs);
    return st.isFile() ? { path: rel, size: st.size, mtimeMs: st.mtimeMs } : undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    // EACCES or EIO must not read as "missing": the planner would re-download over a file it cannot see.
    throw new LocalError(`Cannot check ${abs}: ${messageOf(e)}`, { path: abs, cause: e });
  }
}
