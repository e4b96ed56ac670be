// scanTree on a real temp folder: media files only, no state, views, partial downloads or symlinks.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMediaPath, scanTree, scanTreeOffThread } from '../../src/archive/scan-tree.js';

describe('scanTree', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gphotos-scan-'));
    for (const d of ['2019/03', '.gphotos/damaged/2019/03', 'albums/Trip', 'photos/2020/01']) await mkdir(join(root, d), { recursive: true });
    const files: Record<string, string> = {
      '2019/03/IMG_1.JPG': 'abc',
      '2019/03/clip.mp4': 'abcdef',
      '2019/03/IMG_2.jpg.part': 'x',
      '2019/03/._IMG_1.JPG': 'apple',
      '2019/03/notes.txt': 'n',
      '.gphotos/damaged/2019/03/IMG_1.JPG': 'old',
      'photos/2020/01/b.heic': 'hh',
    };
    for (const [p, text] of Object.entries(files)) await writeFile(join(root, p), text);
    await symlink('../../2019/03/IMG_1.JPG', join(root, 'albums/Trip/IMG_1.JPG'));
    await symlink('IMG_1.JPG', join(root, '2019/03/link.jpg'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('finds media files with their sizes, sorted, and nothing else', async () => {
    const found = await scanTree(root);
    expect(found.map((f) => [f.path, f.size])).toEqual([
      ['2019/03/IMG_1.JPG', 3],
      ['2019/03/clip.mp4', 6],
      ['photos/2020/01/b.heic', 2],
    ]);
    expect(found[0]!.mtimeMs).toBeGreaterThan(0);
  });

  it('a foreign folder keeps albums/ (only an archive uses it for views)', async () => {
    expect((await scanTree(join(root, 'albums'), { archive: false })).map((f) => f.path)).toEqual([]);
    expect((await scanTree(root, { archive: false })).map((f) => f.path)).toContain('.gphotos/damaged/2019/03/IMG_1.JPG');
  });

  it('knows media extensions in any case', () => {
    expect(['a.JPG', 'b.heic', 'c.MOV', 'd.mp4'].every(isMediaPath)).toBe(true);
    expect(['a.txt', 'jpg', 'dir.jpg/readme', 'x.json'].some(isMediaPath)).toBe(false);
  });
});

describe('scanTreeOffThread', () => {
  it('gives what scanTree gives (on this thread when no compiled worker exists, as under vitest)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'gphotos-scan-off-'));
    try {
      await mkdir(join(root, '2019/03'), { recursive: true });
      await mkdir(join(root, 'x.part'), { recursive: true });
      await writeFile(join(root, '2019/03/a.jpg'), 'abc');
      await writeFile(join(root, 'x.part/b.jpg'), 'abc');
      expect(await scanTreeOffThread(root)).toEqual(await scanTree(root));
      expect((await scanTree(root)).map((f) => f.path)).toEqual(['2019/03/a.jpg']);
      await expect(scanTreeOffThread(join(root, 'nope'))).rejects.toThrow(/Cannot scan/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
