// The folder watches of `gphotos watch` (src/watch/local-watch.ts) on a real temp tree.
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdleGc } from '../../src/watch/idle-gc.js';
import { watchArchive, type LocalWatch } from '../../src/watch/local-watch.js';

describe('local-watch', () => {
  let root: string;
  let w: LocalWatch | undefined;
  const errors: unknown[] = [];
  const seen = new Set<string>();

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'gphotos-localwatch-'));
    await mkdir(join(root, '2024/05'), { recursive: true });
    await mkdir(join(root, '.gphotos'), { recursive: true });
    await mkdir(join(root, 'albums/Trip'), { recursive: true });
    await writeFile(join(root, '2024/05/a.jpg'), 'a');
    errors.length = 0;
    seen.clear();
  });
  afterEach(async () => {
    await w?.close();
    w = undefined;
    await rm(root, { recursive: true, force: true });
  });

  /** Drain until `pred` holds on everything drained so far (events arrive asynchronously). */
  async function until(pred: (s: Set<string>) => boolean, what: string): Promise<Set<string>> {
    const end = Date.now() + 5000;
    for (;;) {
      for (const p of w!.drain()) seen.add(p);
      if (pred(seen)) return seen;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; saw ${JSON.stringify([...seen])}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('reports files created, written and deleted in any folder, by archive path, and skips what it does not look after', async () => {
    let changes = 0;
    w = watchArchive(root, () => changes++, (e) => errors.push(e));
    await w.ready;
    await writeFile(join(root, '.gphotos/manifest.json'), '{}');
    await writeFile(join(root, 'albums/Trip/x.jpg'), 'x');
    await writeFile(join(root, '2024/05/b.jpg.gphotos.part'), 'p');
    await writeFile(join(root, '2024/05/b.jpg'), 'b');
    await rm(join(root, '2024/05/a.jpg'));
    await writeFile(join(root, 'top.txt'), 't');
    const s = await until((x) => x.has('2024/05/b.jpg') && x.has('2024/05/a.jpg') && x.has('top.txt'), 'the changes');
    expect([...s].filter((p) => p.startsWith('.gphotos') || p.startsWith('albums') || p.endsWith('.part'))).toEqual([]);
    expect(changes).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('watches folders made, moved in or renamed after it started, and notes a folder removed as a whole', async () => {
    w = watchArchive(root, () => {}, (e) => errors.push(e));
    await w.ready;
    await mkdir(join(root, '2025/01'), { recursive: true });
    await until((x) => x.has('2025'), 'the new folder');
    // Its sub-folder may have been made before the new folder's watch: it is found by listing, then watched.
    await new Promise((r) => setTimeout(r, 100));
    await writeFile(join(root, '2025/01/c.jpg'), 'c');
    await until((x) => x.has('2025/01/c.jpg'), 'a file in a folder made after start');

    const outside = await mkdtemp(join(tmpdir(), 'gphotos-localwatch-out-'));
    await mkdir(join(outside, 'in/deep'), { recursive: true });
    await rename(join(outside, 'in'), join(root, '2024/in'));
    await rm(outside, { recursive: true, force: true });
    await until((x) => x.has('2024/in'), 'the folder moved in');
    await new Promise((r) => setTimeout(r, 100));
    await writeFile(join(root, '2024/in/deep/d.jpg'), 'd');
    await until((x) => x.has('2024/in/deep/d.jpg'), 'a file in a folder moved in');

    await rename(join(root, '2024/in'), join(root, '2024/renamed'));
    await until((x) => x.has('2024/renamed'), 'the renamed folder');
    await new Promise((r) => setTimeout(r, 100));
    seen.clear();
    await writeFile(join(root, '2024/renamed/deep/e.jpg'), 'e');
    const s = await until((x) => x.has('2024/renamed/deep/e.jpg'), 'a file under its new name');
    expect(s.has('2024/in/deep/e.jpg')).toBe(false);

    await rm(join(root, '2024/05'), { recursive: true });
    await until((x) => x.has('2024/05'), 'the removed folder');
    expect(errors).toEqual([]);
  });

  it('makes a missing archive folder and watches it', async () => {
    const fresh = join(root, 'not-yet');
    w = watchArchive(fresh, () => {}, (e) => errors.push(e));
    await w.ready;
    await mkdir(join(fresh, '2024/01'), { recursive: true });
    await until((x) => x.has('2024'), 'the first folder in a new archive');
    await new Promise((r) => setTimeout(r, 100));
    await writeFile(join(fresh, '2024/01/f.jpg'), 'f');
    await until((x) => x.has('2024/01/f.jpg'), 'a file in it');
    expect(errors).toEqual([]);
  });

  it('does not follow symlinks and forgets what our own cycle changed', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'gphotos-localwatch-link-'));
    try {
      await symlink(outside, join(root, '2024/link'));
      w = watchArchive(root, () => {}, (e) => errors.push(e));
      await w.ready;
      await writeFile(join(outside, 'o.jpg'), 'o');
      await writeFile(join(root, '2024/05/ours.jpg'), 'x');
      await writeFile(join(root, '2024/05/theirs.jpg'), 'y');
      await until((x) => x.has('2024/05/ours.jpg') && x.has('2024/05/theirs.jpg'), 'both files');
      expect(seen.has('2024/link/o.jpg')).toBe(false);
      await writeFile(join(root, '2024/05/ours.jpg'), 'xx');
      await new Promise((r) => setTimeout(r, 200));
      w.forget(['2024/05/ours.jpg']);
      expect(w.drain().has('2024/05/ours.jpg')).toBe(false);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('collects idle garbage only when there is a lot of it', () => {
    const gc = new IdleGc();
    gc.collect();
    expect(gc.collect()).toBe(false); // nothing since the last collection
    let junk: Array<{ i: number; s: string }> | undefined = Array.from({ length: 1_500_000 }, (_, i) => ({ i, s: `item ${i}` }));
    const used = getHeapStatistics().used_heap_size;
    expect(junk.length).toBe(1_500_000);
    junk = undefined;
    expect(gc.collect()).toBe(true);
    expect(getHeapStatistics().used_heap_size).toBeLessThan(used - 50 * 1024 * 1024);
    expect(junk).toBeUndefined();
  });
});
