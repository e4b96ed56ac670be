// Sidecars on a real disk, read back by two independent readers (exiftool, exiv2) for every field.
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkXmpSidecar, partPathFor, sidecarPath, writeNewXmpSidecarSync, writeXmpSidecar } from '../../src/archive/xmp-sidecar.js';
import type { ManifestItem } from '../../src/core/types.js';
import { renderXmp } from '../../src/core/xmp.js';
import { encodeText, formatGpsCoordinate, formatXmpDate, offsetMinutes } from '../../src/core/xmp-values.js';
import { AWKWARD, exiftoolDate, exiftoolRead, exiv2Read } from './xmp-fixtures.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gphotos-xmp-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function withMedia(item: ManifestItem): Promise<string> {
  const abs = join(root, ...item.path.split('/'));
  await mkdir(dirname(abs), { recursive: true });
  await writeFile(abs, 'media bytes');
  return `${abs}.xmp`;
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const dateOf = (m: ManifestItem): string => formatXmpDate(m.localTime, offsetMinutes(m.captureTime, m.localTime));

describe('writeXmpSidecar, read back by exiftool and exiv2', () => {
  it.each(AWKWARD.map((m) => [m.path, m] as const))('%s: every field the manifest holds', async (_p, item) => {
    const file = await withMedia(item);
    expect(await writeXmpSidecar(root, item)).toBe('written');
    expect(file.endsWith(`${item.path.split('/').pop()}.xmp`)).toBe(true);

    const t = await exiftoolRead(file);
    const date = exiftoolDate(dateOf(item));
    expect([t['XMP-exif:DateTimeOriginal'], t['XMP-photoshop:DateCreated'], t['XMP-xmp:CreateDate']]).toEqual([date, date, date]);
    expect(t['XMP-exif:GPSLatitude']).toBeCloseTo(item.gps!.latitude, 9);
    expect(t['XMP-exif:GPSLongitude']).toBeCloseTo(item.gps!.longitude, 9);
    if (item.gps!.altitude === undefined) expect(t['Composite:GPSAltitude']).toBeUndefined();
    else expect(t['Composite:GPSAltitude']).toBeCloseTo(item.gps!.altitude, 9);
    expect(t['XMP-dc:Description']).toBe(item.description === undefined ? undefined : encodeText(item.description));
    expect(t['XMP-xmp:Rating']).toBe(item.favorite === true ? 5 : undefined);
    const albums = item.albums ?? [];
    const people = item.people ?? [];
    expect(asList(t['XMP-dc:Subject'])).toEqual([...new Set([...albums, ...people])]);
    expect(asList(t['XMP-lr:HierarchicalSubject'])).toEqual([...albums.map((a) => `Albums|${a}`), ...people.map((n) => `People|${n}`)]);
    expect(asList(t['XMP-iptcExt:PersonInImage'])).toEqual(people);
    expect(t['XMP-gphotos:Key']).toBe(item.key);
    expect(asList(t['XMP-gphotos:Refs'])).toEqual(item.refs.map((r) => `${r.source}:${r.id}`));
    expect(t['XMP-gphotos:Quality']).toBe(item.quality);
    expect(t['XMP-gphotos:Sha256']).toBe(item.sha256);
    expect(t['XMP-gphotos:Filename']).toBe(encodeText(item.filename));
    expect(t['XMP-gphotos:TimeSource']).toBe(item.timeSource);
    expect(t['XMP-gphotos:MimeType']).toBe(item.mimeType);
    expect(t['XMP-gphotos:Archived']).toBe(item.archived === true ? true : undefined);

    const x = await exiv2Read(file);
    const v = (k: string): string | undefined => x.get(k)?.value;
    expect([v('Xmp.exif.DateTimeOriginal'), v('Xmp.photoshop.DateCreated'), v('Xmp.xmp.CreateDate')]).toEqual([dateOf(item), dateOf(item), dateOf(item)]);
    expect(v('Xmp.exif.GPSLatitude')).toBe(formatGpsCoordinate(item.gps!.latitude, 'lat'));
    expect(v('Xmp.exif.GPSLongitude')).toBe(formatGpsCoordinate(item.gps!.longitude, 'lon'));
    if (item.gps!.altitude !== undefined) expect(v('Xmp.exif.GPSAltitudeRef')).toBe(item.gps!.altitude < 0 ? 'Below sea level' : 'Above sea level');
    expect(v('Xmp.dc.description')).toBe(item.description === undefined ? undefined : `lang="x-default" ${encodeText(item.description)}`);
    expect(v('Xmp.xmp.Rating')).toBe(item.favorite === true ? '5' : undefined);
    expect(x.get('Xmp.dc.subject')?.type).toBe(albums.length + people.length > 0 ? 'XmpBag' : undefined);
    expect(v('Xmp.iptcExt.PersonInImage')).toBe(people.length > 0 ? people.join(', ') : undefined);
    expect(v('Xmp.gphotos.Key')).toBe(item.key);
    expect(x.get('Xmp.gphotos.Refs')).toEqual({ type: 'XmpSeq', value: item.refs.map((r) => `${r.source}:${r.id}`).join(', ') });
    expect([v('Xmp.gphotos.Quality'), v('Xmp.gphotos.Sha256'), v('Xmp.gphotos.Filename')]).toEqual([item.quality, item.sha256, encodeText(item.filename)]);
    expect([v('Xmp.gphotos.CaptureTime'), v('Xmp.gphotos.LocalTime')]).toEqual([item.captureTime, item.localTime]);
  });
});

describe('writeXmpSidecar and checkXmpSidecar on disk', () => {
  const item = AWKWARD[0]!;

  it('writes once, then finds it unchanged; a manifest change makes it stale until rewritten', async () => {
    const file = await withMedia(item);
    expect(await checkXmpSidecar(root, item)).toBe('missing');
    expect(await writeXmpSidecar(root, item)).toBe('written');
    expect(await readFile(file, 'utf8')).toBe(renderXmp(item));
    expect(await checkXmpSidecar(root, item)).toBe('ok');
    expect(await writeXmpSidecar(root, item)).toBe('unchanged');
    const later = { ...item, albums: [...(item.albums ?? []), 'New album'] };
    expect(await checkXmpSidecar(root, later)).toBe('stale');
    expect(await writeXmpSidecar(root, later)).toBe('written');
    expect(await checkXmpSidecar(root, later)).toBe('ok');
    // Nothing but the media file and its sidecar: no temp file left.
    expect((await readdir(dirname(file))).sort()).toEqual([item.path.split('/').pop()!, `${item.path.split('/').pop()!}.xmp`].sort());
  });

  it('never replaces a sidecar another tool wrote', async () => {
    const file = await withMedia(item);
    const theirs = renderXmp(item).replace('x:xmptk="gphotos xmp 1"', 'x:xmptk="XMP Core 4.4.0-Exiv2"') + '<!-- edited in darktable -->\n';
    await writeFile(file, theirs);
    expect(await writeXmpSidecar(root, item)).toBe('foreign');
    expect(await checkXmpSidecar(root, item)).toBe('foreign');
    expect(await readFile(file, 'utf8')).toBe(theirs);
    await writeFile(file, 'not xml at all');
    expect(await writeXmpSidecar(root, item)).toBe('foreign');
    expect(await readFile(file, 'utf8')).toBe('not xml at all');
  });

  it('follows no symlink: not at the sidecar, not at its .part, not through a folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'gphotos-outside-'));
    try {
      const victim = join(outside, 'victim.txt');
      await writeFile(victim, 'keep me');
      const file = await withMedia(item);
      await symlink(victim, file);
      expect(await writeXmpSidecar(root, item)).toBe('foreign');
      expect(await checkXmpSidecar(root, item)).toBe('foreign');
      await rm(file);
      await symlink(victim, `${file}.gphotos.part`); // as if planted where the temp file goes
      expect(await writeXmpSidecar(root, item)).toBe('written');
      expect(await readFile(victim, 'utf8')).toBe('keep me');
      expect((await lstat(file)).isFile()).toBe(true);

      const other: ManifestItem = { ...item, key: 'library:x', path: 'linked/a.jpg' };
      await symlink(outside, join(root, 'linked'));
      await expect(writeXmpSidecar(root, other)).rejects.toThrow(/resolves outside the archive/);
      expect((await readdir(outside)).sort()).toEqual(['victim.txt']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('replaces a .part a killed run left', async () => {
    const file = await withMedia(item);
    await writeFile(`${file}.gphotos.part`, '<half');
    expect(await writeXmpSidecar(root, item)).toBe('written');
    expect(await readFile(file, 'utf8')).toBe(renderXmp(item));
    expect(await readdir(dirname(file))).not.toContain(`${sidecarPath(item.path).split('/').pop()!}.gphotos.part`);
  });
});

describe('long names', () => {
  it('writes the sidecar of a 240-byte name (the longest the archive makes) through a shortened .part', async () => {
    const name = `${'\u00e9'.repeat(118)}.jpg`; // 240 bytes in UTF-8
    const item: ManifestItem = { ...AWKWARD[1]!, path: `2019/03/${name}` };
    const file = await withMedia(item);
    expect(await writeXmpSidecar(root, item)).toBe('written');
    expect(await readFile(file, 'utf8')).toBe(renderXmp(item));
    expect((await readdir(dirname(file))).sort()).toEqual([name, `${name}.xmp`]);
    expect(partPathFor(file).endsWith('.gphotos.part')).toBe(true);
    expect(Buffer.byteLength(partPathFor(file).split('/').pop()!)).toBeLessThanOrEqual(255);
  });
});

describe('writeNewXmpSidecarSync: the fast way for a file just stored', () => {
  const item = AWKWARD[0]!;
  const media = (): string => join(root, ...item.path.split('/'));

  it('writes the whole sidecar and leaves no .part', async () => {
    const file = await withMedia(item);
    expect(writeNewXmpSidecarSync(media(), item)).toBe('written');
    expect(await readFile(file, 'utf8')).toBe(renderXmp(item));
    expect(await checkXmpSidecar(root, item)).toBe('ok');
    expect((await readdir(dirname(file))).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('replaces nothing that is there (a sidecar, a leftover .part): the careful way decides', async () => {
    const file = await withMedia(item);
    await writeFile(file, 'a user sidecar');
    expect(writeNewXmpSidecarSync(media(), item)).toBe('not-new');
    expect(await readFile(file, 'utf8')).toBe('a user sidecar');
    expect((await readdir(dirname(file))).filter((n) => n.endsWith('.part'))).toEqual([]);
    await rm(file);
    await writeFile(partPathFor(file), 'half of an old one');
    expect(writeNewXmpSidecarSync(media(), item)).toBe('not-new');
    await expect(lstat(file)).rejects.toThrow(/ENOENT/);
  });
});
