// plan() across sources of different quality: Takeout originals upgrade API copies in place, an original is never
// replaced by an API copy unless asked (and then the action says so), and a later export's metadata is merged.
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/core/plan.js';
import type { Action, PlanOptions } from '../../src/core/plan-types.js';
import type { RemoteItem } from '../../src/core/types.js';
import { FakeArchive, options, remoteItem } from './fake-state.js';

const TAKEOUT: Partial<PlanOptions> = { source: 'takeout', quality: 'original', listingComplete: false };
const takeoutItem = (id: string, over: Partial<RemoteItem> = {}): RemoteItem => remoteItem(id, { dating: 'sidecar', ...over }, 'takeout');

function only<K extends Action['kind']>(actions: Action[], kind: K): Extract<Action, { kind: K }>[] {
  return actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}

/** An archive after a sync of `library`, then an import of `takeout`. */
function archived(library: RemoteItem[], takeout: RemoteItem[] = []): FakeArchive {
  const a = new FakeArchive();
  const lib = options();
  a.apply(plan(a.input(library, lib)), lib);
  const to = options(TAKEOUT);
  a.apply(plan(a.input(takeout, to)), to);
  return a;
}

describe('plan: quality only goes up', () => {
  it('links a Takeout item to the API copy of the same photo and upgrades it in place', () => {
    const a = archived([remoteItem('L1', { filename: 'IMG_1.jpg' })]);
    const t = takeoutItem('T1', { filename: 'IMG_1.jpg' });
    const p = plan(a.input([t], options(TAKEOUT)));
    expect(p.actions).toEqual([
      { kind: 'link', key: 'library:L1', ref: t.ref, reason: 'same-identity' },
      { kind: 'upgrade', key: 'library:L1', item: t, path: '2019/03/IMG_1.jpg', reason: 'original-replaces-copy' },
    ]);
    expect(p.counts).toMatchObject({ link: 1, upgrade: 1, download: 0, present: 0 });
  });

  it('upgrades an API copy whose mtime drifted, but leaves one changed on disk alone', () => {
    const a = archived([remoteItem('L1', { filename: 'A.jpg' }), remoteItem('L2', { filename: 'B.jpg' })]);
    a.fileAt('2019/03/A.jpg')!.mtimeMs += 60_000;
    a.fileAt('2019/03/B.jpg')!.size += 1;
    const p = plan(a.input([takeoutItem('TA', { filename: 'A.jpg' }), takeoutItem('TB', { filename: 'B.jpg' })], options(TAKEOUT)));
    expect(only(p.actions, 'upgrade').map((u) => u.path)).toEqual(['2019/03/A.jpg']);
    expect(only(p.actions, 'report').map((r) => [r.reason, r.path])).toEqual([['changed-on-disk', '2019/03/B.jpg']]);
  });

  it('reports a missing original that the Library could only give back as an API copy, and fetches nothing', () => {
    const a = archived([remoteItem('L1', { filename: 'IMG_1.jpg' })], [takeoutItem('T1', { filename: 'IMG_1.jpg' })]);
    expect(a.manifest.get('library:L1')).toMatchObject({ quality: 'original' });
    a.disk.delete('2019/03/IMG_1.jpg');
    const p = plan(a.input([remoteItem('L1', { filename: 'IMG_1.jpg' })], options()));
    expect(p.actions).toEqual([
      { kind: 'report', reason: 'original-missing', key: 'library:L1', path: '2019/03/IMG_1.jpg', detail: expect.stringMatching(/API copy/) as string },
    ]);
    expect(p.counts).toMatchObject({ download: 0, originalMissing: 1 });
  });

  it('with allowDowngrade fetches the API copy and marks the download as a downgrade', () => {
    const a = archived([remoteItem('L1', { filename: 'IMG_1.jpg' })], [takeoutItem('T1', { filename: 'IMG_1.jpg' })]);
    a.disk.delete('2019/03/IMG_1.jpg');
    const p = plan(a.input([remoteItem('L1', { filename: 'IMG_1.jpg' })], options({ allowDowngrade: true })));
    expect(only(p.actions, 'download')).toMatchObject([{ key: 'library:L1', reason: 'missing-on-disk', downgrade: true, path: '2019/03/IMG_1.jpg' }]);
  });

  it('brings a missing original back from Takeout at its own path', () => {
    const t = takeoutItem('T1', { filename: 'IMG_1.jpg' });
    const a = archived([remoteItem('L1', { filename: 'IMG_1.jpg' })], [t]);
    a.disk.delete('2019/03/IMG_1.jpg');
    const p = plan(a.input([t], options(TAKEOUT)));
    expect(only(p.actions, 'download')).toEqual([{ kind: 'download', item: t, path: '2019/03/IMG_1.jpg', reason: 'missing-on-disk', key: 'library:L1' }]);
  });
});

describe('plan: names that differ only by normalisation or case are different items', () => {
  it('upgrades the NFC and the NFD API copy each from its own original', () => {
    const nfc = 'Caf\u00e9.jpg';
    const nfd = 'Cafe\u0301.jpg';
    const a = archived([remoteItem('L1', { filename: nfc }), remoteItem('L2', { filename: nfd })]);
    const p = plan(a.input([takeoutItem('T1', { filename: nfc }), takeoutItem('T2', { filename: nfd })], options(TAKEOUT)));
    expect(only(p.actions, 'link').map((l) => [l.ref.id, l.key])).toEqual([['T1', 'library:L1'], ['T2', 'library:L2']]);
    expect(p.counts).toMatchObject({ upgrade: 2, ambiguous: 0 });
  });

  it('stores two new items whose names fold together under two names', () => {
    const p = plan(new FakeArchive().input([takeoutItem('T1', { filename: 'IMG.jpg' }), takeoutItem('T2', { filename: 'img.JPG' })], options(TAKEOUT)));
    expect(only(p.actions, 'download').map((d) => d.path)).toEqual(['2019/03/IMG.jpg', '2019/03/img~2.JPG']);
  });
});

describe('plan: metadata from a later export', () => {
  it('merges a new caption, an unfavourite and a new album; albums only grow', () => {
    const t = takeoutItem('T1', { meta: { description: 'old', favorite: true, albums: ['Rome'] } });
    const a = archived([], [t]);
    const later = takeoutItem('T1', { meta: { description: 'new', favorite: false, albums: ['Zoo'] } });
    const p = plan(a.input([later], options(TAKEOUT)));
    expect(p.actions).toEqual([
      { kind: 'annotate', key: 'takeout:T1', meta: { description: 'new', favorite: false, albums: ['Rome', 'Zoo'] }, reason: 'metadata-changed' },
    ]);
    a.apply(p, options(TAKEOUT));
    expect(a.manifest.get('takeout:T1')).toMatchObject({ description: 'new', albums: ['Rome', 'Zoo'] });
    expect(a.manifest.get('takeout:T1')?.favorite).toBeUndefined();
    expect(plan(a.input([later], options(TAKEOUT))).actions).toEqual([]);
  });
});

describe('plan: items nobody can date', () => {
  it('go to unknown-date/', () => {
    const p = plan(new FakeArchive().input([takeoutItem('T1', { dating: 'none', filename: 'random.jpg' })], options(TAKEOUT)));
    expect(only(p.actions, 'download').map((d) => d.path)).toEqual(['unknown-date/random.jpg']);
  });
});

describe('plan: an upgrade cut off between its record and its rename', () => {
  it('recognises the API copy still on disk and upgrades again; another source only reports it', () => {
    const t = takeoutItem('T1', { filename: 'IMG_1.jpg' });
    const a = archived([remoteItem('L1', { filename: 'IMG_1.jpg' })], [t]);
    const m = a.manifest.get('library:L1')!;
    const copy = a.fileAt(m.path)!;
    // As after a crash: the manifest names the original, the disk still has the API copy it replaced.
    a.manifest.set(m.key, { ...m, size: copy.size + 500, replaced: { size: copy.size, sha256: 'copy' } });
    const p = plan(a.input([t], options(TAKEOUT)));
    expect(only(p.actions, 'upgrade').map((u) => u.key)).toEqual(['library:L1']);
    const lib = plan(a.input([remoteItem('L1', { filename: 'IMG_1.jpg' })], options()));
    expect(only(lib.actions, 'report').map((r) => r.reason)).toEqual(['changed-on-disk']);
    expect(only(lib.actions, 'download')).toEqual([]);
  });
});
