// Quality only goes up, whatever the access mode: an original source upgrades an archived API copy in place (same
// path, one file, both refs), and an API source never replaces a missing original unless asked (reported instead).
import { rm, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { memorySource, type MemoryItem } from '../helpers/memory-source.js';
import { tempDir } from '../helpers/takeout-fixture.js';
import { contentIndex, manifestOf, partFiles, sha256, sync } from './run.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let archive: string;
beforeEach(async () => {
  tmp = await tempDir('gphotos-engine-quality-');
  archive = join(tmp.dir, 'archive');
});
afterEach(async () => {
  await tmp.cleanup();
});

const TAKEN = '2020-03-14T15:09:26Z';
// The same photo as two sources give it: Google's copy (no GPS) and the original.
const apiCopy = makeJpeg({ width: 40, height: 30, seed: 11, dateTimeOriginal: '2020:03:14 15:09:26' });
const original = Buffer.concat([
  makeJpeg({ width: 40, height: 30, seed: 11, dateTimeOriginal: '2020:03:14 15:09:26', gps: { lat: 41.9, lon: 12.5 } }),
  Buffer.alloc(200_000, 7),
]);
const other = makeJpeg({ width: 40, height: 30, seed: 12 });

const ORIGINALS = { quality: 'original', selection: true, sameBytesSameItem: true } as const;

function library(access: 'random' | 'stream'): ReturnType<typeof memorySource> {
  const items: MemoryItem[] = [
    { id: 'lib-1', filename: 'IMG_1.jpg', bytes: apiCopy, creationTime: TAKEN, width: 40, height: 30 },
    { id: 'lib-2', filename: 'IMG_2.jpg', bytes: other, creationTime: TAKEN, width: 40, height: 30 },
  ];
  return memorySource({ access, name: 'library', items });
}

function takeout(access: 'random' | 'stream'): ReturnType<typeof memorySource> {
  return memorySource({ access, name: 'takeout', features: ORIGINALS, items: [{ id: 'tk-1', filename: 'IMG_1.jpg', bytes: original, creationTime: TAKEN, dating: 'sidecar' }] });
}

describe.each(['random', 'stream'] as const)('quality with %s sources', (access) => {
  it('an original upgrades the archived API copy in place: same path, one file, both refs; then nothing to do', async () => {
    await sync(archive, library(access));
    const before = (await manifestOf(archive)).find((m) => m.filename === 'IMG_1.jpg');
    expect(before).toMatchObject({ quality: 'api-copy', sha256: sha256(apiCopy) });

    const { outcome, events } = await sync(archive, takeout(access));
    expect(outcome.summary).toMatchObject({ upgraded: 1, linked: 1, downloaded: 0, failed: 0 });
    expect(events.some((e) => e.event === 'upgraded' && e.path === before?.path)).toBe(true);
    const after = (await manifestOf(archive)).find((m) => m.filename === 'IMG_1.jpg');
    expect(after).toMatchObject({ key: before?.key, path: before?.path, quality: 'original', sha256: sha256(original), size: original.length });
    expect(after?.refs.map((r) => `${r.source}:${r.id}`)).toEqual(['library:lib-1', 'takeout:tk-1']);
    expect(await readFile(join(archive, before?.path ?? ''))).toEqual(original);
    const index = await contentIndex(archive);
    expect(index.has(sha256(apiCopy))).toBe(false);
    expect([...index.values()].flat()).toHaveLength(2);
    expect(await partFiles(archive)).toEqual([]);

    // The original is there: the same import and the API source both leave it alone.
    expect((await sync(archive, takeout(access))).outcome.summary).toMatchObject({ upgraded: 0, downloaded: 0, alreadyPresent: 1 });
    expect((await sync(archive, library(access))).outcome.summary).toMatchObject({ upgraded: 0, downloaded: 0, alreadyPresent: 2 });
    expect(await readFile(join(archive, before?.path ?? ''))).toEqual(original);
  });

  it('an API source never replaces a missing original: it reports original-missing, and downgrades only when asked', async () => {
    await sync(archive, takeout(access));
    const [archived] = await manifestOf(archive);
    expect(archived).toMatchObject({ quality: 'original' });
    const path = join(archive, archived?.path ?? '');

    // Present: the API source links its ref and fetches nothing.
    const linked = await sync(archive, library(access));
    expect(linked.outcome.summary).toMatchObject({ linked: 1, downloaded: 1, upgraded: 0, downgraded: 0 });
    expect(await readFile(path)).toEqual(original);

    await rm(path);
    const { outcome, events } = await sync(archive, library(access));
    expect(outcome.summary).toMatchObject({ downloaded: 0, downgraded: 0, drift: { originalMissing: 1 } });
    expect(events.some((e) => e.event === 'drift' && e.reason === 'original-missing' && e.path === archived?.path)).toBe(true);
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await manifestOf(archive)).find((m) => m.key === archived?.key)).toMatchObject({ quality: 'original', sha256: sha256(original) });

    // Asked for: the API copy takes the original's place, reported as a downgrade.
    const forced = await sync(archive, library(access), { allowDowngrade: true });
    expect(forced.outcome.summary).toMatchObject({ downloaded: 1, downgraded: 1 });
    expect(forced.events.some((e) => e.event === 'downgraded' && e.path === archived?.path && e.quality === 'api-copy')).toBe(true);
    expect(await readFile(path)).toEqual(apiCopy);
    expect((await manifestOf(archive)).find((m) => m.key === archived?.key)).toMatchObject({ quality: 'api-copy' });
  });
});
