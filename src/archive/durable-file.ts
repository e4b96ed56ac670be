// Crash-safe whole-file replacement: readers see either the old or the new content, never a mix,
// and once the promise resolves the new content survives a power cut (steno/lowdb do no fsync).
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

interface DirSync {
  started: boolean;
  done: Promise<void>;
}

/** Per directory: the fsync running now, or the one queued behind it. */
const dirSyncs = new Map<string, DirSync>();

/**
 * fsync a directory so a rename, create or unlink inside it is durable.
 * Concurrent callers share work (group commit, as the manifest journal does): a caller joins an fsync that
 * has not started yet, since it will cover the caller's change; an fsync already running might not, so the
 * caller queues one more behind it. Eight downloads finishing in one folder cost one or two fsyncs, not eight.
 */
export function fsyncDir(dir: string): Promise<void> {
  const current = dirSyncs.get(dir);
  if (current !== undefined && !current.started) return current.done;
  const entry: DirSync = { started: false, done: Promise.resolve() };
  entry.done = (async () => {
    if (current !== undefined) await current.done.catch(() => undefined);
    entry.started = true;
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  })().finally(() => {
    if (dirSyncs.get(dir) === entry) dirSyncs.delete(dir);
  });
  dirSyncs.set(dir, entry);
  return entry.done;
}

/**
 * Write `<dir>/.<name>.<random>.tmp`, fsync it, rename it over `path`, fsync the directory.
 * `data` may come piece by piece (an iterable of strings), so a large manifest never exists as one string.
 */
export async function writeFileDurably(path: string, data: string | Uint8Array | Iterable<string>): Promise<void> {
  const dir = dirname(path);
  // A random suffix so two writers never share a temp file (steno's fixed name races).
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await fh.writeFile(data);
      else for (const chunk of data) await writeAll(fh, Buffer.from(chunk, 'utf8'));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dir);
}

/** mkdir -p, then fsync the parent of every directory it created so the new entries survive a crash. */
export async function mkdirDurably(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = resolve(dir); ; d = dirname(d)) {
    await fsyncDir(dirname(d));
    if (d === resolve(first) || dirname(d) === d) break;
  }
}

/** Write all of `buf` at the file's position (a single write may be short). */
export async function writeAll(fh: FileHandle, buf: Uint8Array): Promise<void> {
  let off = 0;
  while (off < buf.byteLength) {
    const { bytesWritten } = await fh.write(buf, off, buf.byteLength - off);
    off += bytesWritten;
  }
}

/** Whether anything exists at `path` (a file, a folder, a link). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
