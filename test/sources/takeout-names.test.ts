// Sidecar matching against the naming quirks of real exports (reference/google-photos-api.md §4.4–4.6).
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/sources/takeout/catalog.js';
import { entryPathProblem } from '../../src/sources/takeout/entry-path.js';
import type { Entry } from '../../src/sources/takeout/input.js';
import { localTimeFromName, splitCounter, stripEditSuffix } from '../../src/sources/takeout/names.js';
import { canonicalNames } from '../../src/sources/takeout/sidecar-forms.js';
import { parseSidecar } from '../../src/sources/takeout/sidecar.js';
import { sidecarJson } from '../helpers/takeout-fixture.js';

const D = 'Takeout/Google Photos/Photos from 2019';
const entry = (name: string): Entry => ({ path: `${D}/${name}`, size: 10, compressedSize: 10, mtimeMs: 0 });

/** media name -> title of the sidecar it got ('' when none). */
function match(media: string[], sidecars: Record<string, string>): Record<string, string> {
  const json = new Map(Object.entries(sidecars).map(([name, title]) => [`${D}/${name}`, sidecarJson({ title, takenSec: 1_500_000_000 })]));
  const cat = buildCatalog([{ entries: [...media.map(entry), ...[...json.keys()].map((p) => ({ path: p, size: 1, compressedSize: 1, mtimeMs: 0 }))], json }]);
  return Object.fromEntries(cat.items.map((i) => [i.name, i.sidecar?.title ?? '']));
}

describe('sidecar matching', () => {
  it('finds both generations, unclipped and clipped at 46 characters', () => {
    const long = 'Screenshot_20190101-123456_Some Very Long App Name.jpg'; // 54 chars
    expect(match(['IMG_1.jpg', 'IMG_2.jpg', long, 'IMG_3.jpg'], {
      'IMG_1.jpg.json': 'IMG_1.jpg',
      'IMG_2.jpg.supplemental-metadata.json': 'IMG_2.jpg',
      [`${long.slice(0, 46)}.json`]: long,
      'IMG_3.jpg.supple.json': 'IMG_3.jpg',
    })).toEqual({ 'IMG_1.jpg': 'IMG_1.jpg', 'IMG_2.jpg': 'IMG_2.jpg', [long]: long, 'IMG_3.jpg': 'IMG_3.jpg' });
  });

  it('moves the (n) counter behind the extension, in both generations', () => {
    expect(match(['IMG(1).jpg', 'IMG.jpg', 'PIC(2).jpg'], {
      'IMG.jpg(1).json': 'IMG.jpg#1',
      'IMG.jpg.json': 'IMG.jpg',
      'PIC.jpg.supplemental-metadata(2).json': 'PIC.jpg#2',
    })).toEqual({ 'IMG(1).jpg': 'IMG.jpg#1', 'IMG.jpg': 'IMG.jpg', 'PIC(2).jpg': 'PIC.jpg#2' });
  });

  it('lets edits, live-photo videos, motion parts and ~n copies borrow their original sidecar', () => {
    const got = match(['IMG-edited.jpg', 'DSC-bearbeitet.jpg', 'IMG_2551.HEIC', 'IMG_2551.MOV', 'PXL_1.MP.jpg', 'PXL_1.MP', 'A~2.jpg', 'LONE.MOV'], {
      'IMG.jpg.json': 'IMG.jpg',
      'DSC.jpg.supplemental-metadata.json': 'DSC.jpg',
      'IMG_2551.HEIC.supplemental-metadata.json': 'IMG_2551.HEIC',
      'PXL_1.MP.jpg.supplemental-metadata.json': 'PXL_1.MP.jpg',
      'A.jpg.json': 'A.jpg',
    });
    expect(got).toEqual({
      'IMG-edited.jpg': 'IMG.jpg', 'DSC-bearbeitet.jpg': 'DSC.jpg', 'IMG_2551.HEIC': 'IMG_2551.HEIC', 'IMG_2551.MOV': 'IMG_2551.HEIC',
      'PXL_1.MP.jpg': 'PXL_1.MP.jpg', 'PXL_1.MP': 'PXL_1.MP.jpg', 'A~2.jpg': 'A.jpg', 'LONE.MOV': '',
    });
  });

  it('matches files uploaded without an extension, and falls back to the title', () => {
    expect(match(['20030616.jpg', 'renamed.jpg'], { '20030616.json': '20030616', 'x.json': 'renamed.jpg' }))
      .toEqual({ '20030616.jpg': '20030616', 'renamed.jpg': 'renamed.jpg' });
  });

  it('gives borrowed sidecars distinct ids and reports malformed ones', () => {
    const json = new Map([
      [`${D}/IMG.jpg.json`, sidecarJson({ title: 'IMG.jpg', takenSec: 1_500_000_000, url: 'https://photos.google.com/photo/x' })],
      [`${D}/BAD.jpg.json`, '{"title": "BAD.jpg", "photoTakenTime": '],
    ]);
    const cat = buildCatalog([{ entries: [entry('IMG.jpg'), entry('IMG-edited.jpg'), entry('BAD.jpg')], json }]);
    expect(Object.fromEntries(cat.items.map((i) => [i.name, i.id]))).toEqual({
      'IMG.jpg': 'https://photos.google.com/photo/x', 'IMG-edited.jpg': 'https://photos.google.com/photo/x#edited:img-edited.jpg', 'BAD.jpg': undefined,
    });
    expect(cat.problems).toEqual([{ path: `${D}/BAD.jpg.json`, reason: 'bad-sidecar', detail: 'not a JSON object' }]);
  });

  it('marks trash by folder or by the sidecar, and ignores non-media', () => {
    const json = new Map([[`${D}/T.jpg.json`, sidecarJson({ title: 'T.jpg', takenSec: 1, trashed: true })]]);
    const cat = buildCatalog([{ entries: [entry('T.jpg'), entry('index.html'), { path: 'Takeout/Google Photos/Bin/x.jpg', size: 1, compressedSize: 1, mtimeMs: 0 }], json }]);
    expect(cat.items.map((i) => [i.name, i.trashed])).toEqual([['T.jpg', true], ['x.jpg', true]]);
  });
});

describe('name helpers', () => {
  it('reads dates from camera and app file names', () => {
    expect(localTimeFromName('PXL_20230101_123456789.jpg')).toBe('2023-01-01T12:34:56');
    expect(localTimeFromName('IMG_20190509_154733.jpg')).toBe('2019-05-09T15:47:33');
    expect(localTimeFromName('VID-20200102-WA0001.mp4')).toBe('2020-01-02T00:00:00');
    expect(localTimeFromName('Screenshot_2019-09-19-05-38-57.png')).toBe('2019-09-19T05:38:57');
    expect(localTimeFromName('IMG_1234.jpg')).toBeUndefined();
    expect(localTimeFromName('IMG_20190231_000000.jpg')).toBeUndefined();
  });

  it('splits counters and edit suffixes, and lists clipped stems', () => {
    expect(splitCounter('IMG(12).jpg')).toEqual({ base: 'IMG.jpg', counter: 12 });
    expect(stripEditSuffix('IMG-modifié.jpg')).toBe('IMG.jpg');
    expect(stripEditSuffix('IMG.jpg')).toBeUndefined();
    expect(canonicalNames({ title: 'a.jpg', counter: 0 })).toEqual(['a.jpg.supplemental-metadata.json', 'a.jpg.json']);
    expect(canonicalNames({ title: 'a.jpg', counter: 2 })).toEqual(['a.jpg.supplemental-metadata(2).json', 'a.jpg(2).json']);
  });

  it('refuses entry names that leave the extraction root', () => {
    expect(entryPathProblem('../evil.jpg')).toMatch(/\.\./);
    expect(entryPathProblem('a/../../evil.jpg')).toMatch(/\.\./);
    expect(entryPathProblem('/etc/passwd')).toMatch(/absolute/);
    expect(entryPathProblem('C:/x.jpg')).toMatch(/drive/);
    expect(entryPathProblem('a\\..\\x.jpg')).toMatch(/\.\./);
    expect(entryPathProblem('Takeout/Google Photos/x..y.jpg')).toBeUndefined();
  });

  it('parses sidecar fields and ignores 0/0 locations', () => {
    const m = parseSidecar(sidecarJson({ title: 'a.jpg', takenSec: 5, geo: { latitude: 0, longitude: 0 }, archived: true }));
    expect(m).toEqual({ title: 'a.jpg', takenSec: 5, archived: true });
  });
});
