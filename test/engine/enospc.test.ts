// A full disk stops the run with a LocalError that says what to do, leaves no half-written file and a manifest that
// claims only files that are there; after space is freed the same run completes. The archive lives on a small
// tmpfs this test mounts (it needs root: it fails, never skips, when it cannot mount).
import { execFileSync } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalError } from '../../src/errors.js';
import { memorySource } from '../helpers/memory-source.js';
import { tempDir } from '../helpers/takeout-fixture.js';
import { expectComplete, manifestOf, partFiles, plainItems, sync } from './run.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let disk: string;
let mounted = false;

function mount(args: string[]): void {
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? String(e);
    throw new Error(`This test mounts a tmpfs to fill a disk and needs root (CAP_SYS_ADMIN): \`mount ${args.join(' ')}\` failed: ${stderr}`);
  }
}

beforeEach(async () => {
  tmp = await tempDir('gphotos-engine-enospc-');
  disk = join(tmp.dir, 'disk');
  await mkdir(disk);
  mount(['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk]);
  mounted = true;
});
afterEach(async () => {
  if (mounted) execFileSync('umount', [disk]);
  mounted = false;
  await tmp.cleanup();
});

describe.each(['random', 'stream'] as const)('a full disk under a %s source', (access) => {
  it('stops with a LocalError, keeps the archive consistent, and a re-run after freeing space completes', async () => {
    const archive = join(disk, 'archive');
    // 3.2 MB of photos for a 2 MiB disk.
    const items = plainItems(8, 400_000);
    const error: unknown = await sync(archive, memorySource({ access, items }), { transfers: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof LocalError)) throw new Error(`expected a LocalError, got ${String(error)}`);
    expect(error.message).toMatch(/ENOSPC/);
    expect(error.hint).toMatch(/Free some space.*run the same command again/);
    expect(await partFiles(archive)).toEqual([]);
    // Whatever the manifest claims is on disk, whole.
    const recorded = await manifestOf(archive);
    expect(recorded.length).toBeLessThan(items.length);
    for (const m of recorded) expect((await stat(join(archive, m.path))).size).toBe(m.size);

    mount(['-o', 'remount,size=64m', disk]);
    const again = await sync(archive, memorySource({ access, items }));
    expect(again.outcome.summary).toMatchObject({ downloaded: items.length - recorded.length, failed: 0 });
    await expectComplete(archive, items);
  });
});
