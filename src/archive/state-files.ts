// `.gphotos/` is a trust boundary: anyone who can write into the archive (a shared or synced folder, an unpacked
// backup) can plant things there. So nothing in it is followed: the folder itself must be a real directory, and
// every file gphotos opens in it is opened with O_NOFOLLOW (a symlink fails with ELOOP instead of being written
// through) and O_NONBLOCK (a FIFO opens at once instead of blocking forever), then fstat'ed to be a regular file.
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { lstat, mkdir, open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LocalError, messageOf } from '../errors.js';
import { fsyncDir, mkdirDurably } from './durable-file.js';

export const STATE_DIR = '.gphotos';

const { O_RDONLY, O_WRONLY, O_CREAT, O_APPEND, O_NOFOLLOW, O_NONBLOCK } = constants;

/** What a non-regular entry is, in words a user knows. */
export function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The refusal for `path` holding `what` where gphotos expects a regular file (or folder). */
export function notOurs(path: string, what: string, expected: 'file' | 'folder'): LocalError {
  return new LocalError(`Refusing ${path}: it is ${what}, where gphotos keeps ${expected === 'file' ? 'a regular file' : 'a real folder'}.`, {
    path,
    hint:
      'gphotos never follows links or reads special files inside .gphotos/ (someone with write access to the archive may have planted it). ' +
      'Remove it (or replace it with the real ' + expected + '), then run the command again.',
  });
}

/**
 * `<archive>/.gphotos`, checked to be a real directory (not a symlink to elsewhere); created when `create` and missing.
 * Returns undefined when it does not exist and `create` is false.
 */
export async function stateDir(archiveDir: string, create: boolean): Promise<string | undefined> {
  const root = resolve(archiveDir);
  const dir = join(root, STATE_DIR);
  let st = await lstatOrUndefined(dir);
  if (st === undefined) {
    if (!create) return undefined;
    try {
      await mkdirDurably(root);
      await mkdir(dir); // not recursive: never through a link planted a moment ago
      await fsyncDir(root);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailed(dir, e);
    }
    st = await lstatOrUndefined(dir);
  }
  if (st === undefined || !st.isDirectory()) throw notOurs(dir, st === undefined ? 'gone' : kindOf(st), 'folder');
  return dir;
}

/**
 * Warnings for the archive folder and .gphotos/ when users other than the owner may write there: anyone who can
 * plant files in .gphotos/ can damage the records (gphotos refuses to follow what they plant, see docs/security.md).
 */
export async function sharedWriteWarnings(archiveDir: string): Promise<string[]> {
  const out: string[] = [];
  const root = resolve(archiveDir);
  for (const dir of [root, join(root, STATE_DIR)]) {
    const st = await lstatOrUndefined(dir);
    if (st === undefined) continue;
    const who = [(st.mode & 0o020) !== 0 ? `its group (gid ${st.gid})` : '', (st.mode & 0o002) !== 0 ? 'all users' : ''].filter((w) => w !== '');
    if (who.length === 0) continue;
    out.push(
      `${dir} is writable by ${who.join(' and ')} (mode ${(st.mode & 0o7777).toString(8)}): they can change or damage this archive's records. ` +
        `Run \`chmod go-w ${dir}\` unless you share it on purpose (see docs/security.md).`,
    );
  }
  return out;
}

/** `rel` ('/'-separated) under the real directory `base`, each folder on the way created or checked to be a real folder. */
export async function realSubdir(base: string, rel: string): Promise<string> {
  let dir = base;
  for (const seg of rel.split('/')) {
    dir = join(dir, seg);
    let st = await lstatOrUndefined(dir);
    if (st === undefined) {
      try {
        await mkdir(dir);
        await fsyncDir(dirname(dir));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailed(dir, e);
      }
      st = await lstatOrUndefined(dir);
    }
    if (st === undefined || !st.isDirectory()) throw notOurs(dir, st === undefined ? 'gone' : kindOf(st), 'folder');
  }
  return dir;
}

/** Open an existing regular file for reading without following a link or blocking on a FIFO; undefined when missing. */
export async function openForRead(path: string): Promise<FileHandle | undefined> {
  return openChecked(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
}

/** Open (creating it, 0644) a regular file for appending, never through a link. */
export async function openForAppend(path: string): Promise<FileHandle> {
  const fh = await openChecked(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o644);
  if (fh === undefined) throw new LocalError(`Cannot create ${path}: its folder is gone.`, { path });
  return fh;
}

/** The whole content of the regular file at `path`, or undefined when there is none. */
export async function readRegularFile(path: string): Promise<{ data: Buffer; stats: Stats } | undefined> {
  const fh = await openForRead(path);
  if (fh === undefined) return undefined;
  try {
    const stats = await fh.stat();
    return { data: await fh.readFile(), stats };
  } catch (e) {
    throw new LocalError(`Cannot read ${path}: ${messageOf(e)}`, { path, cause: e });
  } finally {
    await fh.close();
  }
}

async function openChecked(path: string, flags: number, mode?: number): Promise<FileHandle | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, flags, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && (flags & O_CREAT) === 0) return undefined;
    // ELOOP: the last component is a symlink. ENXIO: a FIFO opened for writing with no reader. EISDIR: a folder.
    if (code === 'ELOOP' || code === 'ENXIO' || code === 'EISDIR') {
      const st = await lstatOrUndefined(path);
      throw notOurs(path, st === undefined ? 'not a regular file' : kindOf(st), 'file');
    }
    throw (flags & (O_WRONLY | O_CREAT)) === 0
      ? new LocalError(`Cannot read ${path}: ${messageOf(e)}`, { path, cause: e, hint: accessHint(code) })
      : writeFailed(path, e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw notOurs(path, kindOf(st), 'file');
  } catch (e) {
    await fh.close();
    throw e;
  }
  return fh;
}

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new LocalError(`${p} cannot exist: a file stands where its folder should be.`, { path: p, hint: 'Move that file away, then run the command again.' });
    throw new LocalError(`Cannot check ${p}: ${messageOf(e)}`, { path: p, cause: e, hint: accessHint(code) });
  }
}

/** What to do about a failed write of `path`, by errno. */
export function writeFailed(path: string, e: unknown, what = 'write'): LocalError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return new LocalError(`Cannot ${what} ${path}: ${messageOf(e)}`, { path, cause: e, hint: accessHint(code) });
}

/** One sentence per errno a local write can meet; completed work is always kept (the journal is fsynced first). */
export function accessHint(code: string | undefined): string {
  switch (code ?? '') {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'The disk (or your quota) is full: free some space, then run the same command again; completed work is kept.';
    case 'EROFS':
      return 'The archive is on a read-only file system: remount it read-write (or copy the archive elsewhere), then run again.';
    case 'EPERM':
    case 'EACCES':
      return 'Permission denied: check the owner and mode of the file and its folder (and `lsattr` for the immutable flag), then run again.';
    default:
      return 'Check the disk and the permissions of the archive folder, then run the same command again; completed work is kept.';
  }
}
