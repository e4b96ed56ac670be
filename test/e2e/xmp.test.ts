// `gphotos xmp` and `rebuild` from sidecars, run as a user would: sync from the emulator, import a Takeout with
// captions, GPS, favorites, albums and people, write sidecars, check them with exiftool, lose .gphotos/, rebuild,
// and compare the manifests field by field; then sync and re-import transfer nothing.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManifestItem } from '../../src/core/types.js';
import { encodeText, formatXmpDate, offsetMinutes } from '../../src/core/xmp-values.js';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { exiftoolDate, exiftoolReadAll } from '../archive/xmp-fixtures.js';
import { gphotos, summaryOf } from '../helpers/cli.js';
import { GP, albumJson, manifestItems, sidecarJson, writeZip } from '../helpers/takeout-fixture.js';
import { syncedArchive } from './helpers/synced-archive.js';

const byKey = (items: ManifestItem[]) => new Map(items.map((m) => [m.key, m]));
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function takeoutZip(dir: string): Promise<string> {
  const zip = join(dir, 'takeout-20260101T000000Z-001.zip');
  const photo = (seed: number, dto: string, off: string) => makeJpeg({ width: 40, height: 30, seed, dateTimeOriginal: dto, offsetTimeOriginal: off });
  const a = photo(901, '2021:07:04 15:30:45', '+05:45');
  await writeZip(zip, [
    { path: `${GP}/Photos from 2021/Caf\u00e9 <&> "q".jpg`, data: a },
    {
      path: `${GP}/Photos from 2021/Caf\u00e9 <&> "q".jpg.supplemental-metadata.json`,
      data: sidecarJson({
        title: 'Caf\u00e9 <&> "q".jpg', takenSec: 1_625_391_945, url: 'https://photos.google.com/photo/a',
        description: 'Line & <two>\nemoji \u{1F600} bell\u0007', geo: { latitude: 27.7172453, longitude: 85.3239605 },
        favorited: true, people: ['Zo\u00eb', 'Ren\u00e9 <R>'],
      }),
    },
    { path: `${GP}/Trip <2021> & more/metadata.json`, data: albumJson('Trip <2021> & more') },
    { path: `${GP}/Trip <2021> & more/Caf\u00e9 <&> "q".jpg`, data: a },
    { path: `${GP}/Trip <2021> & more/Caf\u00e9 <&> "q".jpg.supplemental-metadata.json`, data: sidecarJson({ title: 'Caf\u00e9 <&> "q".jpg', takenSec: 1_625_391_945, url: 'https://photos.google.com/photo/a' }) },
    { path: `${GP}/Photos from 2019/IMG_NEG.jpg`, data: photo(902, '2019:03:09 11:42:00', '-03:30') },
    {
      path: `${GP}/Photos from 2019/IMG_NEG.jpg.supplemental-metadata.json`,
      data: sidecarJson({ title: 'IMG_NEG.jpg', takenSec: 1_552_144_320, url: 'https://photos.google.com/photo/b', description: 'Santiago', geo: { latitude: -33.8568, longitude: -70.5 } }),
    },
    { path: `${GP}/Photos from 2020/IMG_UTC.jpg`, data: photo(903, '2020:01:01 00:00:00', '+00:00') },
    { path: `${GP}/Photos from 2020/IMG_UTC.jpg.supplemental-metadata.json`, data: sidecarJson({ title: 'IMG_UTC.jpg', takenSec: 1_577_836_800 }) },
  ]);
  return zip;
}

describe('sidecars from sync and import, gphotos xmp, then rebuild from the sidecars', () => {
  const fx = syncedArchive({ items: 30, seed: 16 });

  it('writes a sidecar per item that exiftool reads, and a rebuild restores every manifest field', async () => {
    const zip = await takeoutZip(fx.cli.home);
    const imp = await gphotos(['import', fx.archive, zip, '--json', '--tz', 'UTC'], fx.cli.env);
    expect(imp.exitCode, String(imp.stderr)).toBe(0);
    const before = await manifestItems(fx.archive);
    expect(before.filter((m) => m.quality === 'original')).toHaveLength(3);

    // sync and import wrote every sidecar already (on by default): gphotos xmp finds each one up to date.
    const first = await gphotos(['xmp', fx.archive, '--json'], fx.cli.env);
    expect(first.exitCode, String(first.stdout) + String(first.stderr)).toBe(0);
    expect(JSON.parse(String(first.stdout))).toEqual({ v: 1, event: 'xmp', items: before.length, written: 0, unchanged: before.length, foreign: [], failed: [] });

    const read = await exiftoolReadAll(before.map((m) => join(fx.archive, `${m.path}.xmp`)));
    for (const [i, m] of before.entries()) {
      const t = read[i]!;
      expect(t['SourceFile']).toBe(join(fx.archive, `${m.path}.xmp`));
      const date = exiftoolDate(formatXmpDate(m.localTime, offsetMinutes(m.captureTime, m.localTime)));
      expect(t['XMP-exif:DateTimeOriginal'], m.path).toBe(date);
      expect(t['XMP-photoshop:DateCreated']).toBe(date);
      if (m.gps === undefined) expect(t['XMP-exif:GPSLatitude']).toBeUndefined();
      else {
        expect(t['XMP-exif:GPSLatitude']).toBeCloseTo(m.gps.latitude, 9);
        expect(t['XMP-exif:GPSLongitude']).toBeCloseTo(m.gps.longitude, 9);
      }
      expect(t['XMP-dc:Description']).toBe(m.description === undefined ? undefined : encodeText(m.description));
      expect(t['XMP-xmp:Rating']).toBe(m.favorite === true ? 5 : undefined);
      expect(asList(t['XMP-dc:Subject'])).toEqual([...new Set([...(m.albums ?? []), ...(m.people ?? [])])]);
      expect(asList(t['XMP-iptcExt:PersonInImage'])).toEqual(m.people ?? []);
      expect([t['XMP-gphotos:Key'], t['XMP-gphotos:Quality'], t['XMP-gphotos:Sha256']]).toEqual([m.key, m.quality, m.sha256]);
    }
    const cafe = before.find((m) => m.favorite === true)!;
    expect(cafe).toMatchObject({ albums: ['Trip <2021> & more'], people: ['Zo\u00eb', 'Ren\u00e9 <R>'], localTime: '2021-07-04T15:30:45' });
    expect(offsetMinutes(cafe.captureTime, cafe.localTime)).toBe(345);

    await rm(join(fx.archive, '.gphotos'), { recursive: true });
    const rb = await gphotos(['rebuild', fx.archive, '--tz', 'UTC', '--json'], fx.cli.env);
    expect(rb.exitCode, String(rb.stderr)).toBe(0);
    expect(JSON.parse(String(rb.stdout))).toMatchObject({ items: before.length, fromSidecars: before.length, sidecarsIgnored: [], skipped: [] });
    const after = byKey(await manifestItems(fx.archive));
    expect([...after.keys()].sort()).toEqual(before.map((m) => m.key).sort());
    for (const m of before) expect(after.get(m.key), m.path).toEqual(m);

    const sync = summaryOf((await gphotos(['sync', fx.archive, '--tz', 'UTC', '--json'], fx.cli.env)).stdout);
    expect(sync).toMatchObject({ downloaded: 0, byteCalls: 0, linked: 0 });
    const reimport = await gphotos(['import', fx.archive, zip, '--json', '--tz', 'UTC'], fx.cli.env);
    expect(reimport.exitCode, String(reimport.stderr)).toBe(0);
    expect(summaryOf(reimport.stdout)).toMatchObject({ imported: 0, failed: 0 });
    expect(byKey(await manifestItems(fx.archive))).toEqual(after);
  });

  it('leaves a sidecar another tool rewrote alone, and rebuild ignores one that describes other bytes', async () => {
    const items = await manifestItems(fx.archive);
    const m = items[0]!;
    const file = join(fx.archive, `${m.path}.xmp`);
    const theirs = (await readFile(file, 'utf8')).replace('x:xmptk="gphotos xmp 1"', 'x:xmptk="digiKam"').replace(m.sha256, '0'.repeat(64));
    await writeFile(file, theirs);
    const r = JSON.parse(String((await gphotos(['xmp', fx.archive, '--json'], fx.cli.env)).stdout)) as { foreign: string[] };
    expect(r.foreign).toEqual([`${m.path}.xmp`]);
    expect(await readFile(file, 'utf8')).toBe(theirs);

    const rb = await gphotos(['rebuild', fx.archive, '--force', '--tz', 'UTC', '--json'], fx.cli.env);
    const out = JSON.parse(String(rb.stdout)) as { fromSidecars: number; sidecarsIgnored: { path: string; why: string }[] };
    expect(out.fromSidecars).toBe(items.length - 1);
    expect(out.sidecarsIgnored).toEqual([{ path: `${m.path}.xmp`, why: 'its sidecar describes other bytes (the SHA-256 differs)' }]);
    const rebuilt = await manifestItems(fx.archive);
    expect(rebuilt.find((x) => x.path === m.path)).toMatchObject({ key: `local:${m.sha256}`, refs: [], quality: 'api-copy' });
  });
});

describe('--no-xmp', () => {
  const fx = syncedArchive({ items: 6, seed: 17 }, 'NoSidecars');

  it('is remembered by the archive: a later sync writes none either, and naming --xmp then is refused', async () => {
    const dir = `${fx.archive}-off`;
    const first = await gphotos(['sync', dir, '--no-xmp', '--tz', 'UTC', '--json'], fx.cli.env);
    expect(first.exitCode, String(first.stderr)).toBe(0);
    const later = await gphotos(['sync', dir, '--json'], fx.cli.env);
    expect(later.exitCode, String(later.stderr)).toBe(0);
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(dir, { recursive: true })).map(String);
    expect(files.filter((f) => f.endsWith('.xmp'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.jpg')).length).toBeGreaterThan(0);
    const refused = await gphotos(['sync', dir, '--xmp'], fx.cli.env);
    expect(refused.exitCode).toBe(2);
    expect(String(refused.stderr)).toMatch(/was set up with --xmp off/);
    // The synced archive of the fixture (default on) has a sidecar beside every file.
    const all = (await readdir(fx.archive, { recursive: true })).map(String);
    const media = all.filter((f) => !f.startsWith('.gphotos') && /\.(jpe?g|mp4|png|heic|mov)$/i.test(f));
    for (const f of media) expect(all, f).toContain(`${f}.xmp`);
  });
});

describe('verify and the sidecars', () => {
  const fx = syncedArchive({ items: 8, seed: 18 }, 'Checked');

  it('reports a missing and a stale sidecar (the photos are fine), and --fix rewrites them from the manifest', async () => {
    const items = await manifestItems(fx.archive);
    const [a, b] = items.filter((m) => m.mimeType === 'image/jpeg') as [ManifestItem, ManifestItem];
    expect((await gphotos(['verify', fx.archive], fx.cli.env)).exitCode).toBe(0);
    await rm(join(fx.archive, `${a.path}.xmp`));
    const staleText = (await readFile(join(fx.archive, `${b.path}.xmp`), 'utf8')).replace(b.sha256, 'f'.repeat(64));
    await writeFile(join(fx.archive, `${b.path}.xmp`), staleText);
    const r = await gphotos(['verify', fx.archive, '--json'], fx.cli.env);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ complete: true, sidecars: { missing: [`${a.path}.xmp`], stale: [`${b.path}.xmp`] } });
    const fixed = await gphotos(['verify', fx.archive, '--fix'], fx.cli.env);
    expect(fixed.exitCode, String(fixed.stdout)).toBe(0);
    expect(String(fixed.stdout)).toMatch(/Rewrote 2 XMP sidecars/);
    expect(await readFile(join(fx.archive, `${b.path}.xmp`), 'utf8')).toContain(b.sha256);
    expect((await gphotos(['verify', fx.archive], fx.cli.env)).exitCode).toBe(0);
  });
});
