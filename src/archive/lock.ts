// One writer per archive. The lock is a file created with O_EXCL holding who took it; a heartbeat keeps
// its mtime fresh so a lock from another host can be judged stale by silence rather than by age of the run.
import { randomBytes } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { constants } from 'node:fs';
import { link, lutimes, open, readdir, rename, rm } from 'node:fs/promises';
import { LockedError } from '../errors.js';
import { readRegularFile, sharedWriteWarnings, stateDir, writeFailed } from './state-files.js';

export interface LockInfo {
  pid: number;
  hostname: string;
  startedAt: string;
  command: string;
}

export interface LockOptions {
  command: string;
  /** Told when a stale lock is taken over, and when others may write into the archive or .gphotos/. */
  warn?: (message: string) => void;
  /** A lock from another host is stale when its heartbeat is older than this (default 1 h). */
  foreignStaleMs?: number;
  /** How often the holder refreshes the lock's mtime (default 5 min). */
  heartbeatMs?: number;
}

export interface Lock {
  readonly path: string;
  readonly info: LockInfo;
  /** Remove the lock if it is still ours. Idempotent. */
  release(): Promise<void>;
}

export const LOCK_FILE = 'lock';
const UNREADABLE_GRACE_MS = 10_000;

export async function acquireLock(archiveDir: string, opts: LockOptions): Promise<Lock> {
  // A real folder, never a link: the lock (and everything after it) must stay inside the archive.
  const dir = (await stateDir(archiveDir, true))!;
  const path = join(dir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, hostname: osHostname(), startedAt: new Date().toISOString(), command: opts.command };
  const text = JSON.stringify(info) + '\n';
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusive(path, text)) {
      await removeDeadTemps(dir);
      if (opts.warn !== undefined) for (const w of await sharedWriteWarnings(archiveDir)) opts.warn(w);
      return held(path, info, text, opts.heartbeatMs ?? 5 * 60_000);
    }
    const seen = await readLock(path);
    if (seen === undefined) continue; // released between our create and read: try again
    const verdict = judge(seen, opts.foreignStaleMs ?? 60 * 60_000);
    if (verdict.held) {
      throw new LockedError(`${archiveDir} is in use: ${verdict.who}.`, {
        hint: `Wait for it to finish. If no gphotos is running there, delete ${path}.`,
      });
    }
    if (await breakStale(path, seen.raw)) opts.warn?.(`Took over a stale lock on ${archiveDir}: ${verdict.who} (${verdict.why}).`);
  }
  throw new LockedError(`Could not take the lock of ${archiveDir}: other gphotos processes keep racing for it.`, {
    hint: 'Run one gphotos command at a time on an archive.',
  });
}

/**
 * Who holds the archive's lock, judged as acquireLock judges it, without taking or changing it (`gphotos doctor`).
 * A stale lock is one the next command takes over (with a warning).
 */
export async function inspectLock(archiveDir: string): Promise<{ state: 'free' } | { state: 'held' | 'stale'; who: string; why: string; path: string }> {
  const dir = await stateDir(archiveDir, false);
  if (dir === undefined) return { state: 'free' };
  const path = join(dir, LOCK_FILE);
  const seen = await readLock(path);
  if (seen === undefined) return { state: 'free' };
  const verdict = judge(seen, 60 * 60_000);
  return { state: verdict.held ? 'held' : 'stale', who: verdict.who, why: verdict.why, path };
}

/** Temp files of lock attempts by processes that died before cleaning up (killed between create and link). */
async function removeDeadTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = /^lock\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
    if (m !== null && !pidAlive(Number(m[1]))) await rm(join(dir, name), { force: true });
  }
}

/**
 * Create the lock with its content already in it: write a private temp file, then link(2) it to the lock name,
 * which fails if a lock exists. A process killed at any instant therefore never leaves an empty lock behind
 * (an empty lock cannot name its owner, so it would block other runs until it ages out).
 */
async function createExclusive(path: string, text: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await link(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw writeFailed(path, e, 'create');
  } finally {
    await rm(tmp, { force: true });
  }
}

interface SeenLock {
  raw: string;
  info: LockInfo | undefined;
  mtimeMs: number;
}

/** The lock as found; a symlink, FIFO or folder in its place is refused (LocalError), never followed. */
async function readLock(path: string): Promise<SeenLock | undefined> {
  const found = await readRegularFile(path);
  if (found === undefined) return undefined;
  const raw = found.data.toString('utf8');
  return { raw, info: parseInfo(raw), mtimeMs: found.stats.mtimeMs };
}

async function readText(path: string): Promise<string | undefined> {
  return (await readRegularFile(path).catch(() => undefined))?.data.toString('utf8');
}

function parseInfo(raw: string): LockInfo | undefined {
  try {
    const x = JSON.parse(raw) as Partial<LockInfo>;
    if (typeof x.pid === 'number' && typeof x.hostname === 'string' && typeof x.startedAt === 'string' && typeof x.command === 'string') {
      return x as LockInfo;
    }
  } catch {
    /* fall through */
  }
  return undefined;
}

function judge(seen: SeenLock, foreignStaleMs: number): { held: boolean; who: string; why: string } {
  const age = Date.now() - seen.mtimeMs;
  const info = seen.info;
  if (info === undefined) {
    // Between O_EXCL create and its write the file is briefly empty: only an old unreadable lock is stale.
    return { held: age < UNREADABLE_GRACE_MS, who: 'a lock file being written', why: 'its content is unreadable' };
  }
  const who = `\`gphotos ${info.command}\` (pid ${info.pid} on ${info.hostname}) holds it since ${info.startedAt}`;
  if (info.hostname === osHostname()) {
    return pidAlive(info.pid) ? { held: true, who, why: '' } : { held: false, who, why: 'that process is gone' };
  }
  // Another host's pid cannot be checked; its heartbeat (mtime) can.
  return age < foreignStaleMs
    ? { held: true, who, why: '' }
    : { held: false, who, why: `no heartbeat for ${Math.round(age / 60_000)} min` };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/**
 * Remove a stale lock without ever removing a live one: move it aside, and if what we moved is not the
 * stale lock we judged (another process took over in between), put it back.
 */
async function breakStale(path: string, staleRaw: string): Promise<boolean> {
  const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw writeFailed(path, e, 'take over the stale lock');
  }
  const moved = (await readText(aside)) ?? staleRaw;
  if (moved !== staleRaw) await link(aside, path).catch(() => undefined); // EEXIST: someone newer already holds it
  await rm(aside, { force: true });
  return moved === staleRaw;
}

function held(path: string, info: LockInfo, text: string, heartbeatMs: number): Lock {
  const timer = setInterval(() => {
    const now = new Date();
    // lutimes: a link planted in the lock's place must not make the heartbeat touch a file elsewhere.
    lutimes(path, now, now).catch(() => undefined); // a missed beat only makes a foreign lock look older
  }, heartbeatMs);
  timer.unref();
  let released: Promise<void> | undefined;
  return {
    path,
    info,
    release() {
      released ??= (async () => {
        clearInterval(timer);
        // Only remove it if it is still ours: a takeover (we were judged stale) must not be undone.
        const now = await readText(path);
        if (now === text) await rm(path, { force: true });
      })();
      return released;
    },
  };
}
