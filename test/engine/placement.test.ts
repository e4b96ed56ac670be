// Where runSync files an item once its first bytes arrive, in both access modes: a photo's EXIF re-places it by
// its dating rule ('api': the EXIF wall clock; 'sidecar': the listed time with the EXIF offset; 'none' and no
// EXIF: unknown-date/), and the same bytes under two refs are stored once when the source says they may repeat.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { memorySource, type MemoryItem } from '../helpers/memory-source.js';
import { tempDir } from '../helpers/takeout-fixture.js';
import { blob, contentIndex, expectComplete, manifestOf, sync } from './run.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let archive: string;
beforeEach(async () => {
  tmp = await tempDir('gphotos-engine-place-');
  archive = join(tmp.dir, 'archive');
});
afterEach(async () => {
  await tmp.cleanup();
});

/** A real JPEG with EXIF, padded past the 128 KiB head the engine reads to date it. */
function photo(seed: number, dateTimeOriginal?: string, offsetTimeOriginal?: string): Buffer {
  const jpeg = makeJpeg({
    width: 32, height: 24, seed,
    ...(dateTimeOriginal === undefined ? {} : { dateTimeOriginal }),
    ...(offsetTimeOriginal === undefined ? {} : { offsetTimeOriginal }),
  });
  return Buffer.concat([jpeg, Buffer.alloc(150_000, seed)]);
}

describe.each(['random', 'stream'] as const)('placement by a %s memory source', (access) => {
  it('files each photo by its dating rule and EXIF, and records where the time came from', async () => {
    const items: MemoryItem[] = [
      // Listed in May; the camera says March: the EXIF month wins for an API time.
      { id: 'api-exif', bytes: photo(1, '2019:03:09 21:42:00'), creationTime: '2019-05-10T12:00:00Z', dating: 'api' },
      // No EXIF: the listed time places it.
      { id: 'api-plain', bytes: photo(2), creationTime: '2019-05-10T12:00:00Z', dating: 'api' },
      // The sidecar's UTC time wins over the EXIF date, at the EXIF offset: 20:00Z at +09:00 is 1 April, 05:00.
      { id: 'sidecar', bytes: photo(3, '2017:01:01 00:00:00', '+09:00'), creationTime: '2019-03-31T20:00:00Z', dating: 'sidecar' },
      // A guessed time and no EXIF: nobody knows the date.
      { id: 'none-plain', bytes: blob(4, 1000), creationTime: '2021-07-01T00:00:00Z', dating: 'none' },
      // A guessed time, but the bytes know better.
      { id: 'none-exif', bytes: photo(5, '2016:08:20 10:00:00'), creationTime: '2021-07-01T00:00:00Z', dating: 'none' },
    ];
    const { outcome } = await sync(archive, memorySource({ access, items }));
    expect(outcome.summary).toMatchObject({ downloaded: 5, failed: 0 });
    // The plan filed every item by its listed time; the engine moved the ones whose bytes disagree.
    const planned = new Map(outcome.plan.actions.flatMap((a) => (a.kind === 'download' ? [[a.item.ref.id, a.path] as const] : [])));
    expect(planned.get('api-exif')).toBe('2019/05/api-exif.jpg');
    expect(planned.get('none-plain')).toBe('unknown-date/none-plain.jpg');
    const byId = new Map((await manifestOf(archive)).map((m) => [m.refs[0]?.id, m]));
    expect(byId.get('api-exif')).toMatchObject({ path: '2019/03/api-exif.jpg', captureTime: '2019-05-10T12:00:00Z', localTime: '2019-03-09T21:42:00', timeSource: 'exif' });
    expect(byId.get('api-plain')).toMatchObject({ path: '2019/05/api-plain.jpg', localTime: '2019-05-10T12:00:00', timeSource: 'api' });
    expect(byId.get('sidecar')).toMatchObject({ path: '2019/04/sidecar.jpg', captureTime: '2019-03-31T20:00:00Z', localTime: '2019-04-01T05:00:00' });
    expect(byId.get('none-plain')).toMatchObject({ path: 'unknown-date/none-plain.jpg', mtimeStamped: false });
    expect(byId.get('none-exif')).toMatchObject({ path: '2016/08/none-exif.jpg', localTime: '2016-08-20T10:00:00', timeSource: 'exif' });
    await expectComplete(archive, items);
    // Placed once for good: a re-run moves nothing and fetches nothing.
    const again = await sync(archive, memorySource({ access, items }));
    expect(again.outcome.summary).toMatchObject({ downloaded: 0, alreadyPresent: 5 });
  });

  it('re-placement takes a free name in the EXIF month: a photo there already keeps its name', async () => {
    const items: MemoryItem[] = [
      { id: 'a', filename: 'IMG_1.jpg', bytes: photo(6), creationTime: '2019-03-20T12:00:00Z' },
      { id: 'b', filename: 'IMG_1.jpg', bytes: photo(7, '2019:03:02 08:00:00'), creationTime: '2019-06-01T12:00:00Z' },
    ];
    await sync(archive, memorySource({ access, items }));
    const paths = (await manifestOf(archive)).map((m) => [m.refs[0]?.id, m.path]).sort();
    expect(paths).toEqual([['a', '2019/03/IMG_1.jpg'], ['b', '2019/03/IMG_1~2.jpg']]);
    await expectComplete(archive, items);
  });

  it('stores the same bytes under two refs once when the source declares sameBytesSameItem, and twice when not', async () => {
    const bytes = photo(8);
    const items: MemoryItem[] = [
      { id: 'year', filename: 'IMG_2.jpg', bytes, creationTime: '2020-02-02T10:00:00Z' },
      { id: 'album', filename: 'IMG_2(1).jpg', bytes, creationTime: '2020-02-02T10:00:00Z' },
      { id: 'other', bytes: photo(9), creationTime: '2020-02-02T10:00:00Z' },
    ];
    const shared = memorySource({ access, items, features: { quality: 'original', selection: true, sameBytesSameItem: true } });
    const { outcome, events } = await sync(archive, shared);
    expect(outcome.summary).toMatchObject({ downloaded: 2, sameBytes: 1, failed: 0 });
    expect(events.filter((e) => e.event === 'same-bytes')).toHaveLength(1);
    const manifest = await manifestOf(archive);
    expect(manifest).toHaveLength(2);
    const held = manifest.find((m) => m.refs.length === 2);
    expect(held?.refs.map((r) => r.id).sort()).toEqual(['album', 'year']);
    const index = await contentIndex(archive);
    expect([...index.values()].flat()).toHaveLength(2);
    expect(held === undefined ? undefined : index.get(held.sha256)).toEqual([held?.path]);
    // Both refs are archived now: all three listed items are present, nothing to do.
    expect((await sync(archive, shared)).outcome.summary).toMatchObject({ downloaded: 0, sameBytes: 0, alreadyPresent: 3 });

    // The control: a source that never repeats bytes gets two files.
    const other = join(tmp.dir, 'other');
    await sync(other, memorySource({ access, items }));
    expect([...(await contentIndex(other)).values()].flat()).toHaveLength(3);
  });
});
