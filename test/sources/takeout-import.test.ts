// runImport against real Takeout-shaped exports (folders and zips split in parts) in temp directories.
import { lstat, readFile, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { makeMp4 } from '../../src/emulator/media/mp4.js';
import { GP, albumJson, importInto, manifestItems, sidecarJson, tempDir, writeTree, writeZip, type FixtureFile } from '../helpers/takeout-fixture.js';

const sec = (iso: string): number => Date.parse(iso) / 1000;

const img1 = makeJpeg({ width: 64, height: 48, seed: 1, dateTimeOriginal: '2019:03:09 21:42:00', offsetTimeOriginal: '+09:00' });
const img2 = makeJpeg({ width: 64, height: 48, seed: 2 });
const vid3 = makeMp4({ creationTime: new Date('2020-06-01T10:00:00Z'), seed: 3 });
const pxl = makeJpeg({ width: 32, height: 32, seed: 4 });
const img4 = makeJpeg({ width: 32, height: 32, seed: 5, dateTimeOriginal: '2018:05:06 07:08:09' });
const rnd = makeJpeg({ width: 16, height: 16, seed: 6 });
const trash = makeJpeg({ width: 16, height: 16, seed: 7 });
const URL1 = 'https://photos.google.com/photo/AF1Qip-one';

/** Media of 2019 in part 1; their sidecars and everything else in part 2 (sidecars cross archives). */
function exportParts(): [FixtureFile[], FixtureFile[]] {
  const y19 = `${GP}/Photos from 2019`;
  const part1: FixtureFile[] = [
    { path: `${y19}/IMG_0001.jpg`, data: img1 },
    { path: `${y19}/IMG_0002.jpg`, data: img2 },
    { path: `${GP}/archive_browser.html`, data: '<html></html>' },
  ];
  const part2: FixtureFile[] = [
    {
      path: `${y19}/IMG_0001.jpg.json`,
      data: sidecarJson({ title: 'IMG_0001.jpg', takenSec: sec('2019-03-09T12:42:00Z'), url: URL1, description: 'Colosseum', geo: { latitude: 41.89, longitude: 12.49 }, favorited: true, people: ['Ada'] }),
    },
    { path: `${y19}/IMG_0002.jpg.supplemental-metadata.json`, data: sidecarJson({ title: 'IMG_0002.jpg', takenSec: sec('2019-12-31T23:30:00Z') }) },
    { path: `${GP}/Fotos von 2020/VID_0003.mp4`, data: vid3 },
    { path: `${GP}/Fotos von 2020/VID_0003.mp4.supplemental-metadata.json`, data: sidecarJson({ title: 'VID_0003.mp4', takenSec: sec('2020-06-01T10:00:00Z') }) },
    { path: `${GP}/Trip to Rome/metadata.json`, data: albumJson('Trip to Rome') },
    { path: `${GP}/Trip to Rome/IMG_0001.jpg`, data: img1 },
    { path: `${GP}/Trip to Rome/IMG_0001.jpg.json`, data: sidecarJson({ title: 'IMG_0001.jpg', takenSec: sec('2019-03-09T12:42:00Z'), url: URL1 }) },
    { path: `${GP}/Photos from 2021/PXL_20210704_101010123.jpg`, data: pxl },
    { path: `${GP}/Photos from 2021/IMG_0004.jpg`, data: img4 },
    { path: `${GP}/Photos from 2022/random.jpg`, data: rnd },
    { path: `${GP}/Trash/IMG_9999.jpg`, data: trash },
    { path: `${GP}/Trash/IMG_9999.jpg.json`, data: sidecarJson({ title: 'IMG_9999.jpg', takenSec: sec('2022-01-01T00:00:00Z'), trashed: true }) },
    { path: `${GP}/print-subscriptions.json`, data: '[]' },
  ];
  return [part1, part2];
}

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

describe.each(['zip', 'folder'] as const)('import of a split export (%s)', (kind) => {
  async function inputs(): Promise<string[]> {
    const parts = exportParts();
    const out: string[] = [];
    for (const [i, files] of parts.entries()) {
      if (kind === 'zip') {
        const file = join(tmp.dir, `takeout-${i + 1}.zip`);
        await writeZip(file, files, { deflate: i === 1 });
        out.push(file);
      } else {
        const dir = join(tmp.dir, `extracted-${i + 1}`);
        await writeTree(dir, files);
        out.push(dir);
      }
    }
    return out;
  }

  it('files each item once in its month, with sidecar dates and metadata, and a re-import adds nothing', async () => {
    const archive = join(tmp.dir, 'archive');
    const ins = await inputs();
    const { summary, events } = await importInto(archive, ins);
    expect(summary).toMatchObject({ imported: 6, duplicates: 1, trashed: 1, unknownDate: 1, failed: 0, archiveProblems: 0, upgraded: 0, albumLinks: 1 });
    const paths = events.flatMap((e) => (e.event === 'imported' ? [e.path] : [])).sort();
    expect(paths).toEqual([
      '2018/05/IMG_0004.jpg', // EXIF, no sidecar
      '2019/03/IMG_0001.jpg', // sidecar UTC 12:42 + EXIF offset +09:00
      '2020/01/IMG_0002.jpg', // sidecar 2019-12-31T23:30Z is 00:30 on New Year in Rome (--tz)
      '2020/06/VID_0003.mp4',
      '2021/07/PXL_20210704_101010123.jpg', // date in the file name
      'unknown-date/random.jpg',
    ]);
    expect(await readFile(join(archive, '2019/03/IMG_0001.jpg'))).toEqual(img1);
    expect((await stat(join(archive, '2019/03/IMG_0001.jpg'))).mtimeMs).toBe(Date.parse('2019-03-09T12:42:00Z'));
    const link = join(archive, 'albums/Trip to Rome/IMG_0001.jpg');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('../../2019/03/IMG_0001.jpg');
    expect(await readFile(link)).toEqual(img1);

    const items = await manifestItems(archive);
    expect(items).toHaveLength(6);
    const one = items.find((i) => i.path === '2019/03/IMG_0001.jpg');
    expect(one).toMatchObject({
      quality: 'original', filename: 'IMG_0001.jpg', captureTime: '2019-03-09T12:42:00Z', localTime: '2019-03-09T21:42:00',
      description: 'Colosseum', gps: { latitude: 41.89, longitude: 12.49 }, favorite: true, people: ['Ada'], albums: ['Trip to Rome'],
      refs: [{ source: 'takeout', id: URL1 }], width: 64, height: 48,
    });

    const again = await importInto(archive, ins);
    expect(again.summary).toMatchObject({ imported: 0, failed: 0 });
    // Decided by the manifest and the disk: the 6 items are present, the album copy is one of them.
    expect(again.summary.duplicates).toBe(7);
    expect(await manifestItems(archive)).toHaveLength(6);
  });
});

describe('re-import of an overlapping export', () => {
  it('skips items already archived without reading them, and adds the new ones', async () => {
    const archive = join(tmp.dir, 'archive');
    const [p1, p2] = exportParts();
    await writeZip(join(tmp.dir, 'a.zip'), [...p1, ...p2]);
    await importInto(archive, [join(tmp.dir, 'a.zip')]);
    const extra = makeJpeg({ width: 8, height: 8, seed: 99 });
    await writeZip(join(tmp.dir, 'b.zip'), [
      ...p1, ...p2,
      { path: `${GP}/Photos from 2023/new.jpg`, data: extra },
      { path: `${GP}/Photos from 2023/new.jpg.supplemental-metadata.json`, data: sidecarJson({ title: 'new.jpg', takenSec: sec('2023-02-02T12:00:00Z'), url: 'https://photos.google.com/photo/new' }) },
    ]);
    const { summary, events } = await importInto(archive, [join(tmp.dir, 'b.zip')]);
    expect(summary).toMatchObject({ imported: 1, failed: 0 });
    expect(events.filter((e) => e.event === 'imported').map((e) => (e as { path: string }).path)).toEqual(['2023/02/new.jpg']);
    expect(await manifestItems(archive)).toHaveLength(7);
  });

  it('dry run changes nothing and says what it would do', async () => {
    const archive = join(tmp.dir, 'archive');
    const [p1, p2] = exportParts();
    await writeZip(join(tmp.dir, 'a.zip'), [...p1, ...p2]);
    const { summary, events } = await importInto(archive, [join(tmp.dir, 'a.zip')], { dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, imported: 6, duplicates: 1 }); // the album copy shares its photo's id
    expect(events.some((e) => e.event === 'planned-action')).toBe(true);
    expect(events.find((e) => e.event === 'plan')).toMatchObject({ counts: { download: 6, upgrade: 0, present: 0 } });
    await expect(stat(archive)).rejects.toThrow();
  });
});

describe('a later export of the same items', () => {
  it('updates changed captions, favourites and albums, and transfers nothing', async () => {
    const archive = join(tmp.dir, 'archive');
    const y = `${GP}/Photos from 2019`;
    const first = [
      { path: `${y}/A.jpg`, data: img1 },
      { path: `${y}/A.jpg.json`, data: sidecarJson({ title: 'A.jpg', takenSec: sec('2019-03-09T12:42:00Z'), url: 'https://photos.google.com/photo/a', description: 'old', favorited: true }) },
      { path: `${y}/B.jpg`, data: img2 },
      { path: `${y}/B.jpg.json`, data: sidecarJson({ title: 'B.jpg', takenSec: sec('2019-03-10T12:00:00Z'), url: 'https://photos.google.com/photo/b' }) },
      { path: `${GP}/Rome/metadata.json`, data: albumJson('Rome') },
      { path: `${GP}/Rome/A.jpg`, data: img1 },
      { path: `${GP}/Rome/A.jpg.json`, data: sidecarJson({ title: 'A.jpg', takenSec: sec('2019-03-09T12:42:00Z'), url: 'https://photos.google.com/photo/a', description: 'old', favorited: true }) },
    ];
    await writeZip(join(tmp.dir, 'one.zip'), first);
    await importInto(archive, [join(tmp.dir, 'one.zip')]);
    const before = await manifestItems(archive);

    // Two months later: A's caption changed and it is no longer a favourite; B joined a new album.
    await writeZip(join(tmp.dir, 'two.zip'), [
      { path: `${y}/A.jpg`, data: img1 },
      { path: `${y}/A.jpg.json`, data: sidecarJson({ title: 'A.jpg', takenSec: sec('2019-03-09T12:42:00Z'), url: 'https://photos.google.com/photo/a', description: 'new' }) },
      { path: `${y}/B.jpg`, data: img2 },
      { path: `${y}/B.jpg.json`, data: sidecarJson({ title: 'B.jpg', takenSec: sec('2019-03-10T12:00:00Z'), url: 'https://photos.google.com/photo/b' }) },
      { path: `${GP}/Zoo/metadata.json`, data: albumJson('Zoo') },
      { path: `${GP}/Zoo/B.jpg`, data: img2 },
      { path: `${GP}/Zoo/B.jpg.json`, data: sidecarJson({ title: 'B.jpg', takenSec: sec('2019-03-10T12:00:00Z'), url: 'https://photos.google.com/photo/b' }) },
    ]);
    const { summary, events } = await importInto(archive, [join(tmp.dir, 'two.zip')]);
    expect(summary).toMatchObject({ imported: 0, upgraded: 0, bytes: 0, annotated: 2, failed: 0 });
    expect(events.filter((e) => e.event === 'annotated').map((e) => (e as { path: string; fields: string[] }).fields)).toEqual([['description', 'favorite'], ['albums']]);
    const after = await manifestItems(archive);
    const a0 = before.find((i) => i.filename === 'A.jpg')!;
    const a1 = after.find((i) => i.filename === 'A.jpg')!;
    const b1 = after.find((i) => i.filename === 'B.jpg')!;
    // Exactly those fields changed; the files and everything else are as they were.
    expect({ ...a1, description: a0.description, favorite: a0.favorite }).toEqual(a0);
    expect(a1).toMatchObject({ description: 'new', albums: ['Rome'] });
    expect(a1.favorite).toBeUndefined();
    expect(b1.albums).toEqual(['Zoo']);
    expect(await readlink(join(archive, 'albums/Zoo/B.jpg'))).toBe('../../2019/03/B.jpg');
    expect(await readlink(join(archive, 'albums/Rome/A.jpg'))).toBe('../../2019/03/A.jpg');
  });
});

describe('an edited version', () => {
  it('is stored as its own file, and its manifest entry names its original by reference', async () => {
    const archive = join(tmp.dir, 'archive');
    const y = `${GP}/Photos from 2019`;
    const url = 'https://photos.google.com/photo/orig';
    await writeZip(join(tmp.dir, 'e.zip'), [
      { path: `${y}/IMG_5.jpg`, data: img1 },
      { path: `${y}/IMG_5-edited.jpg`, data: img2 },
      { path: `${y}/IMG_5.jpg.json`, data: sidecarJson({ title: 'IMG_5.jpg', takenSec: sec('2019-03-09T12:42:00Z'), url }) },
    ]);
    const { summary } = await importInto(archive, [join(tmp.dir, 'e.zip')]);
    expect(summary).toMatchObject({ imported: 2, failed: 0 });
    const items = await manifestItems(archive);
    const original = items.find((i) => i.filename === 'IMG_5.jpg')!;
    const edited = items.find((i) => i.filename === 'IMG_5-edited.jpg')!;
    expect(original.refs).toEqual([{ source: 'takeout', id: url }]);
    expect(edited.editOf).toBe(`takeout:${url}`);
    expect(edited.path).not.toBe(original.path);
    expect(await readFile(join(archive, edited.path))).toEqual(img2);
  });
});
