import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { relPathProblem, resolveInside } from '../../src/archive/paths.js';
import { LocalError } from '../../src/errors.js';

let base: string;
let root: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'gphotos-paths-'));
  root = join(base, 'Photos');
  await mkdir(join(root, '2019/03'), { recursive: true });
  await mkdir(join(base, 'outside'), { recursive: true });
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveInside', () => {
  it('joins safe relative paths, existing or not', () => {
    expect(resolveInside(root, '2019/03/IMG_1.jpg')).toBe(join(root, '2019/03/IMG_1.jpg'));
    expect(resolveInside(root, '2031/12/new.jpg')).toBe(join(root, '2031/12/new.jpg'));
    expect(resolveInside(root, 'albums/Trip to Rome/..hidden..jpg')).toBe(join(root, 'albums/Trip to Rome/..hidden..jpg'));
    expect(resolveInside(join(base, 'not-yet'), 'a/b.jpg')).toBe(join(base, 'not-yet/a/b.jpg'));
  });

  it.each([
    ['', /empty/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/x.jpg', /absolute/],
    ['../outside/x.jpg', /'\.\.'/],
    ['2019/../../x.jpg', /'\.\.'/],
    ['2019/03/..', /'\.\.'/],
    ['./x.jpg', /'\.'/],
    ['2019//x.jpg', /empty segment/],
    ['2019/03/', /empty segment/],
    ['2019\\..\\..\\x.jpg', /backslash/],
    ['2019/03/x\0.jpg', /NUL/],
  ])('refuses %j', (rel, why) => {
    expect(() => resolveInside(root, rel)).toThrow(LocalError);
    expect(relPathProblem(rel)).toMatch(why);
  });

  it('refuses a month folder that is a symlink pointing outside the archive', async () => {
    await symlink(join(base, 'outside'), join(root, '2019/04'));
    expect(() => resolveInside(root, '2019/04/IMG_1.jpg')).toThrow(/resolves outside the archive/);
    expect(() => resolveInside(root, '2019/04/new/deeper.jpg')).toThrow(/resolves outside the archive/);
  });

  it('still refuses a folder replaced by an outside symlink after the root was resolved once (the root realpath is cached)', async () => {
    expect(resolveInside(root, '2019/03/IMG_1.jpg')).toBe(join(root, '2019/03/IMG_1.jpg'));
    await rm(join(root, '2019/03'), { recursive: true });
    await symlink(join(base, 'outside'), join(root, '2019/03'));
    expect(() => resolveInside(root, '2019/03/IMG_2.jpg')).toThrow(/resolves outside the archive/);
  });

  it('accepts a root that was moved and relinked mid-run (a refusal re-checks a fresh root)', async () => {
    const link = join(base, 'current');
    await symlink(root, link);
    expect(resolveInside(link, '2019/03/a.jpg')).toBe(join(link, '2019/03/a.jpg'));
    await mkdir(join(base, 'Photos-new/2019/03'), { recursive: true });
    await rm(link);
    await rm(root, { recursive: true });
    await symlink(join(base, 'Photos-new'), link);
    expect(resolveInside(link, '2019/03/b.jpg')).toBe(join(link, '2019/03/b.jpg'));
  });

  it('refuses a sibling whose name merely starts with the root name', async () => {
    await mkdir(join(base, 'Photos2'));
    await symlink(join(base, 'Photos2'), join(root, '2020'));
    expect(() => resolveInside(root, '2020/x.jpg')).toThrow(/resolves outside/);
  });

  it('allows symlinks that stay inside, and a root that is itself a symlink', async () => {
    await symlink(join(root, '2019/03'), join(root, '2019/05'));
    expect(resolveInside(root, '2019/05/x.jpg')).toBe(join(root, '2019/05/x.jpg'));
    await symlink(root, join(base, 'link-to-Photos'));
    expect(resolveInside(join(base, 'link-to-Photos'), '2019/03/x.jpg')).toBe(join(base, 'link-to-Photos/2019/03/x.jpg'));
  });

  it('refuses a dangling symlink folder and a file where a folder should be', async () => {
    await symlink(join(base, 'gone'), join(root, '2018'));
    expect(() => resolveInside(root, '2018/01/x.jpg')).toThrow(/dangling symlink/);
    await writeFile(join(root, '2017'), 'a file');
    expect(() => resolveInside(root, '2017/01/x.jpg')).toThrow(LocalError);
  });
});
