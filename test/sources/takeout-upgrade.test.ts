// An item archived from the APIs (an `api-copy`) is upgraded in place to Takeout's original when it is the
// same photo by identity (name, capture second, pixel size); ambiguity is reported, never guessed.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import type { ManifestItem } from '../../src/core/types.js';
import { makeJpeg, makeScaledJpeg } from '../../src/emulator/media/jpeg.js';
import { GP, importInto, manifestItems, sidecarJson, tempDir, writeZip } from '../helpers/takeout-fixture.js';

const TAKEN = '2019-03-09T12:42:00Z';
const spec = { width: 64, height: 48, seed: 11, dateTimeOriginal: '2019:03:09 13:42:00' };
const original = makeJpeg(spec);
const apiCopy = makeScaledJpeg(spec, 64, 48);

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

function apiItem(key: string, path: string, o: Partial<ManifestItem> = {}): ManifestItem {
  return {
    key, refs: [{ source: 'library', id: key.split(':')[1] ?? key }], path, size: apiCopy.length, sha256: 'x'.repeat(64), captureTime: TAKEN,
    localTime: '2019-03-09T13:42:00', timeSource: 'exif', mimeType: 'image/jpeg', filename: 'IMG_1.jpg', width: 64, height: 48,
    quality: 'api-copy', fetchedAt: '2026-01-01T00:00:00Z', mtimeStamped: true, ...o,
  };
}

async function seed(archive: string, items: ManifestItem[]): Promise<void> {
  const m = await ManifestStore.open(archive);
  for (const i of items) {
    await mkdir(join(archive, i.path, '..'), { recursive: true });
    await writeFile(join(archive, i.path), apiCopy);
    await m.put(i);
  }
  await m.close();
}

async function takeout(): Promise<string> {
  const zip = join(tmp.dir, 'takeout.zip');
  await writeZip(zip, [
    { path: `${GP}/Photos from 2019/IMG_1.jpg`, data: original },
    { path: `${GP}/Photos from 2019/IMG_1.jpg.json`, data: sidecarJson({ title: 'IMG_1.jpg', takenSec: Date.parse(TAKEN) / 1000, url: 'https://photos.google.com/photo/one', description: 'hi' }) },
  ]);
  return zip;
}

describe('upgrade of API copies', () => {
  it('replaces the api-copy with the original at the same path and records the Takeout ref', async () => {
    const archive = join(tmp.dir, 'archive');
    await seed(archive, [apiItem('library:abc', '2019/03/IMG_1.jpg')]);
    const { summary } = await importInto(archive, [await takeout()]);
    expect(summary).toMatchObject({ imported: 0, upgraded: 1, failed: 0 });
    expect(await readFile(join(archive, '2019/03/IMG_1.jpg'))).toEqual(original);
    const [item] = await manifestItems(archive);
    expect(item).toMatchObject({
      key: 'library:abc', path: '2019/03/IMG_1.jpg', quality: 'original', size: original.length, description: 'hi',
      refs: [{ source: 'library', id: 'abc' }, { source: 'takeout', id: 'https://photos.google.com/photo/one' }],
    });
    const again = await importInto(archive, [join(tmp.dir, 'takeout.zip')]);
    expect(again.summary).toMatchObject({ upgraded: 0, imported: 0 });
  });

  it('reports an ambiguous match and leaves both copies alone', async () => {
    const archive = join(tmp.dir, 'archive');
    await seed(archive, [apiItem('library:a', '2019/03/IMG_1.jpg'), apiItem('picker:b', '2019/03/IMG_1~2.jpg', { refs: [{ source: 'picker', id: 'b' }] })]);
    const { summary, events } = await importInto(archive, [await takeout()]);
    expect(summary).toMatchObject({ imported: 0, upgraded: 0, ambiguous: 1 });
    expect(events.find((e) => e.event === 'skipped')).toMatchObject({ reason: 'ambiguous-identity' });
    expect(await readFile(join(archive, '2019/03/IMG_1.jpg'))).toEqual(apiCopy);
    expect((await manifestItems(archive)).every((i) => i.quality === 'api-copy')).toBe(true);
  });
});
