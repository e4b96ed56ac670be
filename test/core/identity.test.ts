import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candidatesFor, identityBaseKey, identityKey, indexByIdentity, matchIdentity } from '../../src/core/identity.js';
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

describe('identityBaseKey fast paths', () => {
  // The full definition: NFC-lowercased name, capture time to the UTC second (kept as is when it is not a time).
  function reference(filename: string, captureTime: string): string {
    const ms = Date.parse(captureTime);
    const second = Number.isNaN(ms) ? captureTime : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    return `${filename.normalize('NFC').toLowerCase()}|${second}`;
  }
  const two = (min: number, max: number): fc.Arbitrary<string> => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
  // Canonical-looking times, many of them not real (Feb 30, 24:00, 60 s), which V8 rolls over or rejects.
  const canonicalish = fc
    .tuple(fc.integer({ min: 0, max: 9999 }), two(0, 13), two(0, 32), two(0, 24), two(0, 60), two(0, 60))
    .chain(([y, mo, d, h, mi, s]) =>
      fc
        .constantFrom('Z', '.000Z', '.999Z', '.5Z', '.1234Z', '.12Z', '.abcZ', '.999', '+00:00')
        .map((tail) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}${tail}`),
    );
  const otherTime = fc.oneof(
    fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms).toISOString()),
    fc.constantFrom('2019-03-09T21:42:00+09:00', '2019-03-09T12:42:00.999Z', '2019-03-09T12:42:00z', 'yesterday', '', '2019-03-09 12:42:00Z'),
    fc.string({ maxLength: 22 }),
  );

  it('equals the full definition for any capture time and name', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom('IMG_1234.JPG', 'Cafe\u0301.JPG', 'Ä.jpg', 'İ.png', ''), fc.string({ maxLength: 20 })),
        fc.oneof(canonicalish, otherTime),
        (filename, captureTime) => {
          expect(identityBaseKey({ filename, captureTime })).toBe(reference(filename, captureTime));
        },
      ),
      { seed: 5, numRuns: 3000 },
    );
  });

  it('matches through the index exactly as through matchIdentity alone', () => {
    const m = archived('t1', { refs: [] });
    const index = indexByIdentity([m]);
    expect(candidatesFor(index, remote())).toEqual([m]);
    expect(matchIdentity(remote(), [])).toEqual({ kind: 'none' });
    expect(candidatesFor(index, remote({ creationTime: '2019-03-09T12:42:01Z' }))).toEqual([]);
  });

  it('indexes only the groups asked for, with the same members', () => {
    const a = archived('t1', { refs: [] });
    const b = archived('t2', { refs: [], captureTime: '2019-03-09T12:42:01Z' });
    const wanted = new Set([identityBaseKey({ filename: remote().filename, captureTime: remote().creationTime })]);
    const index = indexByIdentity([a, b], wanted);
    expect([...index.keys()]).toEqual([...wanted]);
    expect(candidatesFor(index, remote())).toEqual(candidatesFor(indexByIdentity([a, b]), remote()));
    expect(candidatesFor(index, remote({ creationTime: '2019-03-09T12:42:01Z' }))).toEqual([]);
  });
});
