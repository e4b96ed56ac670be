// An import killed at any instant (SIGKILL, a reader that stops reading) and run again ends with every item of its
// inputs in the archive, byte for byte, once, and no .gphotos.part left: what is missing is decided by the manifest
// and the disk, never by a memory of inputs "already imported".
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { CLI, assertBuilt, gphotos, hashIndex, sha256, summaryOf } from '../helpers/cli.js';
import { GP, albumJson, sidecarJson, tempDir, writeZip, type FixtureFile } from '../helpers/takeout-fixture.js';

const env = { ...(process.env as Record<string, string>), NODE_ENV: 'production' };
const ITEMS = 300;

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(() => assertBuilt());
beforeEach(async () => {
  tmp = await tempDir('gphotos-e2e-resume-');
});
afterEach(async () => {
  await tmp.cleanup();
});

/** 300 distinct photos with sidecars over two years, a few in an album, plus names that differ only by case or normalisation. */
function exportFiles(): { files: FixtureFile[]; media: Buffer[] } {
  const files: FixtureFile[] = [];
  const media: Buffer[] = [];
  const names = ['Caf\u00e9.jpg', 'Cafe\u0301.jpg', 'IMG_CASE.jpg', 'img_case.JPG'];
  for (let i = 0; i < ITEMS; i++) {
    const name = i < names.length ? (names[i] as string) : `IMG_${String(i).padStart(4, '0')}.jpg`;
    const takenSec = 1_546_300_800 + i * 86_400 * 2; // from 2019-01-01, every other day
    const year = new Date(takenSec * 1000).getUTCFullYear();
    const data = makeJpeg({ width: 16, height: 16, seed: 1000 + i });
    media.push(data);
    const dir = `${GP}/Photos from ${year}`;
    files.push({ path: `${dir}/${name}`, data });
    files.push({ path: `${dir}/${name}.supplemental-metadata.json`, data: sidecarJson({ title: name, takenSec, url: `https://photos.google.com/photo/p${i}` }) });
    if (i % 50 === 7) {
      files.push({ path: `${GP}/Trip/${name}`, data });
      files.push({ path: `${GP}/Trip/${name}.supplemental-metadata.json`, data: sidecarJson({ title: name, takenSec, url: `https://photos.google.com/photo/p${i}` }) });
    }
  }
  files.push({ path: `${GP}/Trip/metadata.json`, data: albumJson('Trip') });
  return { files, media };
}

async function partFiles(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).filter((p) => String(p).endsWith('.gphotos.part')).map(String);
}

/** Every photo once, byte for byte; the manifest knows each file; nothing else. */
async function expectComplete(archive: string, media: Buffer[]): Promise<void> {
  const index = await hashIndex(archive);
  const missing = media.filter((m) => index.get(sha256(m)) === undefined).length;
  expect(missing, 'photos missing from the archive').toBe(0);
  const twice = [...index.values()].filter((paths) => paths.length > 1);
  expect(twice, 'photos stored twice').toEqual([]);
  expect([...index.values()].flat()).toHaveLength(ITEMS);
  expect(await partFiles(archive)).toEqual([]);
  const m = await ManifestStore.open(archive, { readOnly: true });
  expect(m.size).toBe(ITEMS);
  await m.close();
}

describe('an interrupted import, run again', () => {
  it('completes after SIGKILL at many instants, and after a reader that stops reading (EPIPE)', async () => {
    const { files, media } = exportFiles();
    const zip = join(tmp.dir, 'takeout-20260101T000000Z-001.zip');
    await writeZip(zip, files);

    // Kill after the n-th imported file (0 = while indexing): early, mid-way and near the end.
    for (const n of [0, 1, 7, 40, 120, 290]) {
      const archive = join(tmp.dir, `kill-${n}`);
      const child = execa(process.execPath, [CLI, 'import', archive, zip, '--json', '--transfers', '8'], { reject: false, env, extendEnv: false });
      let seen = 0;
      let killed = false;
      const kill = (): void => {
        if (!killed) child.kill('SIGKILL');
        killed = true;
      };
      if (n === 0) setTimeout(kill, 150);
      child.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString().split('\n').filter((l) => l.includes('"event":"imported"')).length;
        if (seen >= n && n > 0) kill();
      });
      const first = await child;
      expect(first.signal === 'SIGKILL' || first.exitCode === 0).toBe(true);
      const again = await gphotos(['import', archive, zip, '--json', '--transfers', '8'], env);
      expect(again.exitCode, String(again.stderr)).toBe(0);
      expect(summaryOf(again.stdout)).toMatchObject({ failed: 0 });
      await expectComplete(archive, media);
    }

    const piped = join(tmp.dir, 'piped');
    const head = await execa('sh', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} import ${JSON.stringify(piped)} ${JSON.stringify(zip)} | head -2`], {
      reject: false, env, extendEnv: false,
    });
    expect(String(head.stdout).split('\n').filter(Boolean)).toHaveLength(2);
    const after = await gphotos(['import', piped, zip, '--json'], env);
    expect(after.exitCode, String(after.stderr)).toBe(0);
    await expectComplete(piped, media);
  }, 240_000);

  it('counts every media file of the export: imported, plus album copies as duplicates', async () => {
    const { files } = exportFiles();
    const zip = join(tmp.dir, 'takeout.zip');
    await writeZip(zip, files);
    const r = await gphotos(['import', join(tmp.dir, 'archive'), zip, '--json'], env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const s = summaryOf(r.stdout);
    const albumCopies = files.filter((f) => f.path.startsWith(`${GP}/Trip/`) && f.path.endsWith('.jpg')).length;
    expect(s).toMatchObject({ media: ITEMS + albumCopies, imported: ITEMS, duplicates: albumCopies, failed: 0, ambiguous: 0, trashed: 0 });
  });

  it('stops on a full disk with exit 5, and the same import with space completes the archive', async () => {
    // 300 photos of ~26 KiB each (~8 MB) on a 5 MB tmpfs; then the tmpfs is grown.
    const files: FixtureFile[] = [];
    const media: Buffer[] = [];
    for (let i = 0; i < ITEMS; i++) {
      const data = Buffer.concat([makeJpeg({ width: 16, height: 16, seed: 3000 + i }), Buffer.alloc(25_000, i % 251)]);
      media.push(data);
      const name = `F_${String(i).padStart(4, '0')}.jpg`;
      files.push({ path: `${GP}/Photos from 2021/${name}`, data });
      files.push({ path: `${GP}/Photos from 2021/${name}.supplemental-metadata.json`, data: sidecarJson({ title: name, takenSec: 1_609_459_200 + i * 3600, url: `https://photos.google.com/photo/f${i}` }) });
    }
    const zip = join(tmp.dir, 'big.zip');
    await writeZip(zip, files);
    const disk = join(tmp.dir, 'disk');
    await mkdir(disk);
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=5m', 'tmpfs', disk], { reject: false });
    expect(mounted.exitCode, `this test mounts a tmpfs and must run as root: ${String(mounted.stderr)}`).toBe(0);
    try {
      const archive = join(disk, 'Photos');
      const full = await gphotos(['import', archive, zip], env);
      expect(full.exitCode, String(full.stdout) + String(full.stderr)).toBe(5);
      expect(String(full.stderr)).toMatch(/ENOSPC/);
      expect(String(full.stderr)).toMatch(/Free some space/);
      expect(String(full.stderr)).not.toMatch(/This is a bug/);
      await execa('mount', ['-o', 'remount,size=64m', disk]);
      const again = await gphotos(['import', archive, zip, '--json'], env);
      expect(again.exitCode, String(again.stderr)).toBe(0);
      const index = await hashIndex(archive);
      expect(media.filter((m) => index.get(sha256(m)) === undefined)).toHaveLength(0);
      expect([...index.values()].flat()).toHaveLength(ITEMS);
      expect(await partFiles(archive)).toEqual([]);
    } finally {
      await execa('umount', [disk], { reject: false });
    }
  }, 120_000);
});
