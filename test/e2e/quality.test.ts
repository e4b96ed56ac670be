// Quality only goes up, end to end: sync (API copies) -> import a Takeout of the same photos (upgraded in place) ->
// damage originals -> verify --fix never puts an API copy in their place unless --allow-downgrade says so (and then
// it says so, keeping the damaged file), --fix --takeout brings the original back, and a re-import after a
// downgrade upgrades in place again.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import type { ManifestItem } from '../../src/core/types.js';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { gphotos, sha256, summaryOf } from '../helpers/cli.js';
import { GP, sidecarJson, writeZip } from '../helpers/takeout-fixture.js';
import { syncedArchive } from './helpers/synced-archive.js';

async function items(archive: string): Promise<ManifestItem[]> {
  const m = await ManifestStore.open(archive, { readOnly: true });
  const all = [...m.items()];
  await m.close();
  return all;
}

describe('quality never goes down silently', () => {
  const fx = syncedArchive({ items: 30, seed: 5 });

  it('upgrades, refuses to downgrade, restores from Takeout, downgrades only when asked, and upgrades again', async () => {
    const photos = (await items(fx.archive)).filter((m) => m.mimeType === 'image/jpeg' && /^[\w-]+\.jpg$/i.test(m.filename)).slice(0, 3);
    expect(photos).toHaveLength(3);
    // A Takeout of those photos: other bytes (the originals), same name and capture second.
    const originals = photos.map((m, i) => makeJpeg({ width: 24, height: 24, seed: 500 + i }));
    const zip = join(fx.cli.home, 'takeout-001.zip');
    await writeZip(zip, photos.flatMap((m, i) => [
      { path: `${GP}/Photos from 2020/${m.filename}`, data: originals[i]! },
      { path: `${GP}/Photos from 2020/${m.filename}.supplemental-metadata.json`, data: sidecarJson({ title: m.filename, takenSec: Date.parse(m.captureTime) / 1000, url: `https://photos.google.com/photo/o${i}`, geo: { latitude: 45.5, longitude: 9.2 } }) },
    ]));
    const imported = await gphotos(['import', fx.archive, zip, '--json'], fx.cli.env);
    expect(imported.exitCode, String(imported.stdout) + String(imported.stderr) + JSON.stringify(photos.map((m) => m.filename))).toBe(0);
    expect(summaryOf(imported.stdout)).toMatchObject({ upgraded: 3, imported: 0 });
    for (const [i, m] of photos.entries()) expect(sha256(await readFile(join(fx.archive, m.path)))).toBe(sha256(originals[i]!));

    // Damage one original and delete another: verify --fix without a Takeout fetches nothing and says why.
    const [a, b, c] = photos as [ManifestItem, ManifestItem, ManifestItem];
    await writeFile(join(fx.archive, a.path), 'garbage');
    await rm(join(fx.archive, b.path));
    const fix = await gphotos(['verify', fx.archive, '--fix'], fx.cli.env);
    expect(fix.exitCode).toBe(1);
    expect(String(fix.stdout)).toMatch(new RegExp(`cannot fix ${b.path}: it is a Takeout original`));
    expect(await readFile(join(fx.archive, a.path), 'utf8')).toBe('garbage');
    expect(existsSync(join(fx.archive, b.path))).toBe(false);
    // Nor does a sync, or a watch-like restore: the Library has only API copies.
    const sync = await gphotos(['sync', fx.archive, '--json'], fx.cli.env);
    expect(sync.exitCode).toBe(0);
    expect(summaryOf(sync.stdout)).toMatchObject({ downloaded: 0, drift: { originalMissing: 1 } });
    expect((await items(fx.archive)).filter((m) => m.quality === 'original')).toHaveLength(3);

    // From the Takeout, both come back as the originals, at their own paths.
    const fromTakeout = await gphotos(['verify', fx.archive, '--fix', '--takeout', zip, '--json'], fx.cli.env);
    expect(fromTakeout.exitCode, String(fromTakeout.stdout)).toBe(0);
    expect(JSON.parse(String(fromTakeout.stdout))).toMatchObject({ complete: true, fix: { downloaded: 2 } });
    expect(sha256(await readFile(join(fx.archive, a.path)))).toBe(sha256(originals[0]!));
    expect(sha256(await readFile(join(fx.archive, b.path)))).toBe(sha256(originals[1]!));
    expect(existsSync(join(fx.archive, '.gphotos/damaged', a.path))).toBe(true);

    // Only --allow-downgrade takes the API copy, and it is reported, the damaged original kept.
    await writeFile(join(fx.archive, c.path), 'garbage');
    const down = await gphotos(['verify', fx.archive, '--fix', '--allow-downgrade'], fx.cli.env);
    expect(down.exitCode, String(down.stdout)).toBe(0);
    expect(String(down.stdout)).toMatch(new RegExp(`DOWNGRADED ${c.path}`));
    expect(await readFile(join(fx.archive, '.gphotos/damaged', c.path), 'utf8')).toBe('garbage');
    expect((await items(fx.archive)).find((m) => m.key === c.key)).toMatchObject({ quality: 'api-copy' });

    // Importing the Takeout again upgrades it in place, under its own name (no ~2 copy beside it).
    const before = await items(fx.archive);
    const again = await gphotos(['import', fx.archive, zip, '--json'], fx.cli.env);
    expect(summaryOf(again.stdout)).toMatchObject({ upgraded: 1, imported: 0 });
    expect(sha256(await readFile(join(fx.archive, c.path)))).toBe(sha256(originals[2]!));
    const after = await items(fx.archive);
    expect(after.filter((m) => m.quality === 'original').map((m) => m.key).sort()).toEqual(photos.map((m) => m.key).sort());
    expect(after.map((m) => m.path).sort()).toEqual(before.map((m) => m.path).sort());
  }, 60_000);
});
