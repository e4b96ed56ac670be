// An upgrade whose rename does not happen after the manifest recorded the original (a rename refused here; a
// SIGKILL or power loss in the same window does the same) must leave an archive the next run finishes: the manifest
// may not claim an original that is not on disk, and the next import upgrades the API copy.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { memorySource } from '../helpers/memory-source.js';
import { tempDir } from '../helpers/takeout-fixture.js';
import { manifestOf, sha256, sync } from './run.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await tempDir('gphotos-engine-upgrade-rename-');
});
afterEach(async () => {
  await tmp.cleanup();
});

const T = '2020-03-14T15:09:26Z';
const apiCopy = makeJpeg({ width: 40, height: 30, seed: 1 });
const original = Buffer.concat([apiCopy, Buffer.alloc(5000, 1)]);
const takeout = () =>
  memorySource({
    access: 'stream', name: 'takeout', features: { quality: 'original', selection: true, sameBytesSameItem: true },
    items: [{ id: 't', filename: 'IMG.jpg', bytes: original, creationTime: T, dating: 'sidecar' }],
  });

it('a refused rename of an upgrade leaves the manifest as it was, and the next run upgrades', async () => {
  const archive = join(tmp.dir, 'archive');
  await sync(archive, memorySource({ access: 'random', name: 'library', items: [{ id: 'l', filename: 'IMG.jpg', bytes: apiCopy, creationTime: T }] }));
  const [m] = await manifestOf(archive);
  const file = join(archive, m?.path ?? '');
  // An immutable target: the .part is written and recorded, then rename(2) over the target fails with EPERM.
  execFileSync('chattr', ['+i', file]);
  let first;
  try {
    first = await sync(archive, takeout());
  } finally {
    execFileSync('chattr', ['-i', file]);
  }
  expect(first.outcome.summary).toMatchObject({ upgraded: 0, failed: 1 });
  expect(await readFile(file)).toEqual(apiCopy);
  expect((await manifestOf(archive))[0]).toMatchObject({ quality: 'api-copy', sha256: sha256(apiCopy), size: apiCopy.length });
  const again = await sync(archive, takeout());
  expect(again.outcome.summary).toMatchObject({ upgraded: 1, drift: { changedOnDisk: 0 } });
  expect(await readFile(file)).toEqual(original);
});
