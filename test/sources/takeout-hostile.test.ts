// Hostile and damaged input: zip slip, bombs, corrupt and truncated archives (zip and tgz), bad sidecars.
import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { DEFAULT_LIMITS } from '../../src/sources/takeout/input.js';
import { GP, importInto, sidecarJson, tempDir, writeTgz, writeZip, zipBytes, type FixtureFile } from '../helpers/takeout-fixture.js';

const sec = (iso: string): number => Date.parse(iso) / 1000;
const jpeg = (seed: number, dto?: string): Buffer => makeJpeg({ width: 24, height: 24, seed, ...(dto === undefined ? {} : { dateTimeOriginal: dto }) });
const Y = `${GP}/Photos from 2019`;

function photos(n: number): FixtureFile[] {
  return Array.from({ length: n }, (_, i) => [
    { path: `${Y}/P${i}.jpg`, data: jpeg(100 + i) },
    { path: `${Y}/P${i}.jpg.supplemental-metadata.json`, data: sidecarJson({ title: `P${i}.jpg`, takenSec: sec('2019-04-01T10:00:00Z') + i, url: `https://photos.google.com/photo/p${i}` }) },
  ]).flat();
}

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('hostile archives', () => {
  it('refuses zip-slip names and reports them, importing the rest', async () => {
    const zip = join(tmp.dir, 'slip.zip');
    const evil = jpeg(1);
    await writeZip(zip, [
      ...photos(1),
      { path: '../evil.jpg', data: evil },
      { path: '/abs/evil.jpg', data: evil },
      { path: 'C:/evil.jpg', data: evil },
      { path: `${Y}/../../../../evil2.jpg`, data: evil },
    ]);
    const archive = join(tmp.dir, 'deep/archive');
    const { summary, events } = await importInto(archive, [zip]);
    expect(summary).toMatchObject({ imported: 1, archiveProblems: 4 });
    expect(events.filter((e) => e.event === 'problem').map((e) => (e as { reason: string }).reason)).toEqual(Array(4).fill('unsafe-path'));
    expect(await readdir(join(tmp.dir, 'deep'))).toEqual(['archive']);
    expect(await readdir(tmp.dir)).not.toContain('evil.jpg');
  });

  it('stops bomb entries (absurd ratio or over the size cap) and keeps going', async () => {
    const zip = join(tmp.dir, 'bomb.zip');
    await writeFile(zip, zipBytes([...photos(2), { path: `${Y}/bomb.jpg`, data: Buffer.alloc(32 << 20) }], { deflate: true }));
    const { summary, events } = await importInto(join(tmp.dir, 'a'), [zip]);
    expect(summary).toMatchObject({ imported: 2, archiveProblems: 1 });
    expect(events.find((e) => e.event === 'problem')).toMatchObject({ reason: 'bomb', entry: `${Y}/bomb.jpg` });

    // Photos of ~700 bytes are over a 600-byte cap, their sidecars are not.
    const capped = await importInto(join(tmp.dir, 'b'), [zip], { limits: { ...DEFAULT_LIMITS, maxEntryBytes: 600 } });
    expect(capped.summary).toMatchObject({ imported: 0, archiveProblems: 3 });
  });

  it('imports what a corrupt zip still holds, reports the damage, and a rerun with the fixed zip completes', async () => {
    const zip = join(tmp.dir, 'takeout.zip');
    const good = zipBytes(photos(3));
    const bad = Buffer.from(good);
    const at = bad.indexOf(jpeg(101).subarray(200, 216)); // inside P1.jpg's stored bytes
    bad[at] = (bad[at] ?? 0) ^ 0xff;
    await writeFile(zip, bad);
    const archive = join(tmp.dir, 'archive');
    const first = await importInto(archive, [zip]);
    expect(first.summary).toMatchObject({ imported: 2, failed: 1, archiveProblems: 1 });
    expect(first.summary.failures[0]?.error).toMatch(/CRC-32/);

    await writeFile(zip, good);
    const second = await importInto(archive, [zip]);
    expect(second.summary).toMatchObject({ imported: 1, failed: 0, duplicates: 2 });
    expect(await readFile(join(archive, '2019/04/P1.jpg'))).toEqual(jpeg(101));
  });

  it('streams large stored entries in reused chunks byte-exact, and catches a flipped bit in a later chunk', async () => {
    // Entries of several 512 KiB read chunks, read 16 at a time through the lent buffers of zip-input.ts.
    const big = Array.from({ length: 20 }, (_, i) => Buffer.concat([jpeg(300 + i, '2019:04:01 10:00:00'), Buffer.alloc(1_300_000 + i * 7919, i + 1)]));
    const files: FixtureFile[] = big.map((data, i) => ({ path: `${Y}/B${i}.jpg`, data }));
    const zip = join(tmp.dir, 'big.zip');
    const good = zipBytes(files);
    const bad = Buffer.from(good);
    const at = bad.indexOf(big[5] ?? Buffer.alloc(1)) + 900_000; // B5.jpg's whole bytes are unique; flip one in its second chunk
    bad[at] = (bad[at] ?? 0) ^ 0x01;
    await writeFile(zip, bad);
    const archive = join(tmp.dir, 'archive');
    const { summary } = await importInto(archive, [zip], { transfers: 16 });
    expect(summary).toMatchObject({ imported: 19, failed: 1, archiveProblems: 1 });
    expect(summary.failures[0]?.error).toMatch(/B5\.jpg.*CRC-32/);
    for (const [i, data] of big.entries()) {
      if (i === 5) continue;
      expect((await readFile(join(archive, `2019/04/B${i}.jpg`))).equals(data)).toBe(true);
    }
  });

  it('reads a truncated zip (no central directory) up to the cut', async () => {
    const zip = join(tmp.dir, 'cut.zip');
    const whole = zipBytes(photos(4));
    await writeFile(zip, whole);
    const cutAt = whole.indexOf(Buffer.from('P3.jpg.supplemental')) - 10;
    await truncate(zip, cutAt);
    const archive = join(tmp.dir, 'archive');
    const first = await importInto(archive, [zip]);
    expect(first.summary.imported).toBeGreaterThanOrEqual(3);
    expect(first.summary.archiveProblems).toBeGreaterThan(0);
    await writeFile(zip, whole);
    const second = await importInto(archive, [zip]);
    expect(first.summary.imported + second.summary.imported).toBe(4);
    expect(second.summary.failed).toBe(0);
  });

  it('falls back to EXIF when a sidecar is malformed, and reports it', async () => {
    const zip = join(tmp.dir, 't.zip');
    await writeZip(zip, [
      { path: `${Y}/X.jpg`, data: jpeg(7, '2017:08:09 10:11:12') },
      { path: `${Y}/X.jpg.json`, data: '{"title": "X.jpg", "photoTakenTime": {' },
    ]);
    const { summary, events } = await importInto(join(tmp.dir, 'a'), [zip]);
    expect(summary).toMatchObject({ imported: 1, badSidecars: 1 });
    expect(events.find((e) => e.event === 'imported')).toMatchObject({ path: '2017/08/X.jpg', dateSource: 'exif' });
  });
});

describe('tgz exports', () => {
  it('imports a .tgz like a zip, sidecars first, then media in one more pass; a re-import finds everything present', async () => {
    const tgz = join(tmp.dir, 'takeout-001.tgz');
    await writeTgz(tgz, [...photos(3), { path: `${GP}/Photos from 2020/IMG-edited.jpg`, data: jpeg(9) }, { path: `${GP}/Photos from 2020/IMG.jpg`, data: jpeg(8) },
      { path: `${GP}/Photos from 2020/IMG.jpg.json`, data: sidecarJson({ title: 'IMG.jpg', takenSec: sec('2020-02-02T12:00:00Z') }) }]);
    const archive = join(tmp.dir, 'archive');
    const { summary, events } = await importInto(archive, [tgz]);
    expect(summary).toMatchObject({ imported: 5, failed: 0, archiveProblems: 0 });
    expect(events.flatMap((e) => (e.event === 'imported' ? [e.path] : [])).sort()).toEqual([
      '2019/04/P0.jpg', '2019/04/P1.jpg', '2019/04/P2.jpg', '2020/02/IMG-edited.jpg', '2020/02/IMG.jpg',
    ]);
    const again = await importInto(archive, [tgz]);
    expect(again.summary).toMatchObject({ imported: 0, duplicates: 5, failed: 0 });
  });

  it('imports what a truncated .tgz holds and reports the damage', async () => {
    const tgz = join(tmp.dir, 'cut.tgz');
    const big = Array.from({ length: 6 }, (_, i) => ({ path: `${Y}/R${i}.jpg`, data: makeJpeg({ width: 256, height: 256, seed: 500 + i, dateTimeOriginal: '2019:01:01 00:00:00' }) }));
    await writeTgz(tgz, big);
    await truncate(tgz, Math.floor((await stat(tgz)).size * 0.6));
    const { summary } = await importInto(join(tmp.dir, 'a'), [tgz]);
    expect(summary.archiveProblems).toBeGreaterThan(0);
    expect(summary.imported).toBeGreaterThan(0);
    expect(summary.imported).toBeLessThan(6);
  });
});
