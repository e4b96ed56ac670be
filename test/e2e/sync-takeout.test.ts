// `gphotos sync DIR --takeout-folder FOLDER`: one command reconciles the archive against every source it is set up
// with. The Takeout exports in the remembered folder land first as originals; the Library pass links its items to
// them instead of downloading API copies, and downloads only what no export holds. Later syncs remember the folder.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import type { Emulator, EmulatorItem } from '../../src/emulator/api.js';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { startEmulator } from '../../src/emulator/server.js';
import { gphotos, sha256, signedIn, summaryOf, type CliEnv } from '../helpers/cli.js';
import { GP, sidecarJson, writeZip } from '../helpers/takeout-fixture.js';

let emulator: Emulator;
let cli: CliEnv;
beforeAll(async () => {
  emulator = await startEmulator({ items: 30, seed: 9 });
  cli = await signedIn(emulator);
});
afterAll(async () => {
  await emulator.stop();
  await cli.cleanup();
});

describe('sync with a Takeout folder', () => {
  it('takes originals from the exports, links the Library to them, downloads the rest, and remembers the folder', async () => {
    const plain = emulator.items.filter((i): i is EmulatorItem => i.kind === 'photo' && /^[\w-]+\.jpg$/i.test(i.filename) && i.videoStatus === undefined);
    const exported = plain.slice(0, 4);
    expect(exported).toHaveLength(4);
    const originals = exported.map((_, i) => makeJpeg({ width: 20, height: 20, seed: 700 + i }));
    const downloads = join(cli.home, 'Downloads');
    await mkdir(downloads, { recursive: true });
    await writeFile(join(downloads, 'notes.txt'), 'not an export');
    await writeZip(join(downloads, 'takeout-20260101T000000Z-001.zip'), exported.flatMap((item, i) => [
      { path: `${GP}/Photos from ${2019 + i}/${item.filename}`, data: originals[i]! },
      { path: `${GP}/Photos from ${2019 + i}/${item.filename}.supplemental-metadata.json`, data: sidecarJson({ title: item.filename, takenSec: Math.floor(Date.parse(item.creationTime) / 1000), url: `https://photos.google.com/photo/x${i}` }) },
    ]));
    // A part still downloading (no end record) is left for a later sync, with a warning.
    await writeFile(join(downloads, 'takeout-20260101T000000Z-002.zip'), Buffer.from('PK\x03\x04 half a zip'));

    const archive = join(cli.home, 'Photos');
    const first = await gphotos(['sync', archive, '--takeout-folder', downloads, '--json', '--tz', 'UTC'], cli.env);
    expect(first.exitCode, String(first.stderr)).toBe(0);
    expect(String(first.stdout)).toMatch(/takeout-20260101T000000Z-002\.zip is not complete yet/);
    const s = summaryOf(first.stdout);
    const listed = emulator.items.length;
    expect(s).toMatchObject({ linked: 4, failed: 0 });
    // Every Library item is archived once; the 4 exported ones are the originals, not downloaded from the API.
    const m = await ManifestStore.open(archive, { readOnly: true });
    const items = [...m.items()];
    await m.close();
    const ready = emulator.items.filter((i) => i.videoStatus === undefined || i.videoStatus === 'READY').length;
    expect(items).toHaveLength(ready);
    expect(s.downloaded).toBe(ready); // 4 from the export + the rest from the Library
    for (const [i, item] of exported.entries()) {
      const entry = items.find((x) => x.refs.some((r) => r.source === 'library' && r.id === item.id));
      expect(entry).toMatchObject({ quality: 'original' });
      expect(sha256(await readFile(join(archive, entry!.path)))).toBe(sha256(originals[i]!));
    }
    expect(items.filter((x) => x.quality === 'original')).toHaveLength(4);
    expect(listed).toBeGreaterThan(4);

    // The folder is remembered: a plain sync reconciles it again and has nothing to do.
    const again = await gphotos(['sync', archive, '--json'], cli.env);
    expect(again.exitCode).toBe(0);
    expect(summaryOf(again.stdout)).toMatchObject({ downloaded: 0, upgraded: 0, linked: 0 });
    expect(String(again.stdout)).toMatch(/"source":"takeout"/);
    const forgot = await gphotos(['sync', archive, '--forget-takeout-folder', downloads, '--json'], cli.env);
    expect(forgot.exitCode).toBe(0);
    expect(String(forgot.stdout)).not.toMatch(/"source":"takeout"/);
    const wrong = await gphotos(['sync', archive, '--forget-takeout-folder', join(cli.home, 'nowhere')], cli.env);
    expect(wrong.exitCode).toBe(2);
    expect(String(wrong.stderr)).toMatch(/is not a Takeout folder of this archive/);
  }, 60_000);
});
