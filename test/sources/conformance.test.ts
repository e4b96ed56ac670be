// The Source conformance suite (conformance.ts) against each real source over real I/O: the Library and the Picker
// against the emulator over HTTP on 127.0.0.1, Takeout over a .zip, a .tgz and an extracted folder.
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { RemoteItem } from '../../src/core/types.js';
import type { Emulator } from '../../src/emulator/api.js';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { makeMp4 } from '../../src/emulator/media/mp4.js';
import { startEmulator } from '../../src/emulator/server.js';
import { GoogleApiClient } from '../../src/google/api-client.js';
import { LibrarySource } from '../../src/sources/library/library-source.js';
import { PickerSource } from '../../src/sources/picker/picker-source.js';
import { PickerSessionApi } from '../../src/sources/picker/session.js';
import { DEFAULT_LIMITS } from '../../src/sources/takeout/input.js';
import { TakeoutSource } from '../../src/sources/takeout/takeout-source.js';
import { GP, albumJson, sidecarJson, tempDir, writeTgz, writeTree, writeZip, type FixtureFile } from '../helpers/takeout-fixture.js';
import { memorySource } from '../helpers/memory-source.js';
import { describeSourceConformance } from './conformance.js';

const PICKER_SCOPE = 'https://www.googleapis.com/auth/photospicker.mediaitems.readonly';
const API_FEATURES = { quality: 'api-copy', selection: false, sameBytesSameItem: false } as const;
const ORIGINAL_FEATURES = { quality: 'original', selection: true, sameBytesSameItem: true } as const;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ items: 40, seed: 21, picker: { pollIntervalSec: 0.02 } });
});
afterAll(async () => {
  await emu.stop();
});

function client(scopes?: string[]): GoogleApiClient {
  let token = emu.issueAccessToken(scopes);
  return new GoogleApiClient({
    tokens: { getAccessToken: () => Promise.resolve(token), refreshAccessToken: () => Promise.resolve((token = emu.issueAccessToken(scopes))) },
    baseDelayMs: 5,
    maxDelayMs: 40,
    maxRetries: 3,
  });
}

const ready = (i: { kind: string; videoStatus?: string }): boolean => i.kind === 'photo' || i.videoStatus === 'READY';

describeSourceConformance('LibrarySource over the emulator', () =>
  Promise.resolve({
    source: new LibrarySource({ client: client(), baseUrl: emu.urls.library }),
    access: 'random',
    features: { quality: 'api-copy', selection: false, sameBytesSameItem: false },
    count: emu.items.length,
    bytesOf: (item: RemoteItem) => emu.downloadBytes(item.ref.id),
    // Google is still processing these videos (or gave up): they are listed, not downloadable.
    unopenable: (item: RemoteItem) => !ready(item),
  }),
);

describeSourceConformance('PickerSource over the emulator', async () => {
  const c = client([PICKER_SCOPE]);
  const api = new PickerSessionApi({ client: c, baseUrl: emu.urls.picker, accessToken: () => Promise.resolve(emu.issueAccessToken([PICKER_SCOPE])) });
  const session = await api.create(undefined);
  const picked = emu.items.filter(ready).slice(0, 25);
  emu.pickItems(session.id, picked.map((i) => i.id));
  const libraryIdOf = new Map(picked.map((i) => [emu.pickerIdOf(i.id), i.id]));
  return {
    source: new PickerSource({ client: c, baseUrl: emu.urls.picker, sessionId: session.id }),
    access: 'random',
    features: { quality: 'api-copy', selection: true, sameBytesSameItem: false },
    count: picked.length,
    bytesOf: (item: RemoteItem) => {
      const id = libraryIdOf.get(item.ref.id);
      return id === undefined ? undefined : emu.downloadBytes(id);
    },
    cleanup: async () => {
      await api.delete(session.id);
    },
  };
});

const sec = (iso: string): number => Date.parse(iso) / 1000;
const media = {
  one: makeJpeg({ width: 48, height: 32, seed: 31, dateTimeOriginal: '2019:03:09 21:42:00' }),
  two: Buffer.concat([makeJpeg({ width: 48, height: 32, seed: 32 }), Buffer.alloc(300_000, 3)]),
  three: makeJpeg({ width: 16, height: 16, seed: 33 }),
  video: makeMp4({ creationTime: new Date('2020-06-01T10:00:00Z'), seed: 34 }),
  bare: makeJpeg({ width: 16, height: 16, seed: 35 }),
};

/** Five media items in one export: sidecars, an album copy of IMG_0001, a video, a photo with no sidecar. */
function exportFiles(): FixtureFile[] {
  const y = `${GP}/Photos from 2019`;
  return [
    { path: `${y}/IMG_0001.jpg`, data: media.one },
    { path: `${y}/IMG_0001.jpg.supplemental-metadata.json`, data: sidecarJson({ title: 'IMG_0001.jpg', takenSec: sec('2019-03-09T12:42:00Z'), url: 'https://photos.google.com/photo/p1' }) },
    { path: `${y}/IMG_0002.jpg`, data: media.two },
    { path: `${y}/IMG_0002.jpg.json`, data: sidecarJson({ title: 'IMG_0002.jpg', takenSec: sec('2019-12-31T23:30:00Z') }) },
    { path: `${y}/IMG_0003.jpg`, data: media.three },
    { path: `${y}/IMG_0003.jpg.json`, data: sidecarJson({ title: 'IMG_0003.jpg', takenSec: sec('2019-07-01T08:00:00Z') }) },
    { path: `${GP}/Photos from 2020/VID_0004.mp4`, data: media.video },
    { path: `${GP}/Photos from 2020/VID_0004.mp4.json`, data: sidecarJson({ title: 'VID_0004.mp4', takenSec: sec('2020-06-01T10:00:00Z') }) },
    { path: `${GP}/Photos from 2021/random.jpg`, data: media.bare },
    { path: `${GP}/Trip/metadata.json`, data: albumJson('Trip') },
    { path: `${GP}/Trip/IMG_0001.jpg`, data: media.one },
    { path: `${GP}/Trip/IMG_0001.jpg.supplemental-metadata.json`, data: sidecarJson({ title: 'IMG_0001.jpg', takenSec: sec('2019-03-09T12:42:00Z'), url: 'https://photos.google.com/photo/p1' }) },
  ];
}

const byName = new Map<string, Buffer>([
  ['IMG_0001.jpg', media.one], ['IMG_0002.jpg', media.two], ['IMG_0003.jpg', media.three], ['VID_0004.mp4', media.video], ['random.jpg', media.bare],
]);

for (const kind of ['zip', 'tgz', 'folder'] as const) {
  describeSourceConformance(`TakeoutSource over a ${kind}`, async () => {
    const tmp = await tempDir('gphotos-conformance-');
    const input = join(tmp.dir, kind === 'folder' ? 'Takeout-extracted' : `takeout-001.${kind}`);
    if (kind === 'zip') await writeZip(input, exportFiles(), { deflate: true });
    else if (kind === 'tgz') await writeTgz(input, exportFiles());
    else await writeTree(input, exportFiles());
    const problems: unknown[] = [];
    const source = new TakeoutSource({
      inputs: [input], limits: DEFAULT_LIMITS, tz: 'UTC', includeTrashed: false, onProblem: (p) => problems.push(p), onSkip: () => undefined,
    });
    return {
      source,
      access: 'stream',
      features: { quality: 'original', selection: true, sameBytesSameItem: true },
      count: byName.size,
      bytesOf: (item: RemoteItem) => byName.get(item.filename),
      cleanup: async () => {
        await tmp.cleanup();
        if (problems.length > 0) throw new Error(`the export was read with problems: ${JSON.stringify(problems)}`);
      },
    };
  });
}

// The engine tests' stand-in must be a conforming Source too, or what they prove says nothing about the real ones.
for (const access of ['random', 'stream'] as const) {
  const items = Array.from({ length: 6 }, (_, i) => ({ id: `mem${i}`, bytes: Buffer.alloc(100_000 + i, `mem-${i}|`) }));
  const features = access === 'random' ? API_FEATURES : ORIGINAL_FEATURES;
  describeSourceConformance(`the memory source (${access})`, () =>
    Promise.resolve({
      source: memorySource({ access, items, features, chunkSize: 16 * 1024 }),
      access,
      features,
      count: items.length,
      bytesOf: (item: RemoteItem) => items.find((i) => i.id === item.ref.id)?.bytes,
    }),
  );
}
