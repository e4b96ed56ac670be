import { describe, expect, it } from 'vitest';
import { identityKey, matchIdentity } from '../../src/core/identity.js';
import type { ManifestItem, RemoteItem } from '../../src/core/types.js';

function remote(over: Partial<RemoteItem> = {}): RemoteItem {
  return {
    ref: { source: 'picker', id: 'p1' },
    filename: 'IMG_1234.JPG',
    mimeType: 'image/jpeg',
    kind: 'photo',
    creationTime: '2019-03-09T12:42:00.250Z',
    width: 4032,
    height: 3024,
    ...over,
  };
}

function archived(key: string, over: Partial<ManifestItem> = {}): ManifestItem {
  return {
    key,
    refs: [{ source: 'takeout', id: key }],
    path: `2019/03/${key}.jpg`,
    size: 100,
    sha256: 'x',
    captureTime: '2019-03-09T12:42:00Z',
    localTime: '2019-03-09T13:42:00',
    timeSource: 'exif',
    mimeType: 'image/jpeg',
    filename: 'img_1234.jpg',
    width: 4032,
    height: 3024,
    quality: 'original',
    fetchedAt: '2024-01-01T00:00:00Z',
    mtimeStamped: true,
    ...over,
  };
}

describe('identityKey', () => {
  it('uses the NFC-lowercased name, the UTC second and the size when known', () => {
    expect(identityKey({ filename: 'Cafe\u0301.JPG', captureTime: '2019-03-09T21:42:00.999+09:00', width: 10, height: 20 })).toBe(
      'caf\u00e9.jpg|2019-03-09T12:42:00Z|10x20',
    );
    expect(identityKey({ filename: 'a.jpg', captureTime: '2019-03-09T12:42:00Z' })).toBe('a.jpg|2019-03-09T12:42:00Z');
  });
});

describe('matchIdentity', () => {
  it('finds one match despite case, sub-seconds and a different id space', () => {
    expect(matchIdentity(remote(), [archived('t1')])).toEqual({ kind: 'one', key: 't1' });
  });

  it('compares pixel sizes only when both sides know them', () => {
    expect(matchIdentity(remote(), [archived('t1', { width: 3024, height: 4032 })])).toEqual({ kind: 'none' });
    const { width: _w, height: _h, ...sizeless } = archived('t1');
    expect(matchIdentity(remote(), [sizeless])).toEqual({ kind: 'one', key: 't1' });
  });

  it('never guesses between several candidates', () => {
    expect(matchIdentity(remote(), [archived('t2'), archived('t1')])).toEqual({ kind: 'ambiguous', keys: ['t1', 't2'] });
  });

  it.each([
    ['another second', { captureTime: '2019-03-09T12:42:01Z' }],
    ['another name', { filename: 'IMG_1235.JPG' }],
    ['a ref from the same source (a different item)', { refs: [{ source: 'picker' as const, id: 'p9' }] }],
  ])('does not match %s', (_why, over) => {
    expect(matchIdentity(remote(), [archived('t1', over)])).toEqual({ kind: 'none' });
  });
});
