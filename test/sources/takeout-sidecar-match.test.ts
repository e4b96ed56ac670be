// The pure matcher: its answer depends on the set of names only, exact names beat looser ones, and a sidecar
// two files compete for at one rule is given to neither unless its title names one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffMedia } from '../../src/sources/takeout/magic.js';
import { canonicalNames, tolerantNames } from '../../src/sources/takeout/sidecar-forms.js';
import { matchSidecars, type FolderSidecar, type SidecarMatch } from '../../src/sources/takeout/sidecar-match.js';

const sc = (name: string, title: string): FolderSidecar => ({ name, title });
const plain = (m: Map<string, SidecarMatch>): Record<string, string> =>
  Object.fromEntries([...m].map(([k, v]) => [k, v.kind === 'sidecar' ? `${v.sidecar} [${v.variant}]` : v.kind]));

describe('matchSidecars', () => {
  it('answers the same for any order of the same names', () => {
    const media = ['DSC_0103.JPG', 'DSC_0103(1).JPG', 'IMG-edited.jpg', 'IMG.jpg', 'IMG(1).jpg', 'IMG_2.HEIC', 'IMG_2.MOV', 'Caf\u00e9.jpg', 'Cafe\u0301.jpg', 'a (2).jpg', 'a .jpg'];
    const sidecars = [
      sc('DSC_0103.JPG(1).json', 'DSC_0103.JPG'), sc('IMG.jpg.json', 'IMG.jpg'), sc('IMG.jpg(1).json', 'IMG.jpg'), sc('IMG_2.HEIC.json', 'IMG_2.HEIC'),
      sc('Cafe\u0301.jpg.json', 'Cafe\u0301.jpg'), sc('a (2).jpg.json', 'a (2).jpg'), sc('a .jpg(2).json', 'a .jpg'), sc('x.json', 'IMG_2.HEIC'),
    ];
    const expected = plain(matchSidecars(media, sidecars));
    fc.assert(fc.property(fc.shuffledSubarray(media, { minLength: media.length }), fc.shuffledSubarray(sidecars, { minLength: sidecars.length }), (m, s) => {
      expect(plain(matchSidecars(m, s))).toEqual(expected);
    }), { numRuns: 200 });
    expect(expected).toMatchObject({
      'DSC_0103.JPG': 'none', 'DSC_0103(1).JPG': 'DSC_0103.JPG(1).json [self]', 'IMG-edited.jpg': 'IMG.jpg.json [edited]', 'IMG(1).jpg': 'IMG.jpg(1).json [self]',
      'IMG_2.MOV': 'IMG_2.HEIC.json [live]', 'Cafe\u0301.jpg': 'Cafe\u0301.jpg.json [self]', 'Caf\u00e9.jpg': 'none', 'a (2).jpg': 'a (2).jpg.json [self]', 'a .jpg': 'none',
    });
  });

  it('never gives a sidecar taken at a stricter rule to a looser claimant', () => {
    // 'IMG_7.jpg.json' is exact for IMG_7.jpg and a tolerated form for nothing else; 'IMG_7.json' is the
    // no-extension form for both the photo and its video, whose title settles it.
    const m = matchSidecars(['IMG_7.jpg', 'IMG_7.mp4'], [sc('IMG_7.jpg.json', 'IMG_7.jpg'), sc('IMG_7.json', 'IMG_7.mp4')]);
    expect(plain(m)).toEqual({ 'IMG_7.jpg': 'IMG_7.jpg.json [self]', 'IMG_7.mp4': 'IMG_7.json [self]' });
  });

  it('reports a contested sidecar on both files, and folds case only with a single candidate', () => {
    const contested = matchSidecars(['IMG_8.jpg', 'IMG_8.mp4'], [sc('IMG_8.json', 'something else')]);
    expect(plain(contested)).toEqual({ 'IMG_8.jpg': 'ambiguous', 'IMG_8.mp4': 'ambiguous' });
    const twoFolds = matchSidecars(['img_9.jpg'], [sc('IMG_9.JPG.json', 'IMG_9.JPG'), sc('Img_9.jpg.json', 'Img_9.jpg')]);
    expect(twoFolds.get('img_9.jpg')).toEqual({ kind: 'ambiguous', sidecars: ['IMG_9.JPG.json', 'Img_9.jpg.json'] });
    expect(plain(matchSidecars(['img_9.jpg'], [sc('IMG_9.JPG.json', 'IMG_9.JPG')]))).toEqual({ 'img_9.jpg': 'IMG_9.JPG.json [self]' });
  });

  it('clips at 46 UTF-16 units and tries both halves of a cut surrogate pair', () => {
    const name = `${'a'.repeat(45)}😀.jpg`;
    expect(canonicalNames({ title: name, counter: 0 })).toContain(`${'a'.repeat(45)}.json`);
    expect(canonicalNames({ title: name, counter: 0 })).toContain(`${'a'.repeat(45)}\uFFFD.json`);
    expect(tolerantNames({ title: 'IMG_1.jpg', counter: 0 })).toEqual(expect.arrayContaining(['IMG_1.jpg.supplemental-metadat.json', 'IMG_1.json', 'IMG_1.supplemental-metadata.json']));
    expect(tolerantNames({ title: 'IMG_1.jpg', counter: 0 })).not.toContain('IMG_.json');
  });
});

describe('sniffMedia', () => {
  it('knows photos and videos by their first bytes, and nothing else', () => {
    const ftyp = (brand: string): Uint8Array => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brand}`)]);
    expect(sniffMedia(Buffer.from([0xff, 0xd8, 0xff, 0xe1]))).toBe('image/jpeg');
    expect(sniffMedia(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))).toBe('image/png');
    expect(sniffMedia(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(sniffMedia(ftyp('heic'))).toBe('image/heic');
    expect(sniffMedia(ftyp('isom'))).toBe('video/mp4');
    expect(sniffMedia(ftyp('qt  '))).toBe('video/quicktime');
    expect(sniffMedia(Buffer.from('{"title": "x"}'))).toBeUndefined();
    expect(sniffMedia(Buffer.from([0xff, 0xd8]))).toBeUndefined();
  });
});
