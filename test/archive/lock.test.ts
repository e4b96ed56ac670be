import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { acquireLock } from '../../src/archive/lock.js';
import { LockedError } from '../../src/errors.js';

let dir: string;
let lockPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gphotos-lock-'));
  lockPath = join(dir, '.gphotos/lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function plantLock(info: Record<string, unknown> | string, ageMs = 0): Promise<void> {
  await mkdir(join(dir, '.gphotos'), { recursive: true });
  await writeFile(lockPath, typeof info === 'string' ? info : JSON.stringify(info));
  const t = new Date(Date.now() - ageMs);
  await utimes(lockPath, t, t);
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

it('writes who holds it, refuses a second holder with who/since, and releases idempotently', async () => {
  const lock = await acquireLock(dir, { command: 'sync' });
  const info = JSON.parse(await readFile(lockPath, 'utf8')) as Record<string, unknown>;
  expect(info).toEqual({ pid: process.pid, hostname: hostname(), startedAt: lock.info.startedAt, command: 'sync' });
  const err = (await acquireLock(dir, { command: 'verify' }).catch((e: unknown) => e)) as LockedError;
  expect(err).toBeInstanceOf(LockedError);
  expect(err.message).toContain('`gphotos sync`');
  expect(err.message).toContain(`pid ${process.pid}`);
  expect(err.message).toContain(lock.info.startedAt);
  await lock.release();
  await lock.release();
  await expect(stat(lockPath)).rejects.toThrow();
  const again = await acquireLock(dir, { command: 'sync' });
  await again.release();
});

it('only one of two racing acquirers wins', async () => {
  const results = await Promise.allSettled([acquireLock(dir, { command: 'a' }), acquireLock(dir, { command: 'b' })]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  for (const r of results) if (r.status === 'fulfilled') await r.value.release();
});

it('takes over a lock whose process is gone on this host, and says so', async () => {
  const pid = deadPid();
  await plantLock({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'sync' });
  const warnings: string[] = [];
  const lock = await acquireLock(dir, { command: 'sync', warn: (m) => warnings.push(m) });
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(new RegExp(`stale lock.*pid ${pid}.*process is gone`));
  expect((JSON.parse(await readFile(lockPath, 'utf8')) as { pid: number }).pid).toBe(process.pid);
  expect((await readdir(join(dir, '.gphotos'))).sort()).toEqual(['lock']); // no .stale-* left behind
  await lock.release();
});

it('respects another host until its heartbeat is older than foreignStaleMs', async () => {
  const foreign = { pid: 1, hostname: 'other-host', startedAt: '2026-01-01T00:00:00Z', command: 'sync' };
  await plantLock(foreign, 10 * 60_000);
  await expect(acquireLock(dir, { command: 'sync' })).rejects.toThrow(/pid 1 on other-host/);
  await plantLock(foreign, 2 * 60 * 60_000);
  const warnings: string[] = [];
  const lock = await acquireLock(dir, { command: 'sync', warn: (m) => warnings.push(m) });
  expect(warnings[0]).toMatch(/no heartbeat for 120 min/);
  await lock.release();
});

it('treats a fresh unreadable lock as being written, an old one as stale', async () => {
  await plantLock('');
  await expect(acquireLock(dir, { command: 'sync' })).rejects.toThrow(LockedError);
  await plantLock('', 60_000);
  const lock = await acquireLock(dir, { command: 'sync' });
  await lock.release();
});

it('the heartbeat refreshes the mtime, and release leaves a lock that another process took over', async () => {
  const lock = await acquireLock(dir, { command: 'sync', heartbeatMs: 20 });
  const old = new Date(Date.now() - 60 * 60_000);
  await utimes(lockPath, old, old);
  await new Promise((r) => setTimeout(r, 80));
  expect(Date.now() - (await stat(lockPath)).mtimeMs).toBeLessThan(5_000);
  await writeFile(lockPath, JSON.stringify({ pid: 42, hostname: 'x', startedAt: 'y', command: 'sync' }));
  await lock.release();
  expect(await readFile(lockPath, 'utf8')).toContain('"pid":42');
});

it('never shows an empty lock, and sweeps the temp files of attempts by dead processes', async () => {
  await mkdir(join(dir, '.gphotos'), { recursive: true });
  const dead = join(dir, `.gphotos/lock.${deadPid()}.deadbeef.tmp`);
  const live = join(dir, `.gphotos/lock.${process.pid}.0badf00d.tmp`);
  await writeFile(dead, '');
  await writeFile(live, '');
  const lock = await acquireLock(dir, { command: 'sync' });
  // The lock appears whole (written to a temp file, then linked): it always names its holder.
  expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid, command: 'sync' });
  const left = await readdir(join(dir, '.gphotos'));
  expect(left).not.toContain(dead.split('/').pop());
  expect(left).toContain(live.split('/').pop()); // a live process may be mid-attempt
  expect(left.filter((n) => n.endsWith('.tmp') && n.startsWith(`lock.${process.pid}.`) && !n.includes('0badf00d'))).toEqual([]);
  await lock.release();
});
