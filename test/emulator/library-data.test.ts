// The generated library contains the awkward cases the archive must survive, deterministically.
import ExifReader from 'exifreader';
import { describe, expect, it } from 'vitest';
import { generateLibrary } from '../../src/emulator/library-data.js';
import { MediaStore } from '../../src/emulator/media-store.js';

const lib = generateLibrary(1, 300, 'client');
const byName = (name: string) => lib.items.filter((i) => i.filename === name);

describe('generated library', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(generateLibrary(1, 300, 'client')).toEqual(lib);
    expect(generateLibrary(2, 300, 'client').items.map((i) => i.id)).not.toEqual(lib.items.map((i) => i.id));
  });

  it('covers 2015..2025 and all 12 months', () => {
    const years = new Set(lib.items.map((i) => i.creationTime.slice(0, 4)));
    const months = new Set(lib.items.map((i) => i.creationTime.slice(5, 7)));
    for (let y = 2015; y <= 2025; y++) expect(years).toContain(String(y));
    expect(months.size).toBe(12);
  });

  it('holds duplicate, case-only, NFC/NFD and hostile names', () => {
    const dup = byName('IMG_1234.JPG');
    expect(dup).toHaveLength(2);
    expect(dup[0]!.creationTime.slice(0, 7)).toBe(dup[1]!.creationTime.slice(0, 7));
    expect(byName('IMG_0001.JPG')).toHaveLength(1);
    expect(byName('img_0001.jpg')).toHaveLength(1);
    const nfc = 'caf\u00e9.jpg';
    expect(byName(nfc)).toHaveLength(1);
    expect(byName(nfc.normalize('NFD'))).toHaveLength(1);
    const names = lib.items.map((i) => i.filename);
    expect(names).toEqual(expect.arrayContaining(['../x.jpg', 'a/b.jpg', 'CON.jpg', '...']));
    expect(names.some((n) => n.length >= 240)).toBe(true);
    expect(names.some((n) => /[\u0000-\u001f]/.test(n))).toBe(true);
  });

  it('has ~8% videos including PROCESSING and FAILED ones', () => {
    const videos = lib.items.filter((i) => i.kind === 'video');
    expect(videos.length / lib.items.length).toBeGreaterThan(0.05);
    expect(videos.length / lib.items.length).toBeLessThan(0.13);
    expect(videos.some((v) => v.videoStatus === 'PROCESSING')).toBe(true);
    expect(videos.some((v) => v.videoStatus === 'FAILED')).toBe(true);
  });

  it('has photos whose EXIF local month differs from the UTC month, and photos without EXIF', () => {
    const [pxl] = byName('PXL_20210401_053000000.jpg');
    expect(pxl).toMatchObject({ creationTime: '2021-03-31T20:30:00Z', exifDateTimeOriginal: '2021:04:01 05:30:00', exifOffset: '+09:00' });
    const tags = ExifReader.load(new MediaStore().original(pxl!), { expanded: true });
    expect(tags.exif?.DateTimeOriginal?.description).toBe('2021:04:01 05:30:00');
    const noExif = lib.items.filter((i) => i.kind === 'photo' && !i.hasCaptureDate);
    expect(noExif.length).toBeGreaterThanOrEqual(3);
    expect(noExif.every((i) => i.exifDateTimeOriginal === undefined)).toBe(true);
    const photos = lib.items.filter((i) => i.kind === 'photo' && i.hasCaptureDate);
    expect(photos.filter((i) => i.gps).length / photos.length).toBeGreaterThan(0.7);
    expect(photos.every((i) => i.width >= 320 && i.width <= 1024 && i.height >= 240 && i.height <= 1024)).toBe(true);
  });

  it('has albums with items and an empty one', () => {
    expect(lib.albums.filter((a) => a.itemIds.length > 0).length).toBeGreaterThanOrEqual(2);
    expect(lib.albums.some((a) => a.itemIds.length === 0)).toBe(true);
  });
});
