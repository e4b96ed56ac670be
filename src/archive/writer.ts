// Downloads land in `<target>.gphotos.part` and become visible only complete, hashed and fsynced, via one rename:
// a crash leaves either no target or a whole one, plus at most a stale .part (part-sweep.ts removes it).
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { link, lstat, open, rename, rm, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LocalError, RemoteError, messageOf } from '../errors.js';
import { fsyncDir, mkdirDurably } from './durable-file.js';
import { kindOf } from './state-files.js';

/** Distinctive, so that the sweep never mistakes a user's own `x.part` for ours. */
export const PART_SUFFIX = '.gphotos.part';

export interface WriteResult {
  size: number;
  sha256: string;
}

export interface WriteOptions {
  /** The length the server announced; a different length is a retryable RemoteError. */
  expectedSize?: number;
  /** Stamped as atime and mtime before the rename, so the target never appears unstamped. */
  mtime?: Date;
  signal?: AbortSignal;
  /** Runs after the bytes are durable and before the rename (the engine makes the manifest entry durable here). */
  beforeRename?: (r: WriteResult) => Promise<void>;
  /** Allow replacing an existing target (an upgrade of our own file). Default: an existing target is an error. */
  replace?: boolean;
  /**
   * Run beforeRename while the .part's fsync runs instead of after it; both finish before the rename. Saves one
   * device flush per file on the critical path. The crash outcomes are those of a crash between beforeRename and
   * the rename anyway (a record of a file that never appeared, plus a swept .part); if the fsync itself fails
   * after beforeRename succeeded, the caller must undo what beforeRename recorded.
   */
  overlapSync?: boolean;
}

/**
 * Stream `body` into `target` atomically. On any failure or abort the .part is removed and the target
 * is untouched. Without `replace`, an existing target is never overwritten (LocalError).
 */
export async function writeAtomically(target: string, body: AsyncIterable<Uint8Array>, opts: WriteOptions = {}): Promise<WriteResult> {
  const replace = opts.replace === true;
  if (!replace && (await existsNoFollow(target))) throw occupied(target, false);
  const part = target + PART_SUFFIX;
  let fh;
  try {
    fh = await openPart(part);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      const st = await lstat(part).catch(() => undefined);
      if (st !== undefined && !st.isFile()) {
        throw new LocalError(`${part} is ${kindOf(st)}, not a partial download gphotos left; gphotos neither follows nor removes it.`, {
          path: part,
          hint: 'Remove it (it is in the way of this download), then run the command again.',
        });
      }
      throw new LocalError(`${part} already exists: another gphotos is writing it, or a killed run left it.`, {
        path: part,
        hint: 'If no other gphotos runs on this archive, the next `gphotos sync` removes it.',
      });
    }
    throw new LocalError(`Cannot create ${part}: ${messageOf(e)}`, { path: part, cause: e });
  }
  let renamed = false;
  try {
    const hash = createHash('sha256');
    let size = 0;
    let result: WriteResult | undefined;
    try {
      for await (const chunk of abortable(body, opts.signal)) {
        size += chunk.byteLength;
        if (opts.expectedSize !== undefined && size > opts.expectedSize) throw sizeMismatch(target, opts.expectedSize, `more than ${opts.expectedSize}`);
        hash.update(chunk);
        await writeAll(fh, chunk);
      }
      if (opts.expectedSize !== undefined && size !== opts.expectedSize) throw sizeMismatch(target, opts.expectedSize, String(size));
      if (opts.mtime !== undefined) await fh.utimes(opts.mtime, opts.mtime);
      if (opts.overlapSync !== true) await fh.sync();
      else {
        const early = { size, sha256: hash.digest('hex') };
        throwIfAborted(opts.signal);
        const [synced, recorded] = await Promise.allSettled([fh.sync(), opts.beforeRename?.(early)]);
        if (synced.status === 'rejected') throw new SyncAfterRecordError(synced.reason, recorded.status === 'fulfilled');
        if (recorded.status === 'rejected') throw recorded.reason;
        result = early;
      }
    } finally {
      await fh.close();
    }
    if (result === undefined) {
      result = { size, sha256: hash.digest('hex') };
      throwIfAborted(opts.signal);
      await opts.beforeRename?.(result);
    }
    // After beforeRename the manifest already names the target: finish even if aborted now (milliseconds).
    if (replace) await rename(part, target);
    else await renameNoReplace(part, target);
    renamed = true;
    await fsyncDir(dirname(target));
    return result;
  } finally {
    if (!renamed) await rm(part, { force: true });
  }
}

/**
 * Move without clobbering, atomically: link(2) fails with EEXIST when the target appeared since our check
 * (a user's file). A crash between link and unlink leaves a .part that is a second name of the target,
 * which the sweep removes harmlessly. Filesystems without hard links fall back to check + rename.
 */
export async function renameNoReplace(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw occupied(to, true);
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS'].includes(code ?? '')) throw e;
    if (await existsNoFollow(to)) throw occupied(to, true);
    await rename(from, to);
    return;
  }
  // unlink, not rm(): rm() lstats first, one more syscall per file for a name we know is our own file.
  await unlink(from).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

/** overlapSync: the .part's fsync failed; `recorded` tells whether beforeRename had succeeded (the caller undoes it). */
export class SyncAfterRecordError extends LocalError {
  constructor(
    cause: unknown,
    readonly recorded: boolean,
  ) {
    super(`Cannot make a file durable: ${messageOf(cause)}`, { cause });
  }
}

/** A file that gphotos did not write sits at the target; it is never overwritten. */
export class TargetOccupiedError extends LocalError {
  /** False when nothing was read from the body yet (the caller may pick another name and reuse it). */
  readonly bodyConsumed: boolean;
  constructor(target: string, bodyConsumed: boolean) {
    super(`Refusing to overwrite ${target}: a file is already there.`, {
      path: target,
      hint: 'gphotos never replaces files it did not write; move the file away or run `gphotos status` to see why.',
    });
    this.bodyConsumed = bodyConsumed;
  }
}

function occupied(target: string, bodyConsumed: boolean): TargetOccupiedError {
  return new TargetOccupiedError(target, bodyConsumed);
}

/** O_EXCL: never share a .part with another writer; O_NOFOLLOW: never write through a link of that name. */
const PART_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Open a new .part; create its folder only when missing (most downloads go to folders that exist). */
async function openPart(part: string): Promise<FileHandle> {
  try {
    return await open(part, PART_FLAGS, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdirDurably(dirname(part));
    return await open(part, PART_FLAGS, 0o644);
  }
}

function sizeMismatch(target: string, expected: number, got: string): RemoteError {
  return new RemoteError(`Download of ${target} was cut short or overlong: expected ${expected} bytes, got ${got}.`, { retryable: true });
}

async function existsNoFollow(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new LocalError(`Cannot check ${p}: ${messageOf(e)}`, { path: p, cause: e });
  }
}

async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let off = 0;
  while (off < chunk.byteLength) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off);
    off += bytesWritten;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortReason(signal);
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The download was aborted.', { cause: signal.reason });
}

/** Iterate `body`, but stop waiting for the next chunk as soon as `signal` aborts (a stalled socket). */
async function* abortable(body: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  if (signal === undefined) {
    yield* body;
    return;
  }
  throwIfAborted(signal);
  const it = body[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined); // handled by the race below
  try {
    for (;;) {
      const next = await Promise.race([it.next(), aborted]);
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    void it.return?.()?.catch(() => undefined);
  }
}
