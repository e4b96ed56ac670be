// The emulator's Takeout export: the same library as the API, as Google Takeout writes it (reference §4).
// Checked with independent readers: `unzip`, `tar` and `exiftool` (CI installs unzip and libimage-exiftool-perl).
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import type { LibraryItem } from '../../src/emulator/library-data.js';
import { startEmulator } from '../../src/emulator/server.js';
import { TakeoutExportError, writeTakeoutExport } from '../../src/emulator/takeout-export.js';
import type { WireItem } from './helpers.js';
import { api } from './helpers.js';

const GP = 'Takeout/Google Photos';
let e: Emulator;
let tmp: string;
let tree: string; // a 'dir' export with mixed sidecars and 2 trashed items
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  e = await startEmulator({ items: 60, seed: 3 });
  tmp = await mkdtemp(join(tmpdir(), 'gphotos-takeout-export-'));
  await writeTakeoutExport(e, { outDir: join(tmp, 'tree'), format: 'dir', sidecarStyle: 'mixed', trashed: 2 });
  tree = join(tmp, 'tree', GP);
});
afterAll(async () => {
  await e.stop();
  await rm(tmp, { recursive: true, force: true });
});

interface Sidecar {
  title: string;
  description: string;
  photoTakenTime: { timestamp: string; formatted: string };
  creationTime: { timestamp: string };
  geoData: { latitude: number; longitude: number };
  geoDataExif: { latitude: number; longitude: number };
  url: string;
  favorited?: boolean;
  archived?: boolean;
  trashed?: boolean;
  people?: { name: string }[];
}

async function sidecarsIn(folder: string): Promise<Map<string, Sidecar>> {
  const out = new Map<string, Sidecar>();
  for (const f of await readdir(join(tree, folder))) {
    if (f.endsWith('.json') && f !== 'metadata.json') out.set(f, JSON.parse(await readFile(join(tree, folder, f), 'utf8')) as Sidecar);
  }
  return out;
}

const takenSec = (it: LibraryItem): string => String(Date.parse(it.creationTime) / 1000);
const item = (name: string, nth = 0): LibraryItem => e.library.items.filter((i) => i.filename === name)[nth]!;

async function exif(file: string): Promise<Record<string, unknown>> {
  const r = await execa('exiftool', ['-j', '-n', '-Composite:GPSLatitude', '-Composite:GPSLongitude', '-File:ImageWidth', '-File:ImageHeight',
    '-EXIF:DateTimeOriginal', '-QuickTime:CreateDate', '-QuickTime:ImageWidth', '-QuickTime:ImageHeight', file]);
  return (JSON.parse(r.stdout) as Record<string, unknown>[])[0]!;
}

async function byteHost(it: LibraryItem, suffix: string): Promise<Buffer> {
  const wire = (await api(e, e.issueAccessToken(), `mediaItems/${it.id}`)).body as WireItem;
  const res = await fetch(`${wire.baseUrl}=${suffix}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('Takeout export of the emulator library', () => {
  it('has one sidecar per library item in its UTC year folder, with its title, capture second, GPS, caption and favourite', async () => {
    for (const it of e.library.items) {
      const sidecars = [...(await sidecarsIn(`Photos from ${it.creationTime.slice(0, 4)}`)).values()];
      const mine = sidecars.filter((s) => s.title === it.filename && s.photoTakenTime.timestamp === takenSec(it));
      expect(mine, it.filename).toHaveLength(1);
      const s = mine[0]!;
      expect(s.url).toBe(`https://photos.google.com/photo/${it.id}`);
      expect(s.geoData).toMatchObject({ latitude: it.gps?.lat ?? 0, longitude: it.gps?.lon ?? 0 });
      expect(s.geoDataExif).toEqual(s.geoData);
      expect(s.description).toBe(it.description ?? '');
      expect(s.favorited === true).toBe(it.favorite);
      expect(s.archived === true).toBe(it.archived);
      expect(s.trashed).toBeUndefined();
      expect(Number(s.creationTime.timestamp)).toBeGreaterThanOrEqual(Number(takenSec(it)));
    }
    const fav = (await sidecarsIn('Photos from 2019')).get('favourite.jpg.json') ?? (await sidecarsIn('Photos from 2019')).get('favourite.jpg.supplemental-metadata.json');
    expect(fav).toMatchObject({ description: 'The best one', favorited: true, photoTakenTime: { formatted: '12 Nov 2019, 10:11:11 UTC' } });
    const all = await Promise.all((await readdir(tree)).filter((d) => d.startsWith('Photos from')).map((d) => sidecarsIn(d)));
    expect(all.flatMap((m) => [...m.values()]).some((s) => (s.people?.length ?? 0) > 0)).toBe(true);
  });

  it('names duplicates with (n), clips sidecar stems to 46 characters, and writes both sidecar generations', async () => {
    const y2019 = await readdir(join(tree, 'Photos from 2019'));
    expect(y2019).toEqual(expect.arrayContaining(['IMG_1234.JPG', 'IMG_1234(1).JPG']));
    expect(y2019.filter((f) => /^IMG_1234\.JPG(\.supplemental-metadata)?\(1\)\.json$/.test(f))).toHaveLength(1);
    const dup = (await sidecarsIn('Photos from 2019'));
    const counted = [...dup].find(([f]) => f.includes('(1)'))![1];
    expect(counted).toMatchObject({ title: 'IMG_1234.JPG', photoTakenTime: { timestamp: takenSec(item('IMG_1234.JPG', 1)) } });

    const y2017 = await readdir(join(tree, 'Photos from 2017'));
    const long = item(`${'a_very_long_file_name_'.repeat(11)}end.jpg`);
    expect(y2017).toContain(long.filename); // the media file keeps its 249-character name
    const longSidecar = y2017.find((f) => f.startsWith('a_very_long') && f.endsWith('.json'))!;
    expect(longSidecar).toBe(`${long.filename.slice(0, 46)}.json`);
    expect(longSidecar.length).toBe(51);
    for (const d of (await readdir(tree)).filter((x) => x !== 'archive_browser.html')) {
      for (const f of await readdir(join(tree, d))) if (f.endsWith('.json')) expect([...f.replace(/(\(\d+\))?\.json$/, '')].length, f).toBeLessThanOrEqual(46);
    }
    const names = (await Promise.all((await readdir(tree)).filter((d) => d.startsWith('Photos')).map((d) => readdir(join(tree, d))))).flat();
    expect(names.some((f) => f.endsWith('.supplemental-metadata.json'))).toBe(true);
    expect(names.some((f) => /\.(jpg|JPG|mp4)\.json$/.test(f))).toBe(true);
  });

  it('writes awkward names as an archive can hold them; NFC and NFD twins stay two files', async () => {
    const y2018 = await readdir(join(tree, 'Photos from 2018'));
    expect(y2018).toEqual(expect.arrayContaining(['caf\u00e9.jpg', 'cafe\u0301.jpg']));
    const y2017 = await readdir(join(tree, 'Photos from 2017'));
    expect(y2017).toEqual(expect.arrayContaining(['.._x.jpg', 'a_b.jpg', 'bell_tab_here_newline.jpg']));
    const titles = [...(await sidecarsIn('Photos from 2017')).values()].map((s) => s.title);
    expect(titles).toEqual(expect.arrayContaining(['../x.jpg', 'a/b.jpg', 'bell\u0007tab\there\nnewline.jpg']));
    // A name without an extension gets one; its sidecar keeps the bare title ('20030616.jpg' + '20030616.json').
    expect((await readdir(join(tree, 'Photos from 2016'))).filter((f) => f.startsWith('...'))).toEqual(expect.arrayContaining(['....jpg']));
  });

  it('writes originals: the photo holds the GPS that =d strips, same pixels and capture time; the video differs from =dv but keeps its creation time', async () => {
    const it = e.library.items.find((i) => i.kind === 'photo' && i.gps !== undefined && i.filename === 'PXL_20210401_053000000.jpg') ?? e.library.items.find((i) => i.kind === 'photo' && i.gps !== undefined)!;
    const original = join(tree, `Photos from ${it.creationTime.slice(0, 4)}`, it.filename);
    const d = join(tmp, 'download.jpg');
    await writeFile(d, await byteHost(it, 'd'));
    const [o, dl] = [await exif(original), await exif(d)];
    expect(o.GPSLatitude).toBeCloseTo(it.gps!.lat, 6);
    expect(o.GPSLongitude).toBeCloseTo(it.gps!.lon, 6);
    expect(dl.GPSLatitude).toBeUndefined();
    expect([o.ImageWidth, o.ImageHeight, o.DateTimeOriginal]).toEqual([it.width, it.height, it.exifDateTimeOriginal]);
    expect([dl.ImageWidth, dl.ImageHeight, dl.DateTimeOriginal]).toEqual([o.ImageWidth, o.ImageHeight, o.DateTimeOriginal]);
    expect((await readFile(original)).equals(await readFile(d))).toBe(false);

    const v = e.library.items.find((i) => i.kind === 'video' && i.videoStatus === 'READY')!;
    const vOriginal = join(tree, `Photos from ${v.creationTime.slice(0, 4)}`, v.filename);
    const dv = join(tmp, 'transcode.mp4');
    await writeFile(dv, await byteHost(v, 'dv'));
    expect((await readFile(vOriginal)).equals(await readFile(dv))).toBe(false);
    const [vo, vt] = [await exif(vOriginal), await exif(dv)];
    expect(vo.CreateDate).toBe(v.creationTime.slice(0, 19).replace(/-/g, ':').replace('T', ' '));
    expect([vo.CreateDate, vo.ImageWidth, vo.ImageHeight]).toEqual([vt.CreateDate, vt.ImageWidth, vt.ImageHeight]);
  });

  it('puts copies of album items in album folders with metadata.json, and trashed items in Trash', async () => {
    const yearHashes = new Set<string>();
    for (const d of (await readdir(tree)).filter((x) => x.startsWith('Photos from'))) {
      for (const f of await readdir(join(tree, d))) if (!f.endsWith('.json')) yearHashes.add(sha(await readFile(join(tree, d, f))));
    }
    for (const album of e.library.albums) {
      const folder = album.title.replace(/\//g, '_');
      expect(JSON.parse(await readFile(join(tree, folder, 'metadata.json'), 'utf8'))).toMatchObject({ title: album.title, access: 'protected' });
      const media = (await readdir(join(tree, folder))).filter((f) => !f.endsWith('.json'));
      expect(media, album.title).toHaveLength(album.itemIds.length);
      const titles = [...(await sidecarsIn(folder)).values()].map((s) => s.url).sort();
      expect(titles).toEqual(album.itemIds.map((id) => `https://photos.google.com/photo/${id}`).sort());
      for (const f of media) expect(yearHashes.has(sha(await readFile(join(tree, folder, f)))), `${folder}/${f}`).toBe(true);
    }
    const trash = await sidecarsIn('Trash');
    expect(trash.size).toBe(2);
    for (const s of trash.values()) expect(s.trashed).toBe(true);
  });
});

describe('Takeout archives', () => {
  it('splits a zip export into valid parts under the limit, some sidecars in another part than their photo, the same bytes every run', async () => {
    const max = 300_000;
    const a = await writeTakeoutExport(e, { outDir: join(tmp, 'zip-a'), format: 'zip', maxPartBytes: max });
    const b = await writeTakeoutExport(e.library, { outDir: join(tmp, 'zip-b'), format: 'zip', maxPartBytes: max });
    expect(a.files.length).toBeGreaterThan(2);
    expect(a.items).toBe(e.library.items.length);
    const partOf = new Map<string, number>();
    for (const [n, file] of a.files.entries()) {
      expect(file).toMatch(/takeout-20260101T000000Z-00\d\.zip$/);
      expect((await stat(file)).size).toBeLessThanOrEqual(max);
      expect((await execa('unzip', ['-tq', file], { reject: false })).exitCode).toBe(0);
      for (const name of (await execa('unzip', ['-Z1', file])).stdout.split('\n')) partOf.set(name, n);
    }
    const split = [...partOf].filter(([name, n]) => name.endsWith('.supplemental-metadata.json') && partOf.has(name.replace('.supplemental-metadata.json', '')) && partOf.get(name.replace('.supplemental-metadata.json', '')) !== n);
    expect(split.length).toBeGreaterThan(0);
    expect(partOf.has(`${GP}/Photos from 2018/cafe\u0301.jpg`) && partOf.has(`${GP}/Photos from 2018/caf\u00e9.jpg`)).toBe(true);
    expect(await Promise.all(a.files.map(async (f) => sha(await readFile(f))))).toEqual(await Promise.all(b.files.map(async (f) => sha(await readFile(f)))));
  });

  it('writes .tgz parts that tar lists, the same bytes every run', async () => {
    const a = await writeTakeoutExport(e, { outDir: join(tmp, 'tgz-a'), format: 'tgz', maxPartBytes: 1_000_000, trashed: 1 });
    const b = await writeTakeoutExport(e, { outDir: join(tmp, 'tgz-b'), format: 'tgz', maxPartBytes: 1_000_000, trashed: 1 });
    expect(a.files.length).toBeGreaterThan(1);
    const listed = (await Promise.all(a.files.map(async (f) => (await execa('tar', ['tzf', f])).stdout.split('\n')))).flat();
    expect(listed.filter((p) => p.startsWith(`${GP}/Photos from`) && !p.endsWith('.json'))).toHaveLength(e.library.items.length);
    expect(listed).toContain(`${GP}/Photos from 2017/${'a_very_long_file_name_'.repeat(11)}end.jpg`);
    expect(listed.some((p) => p.startsWith(`${GP}/Trash/`))).toBe(true);
    expect(await Promise.all(a.files.map(async (f) => sha(await readFile(f))))).toEqual(await Promise.all(b.files.map(async (f) => sha(await readFile(f)))));
  });

  it('refuses to overwrite an export and rejects a bad part size, saying what to do', async () => {
    const out = join(tmp, 'zip-a');
    const before = await readdir(out);
    await expect(writeTakeoutExport(e, { outDir: out, format: 'zip', maxPartBytes: 300_000 })).rejects.toThrow(/already exists.*never overwrites/);
    expect(await readdir(out)).toEqual(before);
    const bad = writeTakeoutExport(e, { outDir: join(tmp, 'bad'), format: 'zip', maxPartBytes: 10 });
    await expect(bad).rejects.toBeInstanceOf(TakeoutExportError);
    await expect(bad).rejects.toThrow(/1024 bytes to 4294967295 bytes/);
  });
});
