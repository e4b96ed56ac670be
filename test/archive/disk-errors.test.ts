// A full disk, an immutable file or a read-only mount while the manifest is written is a LocalError (exit 5)
// that says what to do, never a raw errno (exit 70 "internal error"), and loses nothing acknowledged.
// Real file systems: a small tmpfs for ENOSPC, `chattr +i` on ext4 for EPERM, a read-only bind mount for EROFS.
// The tests run as root; if a mount is impossible they fail (they are never skipped).
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/archive/lock.js';
import { ManifestStore, manifestPaths } from '../../src/archive/manifest-store.js';
import { LocalError } from '../../src/errors.js';
import { CLI, ROOT, assertBuilt } from '../helpers/cli.js';
import { rejection } from '../helpers/rejection.js';
import { itemFor } from './fixtures/manifest-item.js';

function sh(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (these tests need root and mount/chattr): ${String((e as { stderr?: unknown }).stderr ?? e)}`);
  }
}

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'gphotos-disk-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

/** Fill the file system holding `dir` until ENOSPC; returns the filler to remove. */
async function fill(dir: string): Promise<string> {
  const filler = join(dir, 'filler');
  const fh = await open(filler, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) await fh.write(block);
  } catch (e) {
    expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    await fh.close();
  }
  return filler;
}

describe('ENOSPC on a 1 MB tmpfs', () => {
  let mnt: string;
  beforeAll(async () => {
    mnt = join(home, 'tmpfs');
    await mkdir(mnt);
    sh('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  });
  afterAll(() => sh('umount', ['-l', mnt]));

  it('a compaction that cannot write manifest.json says to free space; after that, nothing is lost', async () => {
    const archive = join(mnt, 'a');
    const s = await ManifestStore.open(archive, { compactEvery: 1_000_000 });
    await Promise.all(Array.from({ length: 300 }, (_, i) => s.put(itemFor(i))));
    const filler = await fill(mnt);
    const e = await rejection(s.compact());
    expect(e).toBeInstanceOf(LocalError);
    expect(e.message).toBe(`Cannot rewrite ${manifestPaths(archive).manifest}: ENOSPC: no space left on device, write`);
    expect(e.hint).toMatch(/disk .* is full: free some space/);
    const appended = await rejection(Promise.all(Array.from({ length: 50 }, (_, i) => s.put(itemFor(1000 + i)))));
    expect(appended.message).toContain(`Cannot write ${manifestPaths(archive).journal}: ENOSPC`);
    expect(appended.hint).toMatch(/free some space/);
    await s.close().catch(() => undefined);
    await rm(filler);
    const t = await ManifestStore.open(archive);
    expect(t.size).toBe(300); // every acknowledged put, none of the refused ones (their short write was cut)
    await t.compact();
    await t.close();
  });
});

describe('EPERM: an immutable manifest.json (chattr +i on ext4)', () => {
  it('compaction refuses with a permission hint; once the flag is cleared it completes', async () => {
    const archive = join(home, 'immutable');
    const s = await ManifestStore.open(archive);
    await s.put(itemFor(1));
    const { manifest, journal } = manifestPaths(archive);
    sh('chattr', ['+i', manifest]);
    try {
      const e = await rejection(s.compact());
      expect(e.message).toBe(`Cannot rewrite ${manifest}: EPERM: operation not permitted, rename '${e.message.match(/rename '([^']+)'/)?.[1]}' -> '${manifest}'`);
      expect(e.hint).toMatch(/Permission denied: .*lsattr/);
      sh('chattr', ['+i', journal]);
      await s.close().catch(() => undefined);
      const opened = await rejection(ManifestStore.open(archive));
      expect(opened.message).toContain(`${journal}: EPERM`);
      assertBuilt();
      const r = await execa(process.execPath, [CLI, 'rebuild', archive, '--force'], { reject: false, cwd: ROOT });
      expect(r.exitCode).toBe(5); // keeping the damaged manifest aside is a rename of an immutable file
      expect(String(r.stderr)).toContain(`Cannot keep aside ${manifest}: EPERM`);
    } finally {
      sh('chattr', ['-i', manifest]);
      sh('chattr', ['-i', journal]);
    }
    const t = await ManifestStore.open(archive);
    expect(t.size).toBe(1);
    await t.close();
  });
});

describe('EROFS: an archive on a read-only bind mount', () => {
  let ro: string;
  let archive: string;
  beforeAll(async () => {
    archive = join(home, 'rw');
    await (await ManifestStore.open(archive)).close();
    ro = join(home, 'ro');
    await mkdir(ro);
    sh('mount', ['--bind', archive, ro]);
    sh('mount', ['-o', 'remount,bind,ro', ro]);
  });
  afterAll(() => sh('umount', ['-l', ro]));

  it('taking the lock says the file system is read-only; a read-only open still works', async () => {
    const e = await rejection(acquireLock(ro, { command: 'test' }));
    expect(e.message).toContain(`Cannot create ${join(ro, '.gphotos/lock')}: EROFS`);
    expect(e.hint).toMatch(/read-only file system: remount it read-write/);
    await expect(ManifestStore.open(ro)).rejects.toThrow(/EROFS/);
    await (await ManifestStore.open(ro, { readOnly: true })).close();
  });

  it('the built CLI exits 5 with that hint, not 70', async () => {
    assertBuilt();
    const r = await execa(process.execPath, [CLI, 'rebuild', ro, '--force'], { reject: false, cwd: ROOT });
    expect(r.exitCode).toBe(5);
    expect(String(r.stderr)).toContain('read-only file system');
    await writeFile(join(archive, 'probe'), 'the real folder stays writable'); // the bind mount did not leak
  });
});
