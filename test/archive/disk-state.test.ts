import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { statManifestPaths } from '../../src/archive/disk-state.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gphotos-disk-'));
  await mkdir(join(dir, '2019/03'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('stats regular files; missing, folders, symlinks and paths under a file are undefined', async () => {
  await writeFile(join(dir, '2019/03/a.jpg'), 'hello');
  const t = new Date('2019-03-09T12:42:00Z');
  await utimes(join(dir, '2019/03/a.jpg'), t, t);
  await symlink('a.jpg', join(dir, '2019/03/link.jpg'));
  const paths = ['2019/03/a.jpg', '2019/03/missing.jpg', '2019/03', '2019/03/link.jpg', '2019/03/a.jpg/under', '2019/03/a.jpg'];
  const m = await statManifestPaths(dir, paths);
  expect([...m.keys()]).toHaveLength(5);
  expect(m.get('2019/03/a.jpg')).toEqual({ path: '2019/03/a.jpg', size: 5, mtimeMs: t.getTime() });
  for (const p of paths.slice(1, 5)) {
    expect(m.has(p)).toBe(true);
    expect(m.get(p)).toBeUndefined();
  }
});

it('gives the same answer at any concurrency', async () => {
  const paths: string[] = [];
  for (let i = 0; i < 300; i++) {
    if (i % 3 !== 0) await writeFile(join(dir, `2019/03/${i}.jpg`), 'x'.repeat(i));
    paths.push(`2019/03/${i}.jpg`);
  }
  const one = await statManifestPaths(dir, paths, 1);
  const many = await statManifestPaths(dir, paths, 64);
  expect(many).toEqual(one);
  expect([...one.values()].filter((v) => v !== undefined)).toHaveLength(200);
});
