// drift(): table tests over manifest / disk / scan / remote states, no I/O.
import { describe, expect, it } from 'vitest';
import { drift, hashCandidates, type DriftInput, type Finding } from '../../src/core/drift.js';
import type { LocalFile, ManifestItem, RemoteItem } from '../../src/core/types.js';

const CAPTURE = '2019-03-09T12:42:00Z';

function item(id: string, over: Partial<ManifestItem> = {}): ManifestItem {
  return {
    key: `library:${id}`, refs: [{ source: 'library', id }], path: `2019/03/${id}.jpg`, size: 100, sha256: `h-${id}`,
    captureTime: CAPTURE, localTime: '2019-03-09T12:42:00', timeSource: 'exif', mimeType: 'image/jpeg',
    filename: `${id}.jpg`, quality: 'api-copy', fetchedAt: CAPTURE, mtimeStamped: true, ...over,
  };
}

function onDisk(m: ManifestItem, over: Partial<LocalFile> = {}): LocalFile {
  return { path: m.path, size: m.size, mtimeMs: Date.parse(m.captureTime), ...over };
}

function remote(id: string, over: Partial<RemoteItem> = {}): RemoteItem {
  return { ref: { source: 'library', id }, filename: `${id}.jpg`, mimeType: 'image/jpeg', kind: 'photo', creationTime: CAPTURE, ...over };
}

/** A state where every manifest item is on disk as recorded, plus the overrides. */
function state(manifest: ManifestItem[], over: { missing?: string[]; disk?: LocalFile[]; extra?: LocalFile[]; hashes?: Record<string, string> } = {}): DriftInput {
  const local = new Map<string, LocalFile | undefined>();
  for (const m of manifest) if (!over.missing?.includes(m.key)) local.set(m.path, onDisk(m));
  for (const f of over.disk ?? []) local.set(f.path, f);
  const scanned = [...[...local.values()].filter((f): f is LocalFile => f !== undefined), ...(over.extra ?? [])];
  return { manifest, local, scanned, hashes: new Map(Object.entries(over.hashes ?? {})) };
}

const kinds = (fs: Finding[]): string[] => fs.map((f) => `${f.kind}:${f.path ?? f.key ?? ''}`);

describe('drift', () => {
  const a = item('a');
  const b = item('b', { size: 200 });
  const c = item('c', { quality: 'original' });

  it.each<[string, DriftInput, string[]]>([
    ['a clean archive', state([a, b, c]), []],
    ['a missing file', state([a, b], { missing: ['library:b'] }), ['missing:2019/03/b.jpg']],
    ['a size change', state([a], { disk: [onDisk(a, { size: 99 })] }), ['changed:2019/03/a.jpg']],
    ['an mtime off the capture time', state([a], { disk: [onDisk(a, { mtimeMs: 0 })] }), ['changed:2019/03/a.jpg']],
    ['an mtime never stamped is not drift', state([item('a', { mtimeStamped: false })], { disk: [onDisk(a, { mtimeMs: 0 })] }), []],
    ['an untracked file', state([a], { extra: [{ path: 'x/new.jpg', size: 5, mtimeMs: 0 }] }), ['untracked:x/new.jpg']],
    [
      'a moved file is only moved',
      state([a, b], { missing: ['library:b'], extra: [{ path: 'elsewhere/b.jpg', size: 200, mtimeMs: 0 }], hashes: { 'elsewhere/b.jpg': 'h-b' } }),
      ['moved:elsewhere/b.jpg'],
    ],
    [
      'same size, other bytes: missing and untracked',
      state([a, b], { missing: ['library:b'], extra: [{ path: 'elsewhere/b.jpg', size: 200, mtimeMs: 0 }], hashes: { 'elsewhere/b.jpg': 'other' } }),
      ['missing:2019/03/b.jpg', 'untracked:elsewhere/b.jpg'],
    ],
    [
      'two copies of one missing item: one move, one untracked',
      state([b], {
        missing: ['library:b'],
        extra: [{ path: 'x/1.jpg', size: 200, mtimeMs: 0 }, { path: 'x/2.jpg', size: 200, mtimeMs: 0 }],
        hashes: { 'x/1.jpg': 'h-b', 'x/2.jpg': 'h-b' },
      }),
      ['moved:x/1.jpg', 'untracked:x/2.jpg'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(kinds(drift(input).findings)).toEqual(expected);
  });

  it('hashes only untracked files with the size of a missing item', () => {
    const input = state([a, b], {
      missing: ['library:b'],
      extra: [{ path: 'x/same.jpg', size: 200, mtimeMs: 0 }, { path: 'x/other.jpg', size: 7, mtimeMs: 0 }],
    });
    expect(hashCandidates(input).map((f) => f.path)).toEqual(['x/same.jpg']);
    expect(hashCandidates(state([a], { extra: [{ path: 'x/y.jpg', size: 100, mtimeMs: 0 }] }))).toEqual([]);
  });

  it('counts kinds and qualities', () => {
    const { counts } = drift(state([a, b, c], { missing: ['library:a'] }));
    expect(counts).toMatchObject({ items: 3, present: 2, missing: 1, 'api-copy': 2, original: 1, remoteChecked: false });
  });

  it('with the remote listed: new, gone and pending items, decided as sync would', () => {
    const input = state([a, b]);
    input.remote = {
      source: 'library',
      items: [remote('a'), remote('n'), remote('v', { kind: 'video', mimeType: 'video/mp4', videoStatus: 'PROCESSING' })],
    };
    const { findings, counts } = drift(input);
    expect(findings).toEqual([
      { kind: 'remote-new', key: 'library:n', filename: 'n.jpg' },
      { kind: 'pending', key: 'library:v', filename: 'v.jpg' },
      { kind: 'remote-gone', key: 'library:b', path: '2019/03/b.jpg' },
    ]);
    expect(counts).toMatchObject({ 'remote-new': 1, 'remote-gone': 1, pending: 1, remoteChecked: true });
  });

  it('an item listed under a new id but the same identity is not new', () => {
    const rebuilt = item('r', { key: 'local:abc', refs: [], filename: 'IMG_1.JPG', width: 4, height: 3 });
    const input = state([rebuilt]);
    input.remote = { source: 'library', items: [remote('z', { filename: 'IMG_1.JPG', width: 4, height: 3 })] };
    expect(drift(input).findings).toEqual([]);
  });
});
