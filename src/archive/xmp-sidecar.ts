// The XMP sidecar next to an archived file (`NAME.EXT.xmp`), written like the media: into `<sidecar>.gphotos.part`
// beside it, fsynced, renamed into place, folder fsynced. A crash leaves the old sidecar or the new one, never half
// of one, plus at most a .part that part-sweep.ts removes. Nothing here follows a symlink, and a sidecar another
// tool wrote (or rewrote) is never replaced: it may hold a user's edits.
import { createHash } from 'node:crypto';
import { closeSync, constants, linkSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { truncateUtf8, utf8Length } from '../core/names.js';
import type { ManifestItem } from '../core/types.js';
import { parseXmp, renderXmp, XMP_TOOLKIT } from '../core/xmp.js';
import { LocalError, messageOf } from '../errors.js';
import { fsyncDir, writeAll } from './durable-file.js';
import { resolveInside } from './paths.js';
import { PART_SUFFIX, renameNoReplace, TargetOccupiedError } from './writer.js';

export const XMP_SUFFIX = '.xmp';

/** written: new content is durable; unchanged: it already held exactly that; foreign: another tool's file, left alone. */
export type SidecarWrite = 'written' | 'unchanged' | 'foreign';
export type SidecarCheck = 'ok' | 'missing' | 'stale' | 'foreign';

/** Archive-relative path of an item's sidecar: the digiKam/darktable/Immich name, extension kept. */
export function sidecarPath(mediaPath: string): string {
  return mediaPath + XMP_SUFFIX;
}

/** Sidecars are a few KiB; anything much larger is not one of ours and is not read whole. */
const MAX_SIDECAR = 1 << 20;

type Current = { kind: 'absent' } | { kind: 'other' } | { kind: 'file'; bytes: Buffer };

/** What sits at `abs`, without following a symlink there. */
export async function readSidecarNoFollow(abs: string): Promise<Current> {
  let fh;
  try {
    fh = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'ELOOP') return { kind: 'other' }; // a symlink
    throw new LocalError(`Cannot read ${abs}: ${messageOf(e)}`, { path: abs, cause: e });
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size > MAX_SIDECAR) return { kind: 'other' };
    return { kind: 'file', bytes: await fh.readFile() };
  } finally {
    await fh.close();
  }
}

/** A sidecar is ours while its packet still carries our toolkit name (another tool rewriting it replaces that). */
function isOurs(bytes: Buffer): boolean {
  const parsed = parseXmp(bytes.toString('utf8'));
  return 'fields' in parsed && parsed.fields.toolkit?.startsWith(XMP_TOOLKIT.replace(/\d+$/, '')) === true;
}

/**
 * Write or refresh the sidecar of `item` (whose media file is already in place). Cheap enough to call after each
 * downloaded file: one render, one open of the current sidecar, and for a changed one a small write, an fsync and
 * a rename; the folder fsync is shared with concurrent writers (fsyncDir).
 */
export async function writeXmpSidecar(archiveDir: string, item: ManifestItem, o: { flush?: boolean } = {}): Promise<SidecarWrite> {
  const target = resolveInside(archiveDir, sidecarPath(item.path));
  const bytes = Buffer.from(renderXmp(item), 'utf8');
  const current = await readSidecarNoFollow(target);
  if (current.kind === 'other') return 'foreign';
  if (current.kind === 'file') {
    if (current.bytes.equals(bytes)) return 'unchanged';
    if (!isOurs(current.bytes)) return 'foreign';
  }
  const part = partPathFor(target);
  let renamed = false;
  try {
    const fh = await openPart(part);
    try {
      await writeAll(fh, bytes);
      // A caller writing many sidecars flushes them all at once afterwards (flushFileSystem) instead.
      if (o.flush !== false) await fh.sync();
    } finally {
      await fh.close();
    }
    // rename(2) replaces a directory entry and never follows a link at the target; the no-replace move keeps a
    // file that appeared since the check (a user's) instead of overwriting it.
    if (current.kind === 'file') await rename(part, target);
    else await renameNoReplace(part, target);
    renamed = true;
  } catch (e) {
    if (e instanceof TargetOccupiedError) return 'foreign';
    if (e instanceof LocalError) throw e;
    throw new LocalError(`Cannot write ${target}: ${messageOf(e)}`, { path: target, cause: e, hint: 'Check that the archive folder is writable and the disk is not full.' });
  } finally {
    if (!renamed) await rm(part, { force: true });
  }
  if (o.flush !== false) await fsyncDir(dirname(target));
  return 'written';
}

/**
 * The sidecar of a media file this run has stored (`mediaAbs`, reached through resolveInside, so its folder is
 * inside the archive). The common case, no sidecar there yet, costs
 * five synchronous syscalls (create the .part exclusively, write, close, link to the final name, unlink the .part)
 * and no read: synchronous because each async call costs a thread-pool hop (two futex waits, an eventfd write,
 * a promise) several times the syscall itself. Not flushed: the run ends with
 * one flushFileSystem (or fsyncSidecar each) before it reports success. Anything else there (a sidecar of ours
 * to refresh, another tool's, a leftover .part, a file system without hard links) goes the careful way.
 */
export function writeNewXmpSidecarSync(mediaAbs: string, item: ManifestItem): SidecarWrite | 'not-new' {
  const target = mediaAbs + XMP_SUFFIX;
  const part = partPathFor(target);
  let fd: number;
  try {
    fd = openSync(part, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch {
    return 'not-new';
  }
  let linked = false;
  try {
    try {
      writeTextSync(fd, renderXmp(item));
    } finally {
      closeSync(fd);
    }
    // link(2) fails with EEXIST instead of replacing a sidecar that is there (ours to compare, or a user's).
    linkSync(part, target);
    linked = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST' && !NO_LINK.has((e as NodeJS.ErrnoException).code ?? '')) {
      throw new LocalError(`Cannot write ${target}: ${messageOf(e)}`, { path: target, cause: e, hint: 'Check that the archive folder is writable and the disk is not full.' });
    }
  } finally {
    // A crash before this unlink (or its failure) leaves a .part, a second name of the sidecar once linked:
    // part-sweep removes it.
    try {
      unlinkSync(part);
    } catch {
      // see above
    }
  }
  return linked ? 'written' : 'not-new';
}

/**
 * All of `text` as UTF-8 at the start of the new file `fd`. A string is encoded by the write itself (no Buffer
 * to allocate and collect); a short write, which a regular file gives only near a full disk, resumes from bytes.
 */
function writeTextSync(fd: number, text: string): void {
  const written = writeSync(fd, text, null, 'utf8');
  const total = Buffer.byteLength(text, 'utf8');
  if (written === total) return;
  const bytes = Buffer.from(text, 'utf8');
  for (let off = written; off < total; ) off += writeSync(fd, bytes, off);
}

/** link(2) errors of file systems without hard links. */
const NO_LINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

/** The slow way to make a sidecar written with `flush: false` durable: fsync it and its folder. */
export async function fsyncSidecar(archiveDir: string, item: ManifestItem): Promise<void> {
  const target = resolveInside(archiveDir, sidecarPath(item.path));
  const fh = await open(target, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsyncDir(dirname(target));
}

/**
 * Flush everything written to the file system holding `dir` with one syncfs(2) (`sync -f`, coreutils): for a
 * thousand sidecars written in a row it costs one device flush instead of a thousand. Resolves false when the
 * command is not there or failed (the caller then flushes file by file).
 */
export async function flushFileSystem(dir: string): Promise<boolean> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => execFile('sync', ['-f', dir], (e) => resolve(e === null)));
}

const MAX_NAME = 255;

/**
 * `<sidecar>.gphotos.part`, or for a name too long for that (archive names reach 240 bytes, + '.xmp' + the 13-byte
 * suffix exceeds the 255-byte limit) a shortened one made unique by a hash of the full name. Either way it ends
 * in PART_SUFFIX, so scans skip it and part-sweep.ts removes one a killed run left.
 */
export function partPathFor(target: string): string {
  const name = basename(target);
  if (utf8Length(name) + PART_SUFFIX.length <= MAX_NAME) return target + PART_SUFFIX;
  const tag = `~${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
  return join(dirname(target), truncateUtf8(name, MAX_NAME - PART_SUFFIX.length - tag.length) + tag + PART_SUFFIX);
}

/** O_EXCL|O_NOFOLLOW: never write through a link. A leftover .part of a killed run (we hold the lock) is removed once. */
async function openPart(part: string) {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  try {
    return await open(part, flags, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    await rm(part, { force: true });
    return await open(part, flags, 0o644);
  }
}

/** For `verify`: does the sidecar hold exactly what the manifest says? */
export async function checkXmpSidecar(archiveDir: string, item: ManifestItem): Promise<SidecarCheck> {
  const target = resolveInside(archiveDir, sidecarPath(item.path));
  const current = await readSidecarNoFollow(target);
  if (current.kind === 'absent') return 'missing';
  if (current.kind === 'other') return 'foreign';
  if (current.bytes.equals(Buffer.from(renderXmp(item), 'utf8'))) return 'ok';
  return isOurs(current.bytes) ? 'stale' : 'foreign';
}
