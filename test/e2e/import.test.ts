// `gphotos import` run as a user would: the built binary on a Takeout zip, text and --json output, exit codes.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { archiveFiles, assertBuilt, events, gphotos, summaryOf } from '../helpers/cli.js';
import { GP, albumJson, sidecarJson, tempDir, writeZip } from '../helpers/takeout-fixture.js';

const env = { ...(process.env as Record<string, string>), NODE_ENV: 'production' };
let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(() => assertBuilt());
beforeEach(async () => {
  tmp = await tempDir('gphotos-e2e-import-');
});
afterEach(async () => {
  await tmp.cleanup();
});

async function takeout(extra: { path: string; data: string | Buffer }[] = []): Promise<string> {
  const zip = join(tmp.dir, 'takeout-20260101T000000Z-001.zip');
  const photo = makeJpeg({ width: 32, height: 32, seed: 1 });
  await writeZip(zip, [
    { path: `${GP}/Photos from 2019/IMG_1.jpg`, data: photo },
    { path: `${GP}/Photos from 2019/IMG_1.jpg.supplemental-metadata.json`, data: sidecarJson({ title: 'IMG_1.jpg', takenSec: 1_552_135_320, url: 'https://photos.google.com/photo/1' }) },
    { path: `${GP}/Summer/metadata.json`, data: albumJson('Summer: best/of') },
    { path: `${GP}/Summer/IMG_1.jpg`, data: photo },
    { path: `${GP}/Summer/IMG_1.jpg.supplemental-metadata.json`, data: sidecarJson({ title: 'IMG_1.jpg', takenSec: 1_552_135_320, url: 'https://photos.google.com/photo/1' }) },
    ...extra,
  ]);
  return zip;
}

describe('gphotos import', () => {
  it('imports a Takeout zip with --json, ending with a summary, and links the album under a safe name', async () => {
    const archive = join(tmp.dir, 'Photos');
    const r = await gphotos(['import', archive, await takeout(), '--json', '--tz', 'UTC'], env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(summaryOf(r.stdout)).toMatchObject({ imported: 1, duplicates: 1, failed: 0 });
    expect(events(r.stdout).map((e) => e.event)).toContain('indexed');
    expect(await archiveFiles(archive)).toEqual(['2019/03/IMG_1.jpg']);
    expect((await lstat(join(archive, 'albums/Summer_ best_of/IMG_1.jpg'))).isSymbolicLink()).toBe(true);

    const again = await gphotos(['import', archive, join(tmp.dir, 'takeout-20260101T000000Z-001.zip')], env);
    expect(again.exitCode).toBe(0);
    // Decided by the manifest and the disk: the photo is present, its album copy is the same photo.
    expect(String(again.stdout)).toMatch(/imported\s+0 /);
    expect(String(again.stdout)).toMatch(/duplicates skipped\s+2/);
  });

  it('prints a dry run and exits 1 when the archive holds refused entries', async () => {
    const archive = join(tmp.dir, 'Photos');
    const zip = await takeout([{ path: '../../escape.jpg', data: makeJpeg({ width: 8, height: 8, seed: 2 }) }]);
    const dry = await gphotos(['import', archive, zip, '--dry-run', '--albums', 'none'], env);
    expect(String(dry.stdout)).toMatch(/Dry run/);
    expect(String(dry.stdout)).toMatch(/would import: .*IMG_1\.jpg/);
    expect(String(dry.stderr)).toMatch(/unsafe-path/);
    const r = await gphotos(['import', archive, zip, '--albums', 'none'], env);
    expect(r.exitCode).toBe(1);
    expect(String(r.stdout)).toMatch(/imported\s+1/);
    expect(await archiveFiles(archive)).toEqual(['2019/03/IMG_1.jpg']);
  });

  it('refuses an input that is not a Takeout archive with a usage error', async () => {
    const r = await gphotos(['import', join(tmp.dir, 'Photos'), join(tmp.dir, 'nope.rar')], env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/Takeout/);
  });
});
