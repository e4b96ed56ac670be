// Files recorded from disk (rebuild, adopt): their names and times, and how plan() and matchFiles() recognise them.
import { describe, expect, it } from 'vitest';
import { captureOf, matchFiles, originalName } from '../../src/core/adopt-match.js';
import { plan } from '../../src/core/plan.js';
import type { ManifestItem, RemoteItem } from '../../src/core/types.js';
import { options } from './fake-state.js';

function local(path: string, filename: string, over: Partial<ManifestItem> = {}): ManifestItem {
  return {
    key: `local:${path}`, refs: [], path, size: 10, sha256: 'h', captureTime: '2019-03-09T12:42:00Z',
    localTime: '2019-03-09T12:42:00', timeSource: 'exif', mimeType: 'image/jpeg', filename, quality: 'api-copy',
    fetchedAt: '2020-01-01T00:00:00Z', mtimeStamped: false, ...over,
  };
}

function remote(id: string, filename: string, over: Partial<RemoteItem> = {}): RemoteItem {
  return { ref: { source: 'library', id }, filename, mimeType: 'image/jpeg', kind: 'photo', creationTime: '2019-03-09T12:42:00Z', ...over };
}

const planFor = (manifest: ManifestItem[], items: RemoteItem[]) =>
  plan({ remote: items, manifest, local: new Map(manifest.map((m) => [m.path, { path: m.path, size: m.size, mtimeMs: 0 }])), options: options() });

describe('originalName', () => {
  it.each([
    ['IMG_1.jpg', 'IMG_1.jpg'],
    ['IMG_1~2.jpg', 'IMG_1.jpg'],
    ['IMG_1~13.JPG', 'IMG_1.JPG'],
    ['noext~3', 'noext'],
    ['IMG~1.jpg', 'IMG~1.jpg'],
    ['a~2b.jpg', 'a~2b.jpg'],
  ])('%s -> %s', (name, want) => expect(originalName(name)).toBe(want));
});

describe('captureOf', () => {
  const mtime = Date.parse('2015-04-30T20:59:59Z');
  it('EXIF with an offset is exact', () => {
    expect(captureOf({ name: 'a.jpg', mtimeMs: 0, exif: { dateTimeOriginal: '2021:04:01 05:30:00', offset: '+09:00' } }, 'UTC')).toEqual({
      captureTime: '2021-03-31T20:30:00Z', localTime: '2021-04-01T05:30:00', timeSource: 'exif', mtimeStamped: false,
    });
  });
  it('EXIF without an offset: an mtime that fits some zone wins, else the wall clock in --tz', () => {
    const exif = { dateTimeOriginal: '2015:04:30 23:59:59' };
    expect(captureOf({ name: 'a.jpg', mtimeMs: mtime, exif }, 'UTC')).toMatchObject({ captureTime: '2015-04-30T20:59:59Z', mtimeStamped: true });
    expect(captureOf({ name: 'a.jpg', mtimeMs: mtime + 7000, exif }, 'Europe/Rome')).toMatchObject({ captureTime: '2015-04-30T21:59:59Z', mtimeStamped: false });
  });
  it('MP4 time, else the mtime', () => {
    expect(captureOf({ name: 'v.mp4', mtimeMs: 5, mp4Time: '2020-01-01T00:00:01.000Z' }, 'UTC').captureTime).toBe('2020-01-01T00:00:01Z');
    expect(captureOf({ name: 'a.jpg', mtimeMs: mtime + 400 }, 'UTC')).toMatchObject({ captureTime: '2015-04-30T20:59:59Z', timeSource: 'api', mtimeStamped: true });
  });
});

describe('plan() links entries recorded from disk', () => {
  it('by the name on disk: sanitised, without ~N', () => {
    const manifest = [local('2017/02/a_b.jpg', 'a_b.jpg'), local('2019/03/IMG_1~2.jpg', 'IMG_1.jpg', { captureTime: '2019-03-10T00:00:00Z' })];
    const p = planFor(manifest, [remote('x', 'a/b.jpg'), remote('y', 'IMG_1.jpg', { creationTime: '2019-03-10T00:00:00Z' })]);
    expect(p.actions.filter((a) => a.kind === 'link').map((a) => (a.kind === 'link' ? a.key : ''))).toEqual(['local:2017/02/a_b.jpg', 'local:2019/03/IMG_1~2.jpg']);
    expect(p.counts.download).toBe(0);
  });
  it('but an item with a source keeps exact names: a_b.jpg from the Library is not a/b.jpg', () => {
    const m = { ...local('2017/02/a_b.jpg', 'a_b.jpg'), key: 'picker:p', refs: [{ source: 'picker' as const, id: 'p' }] };
    expect(planFor([m], [remote('x', 'a/b.jpg')]).counts).toMatchObject({ link: 0, download: 1 });
  });
  it('two files for one listed item: ambiguous, nothing linked', () => {
    const p = planFor([local('2019/03/IMG_1.jpg', 'IMG_1.jpg'), local('2019/03/IMG_1~2.jpg', 'IMG_1.jpg')], [remote('x', 'IMG_1.jpg')]);
    expect(p.counts).toMatchObject({ link: 0, ambiguous: 1, download: 0 });
  });
});

describe('matchFiles', () => {
  const exif = { dateTimeOriginal: '2019:03:09 13:42:00', offset: '+01:00', width: 40, height: 30 };
  it('one file, one item; rotated pixel sizes fit; a wrong size does not', () => {
    const r = matchFiles(
      [
        { path: 'a/IMG_1.JPG', facts: { name: 'IMG_1.JPG', mtimeMs: 0, exif } },
        { path: 'a/IMG_2.JPG', facts: { name: 'IMG_2.JPG', mtimeMs: 0, exif: { ...exif, width: 30, height: 40 } } },
        { path: 'a/IMG_3.JPG', facts: { name: 'IMG_3.JPG', mtimeMs: 0, exif: { ...exif, width: 9 } } },
      ],
      [remote('1', 'img_1.jpg', { width: 40, height: 30 }), remote('2', 'IMG_2.JPG', { width: 40, height: 30 }), remote('3', 'IMG_3.JPG', { width: 40, height: 30 })],
      'UTC',
    );
    expect(r.map((m) => m.kind)).toEqual(['one', 'one', 'none']);
  });
  it('reports ambiguity both ways and never guesses', () => {
    const files = [
      { path: 'x/IMG_1.JPG', facts: { name: 'IMG_1.JPG', mtimeMs: 0, exif } },
      { path: 'y/IMG_1.JPG', facts: { name: 'IMG_1.JPG', mtimeMs: 0, exif } },
    ];
    expect(matchFiles(files, [remote('1', 'IMG_1.JPG')], 'UTC').map((m) => m.kind)).toEqual(['ambiguous', 'ambiguous']);
    expect(matchFiles(files.slice(0, 1), [remote('1', 'IMG_1.JPG'), remote('2', 'IMG_1.JPG')], 'UTC')).toEqual([
      { kind: 'ambiguous', path: 'x/IMG_1.JPG', detail: 'matches 2 listed items' },
    ]);
  });
});
