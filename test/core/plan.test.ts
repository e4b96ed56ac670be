import { describe, expect, it } from 'vitest';
import { plan } from '../../src/core/plan.js';
import type { Action } from '../../src/core/plan-types.js';
import type { ManifestItem, RemoteItem } from '../../src/core/types.js';
import { FakeArchive, options, remoteItem, sizeOf } from './fake-state.js';

/** An archive that already holds `items` (downloaded from their own source, on disk, mtime stamped). */
function archiveOf(items: RemoteItem[], setMtime = true): FakeArchive {
  const a = new FakeArchive();
  for (const source of ['takeout', 'picker', 'library'] as const) {
    const opts = options({ source, setMtime });
    a.apply(plan(a.input(items.filter((i) => i.ref.source === source), opts)), opts);
  }
  return a;
}

function only<K extends Action['kind']>(actions: Action[], kind: K): Extract<Action, { kind: K }>[] {
  return actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}

const manifestOf = (a: FakeArchive, key: string): ManifestItem => a.manifest.get(key)!;

describe('plan: new items', () => {
  it('downloads a new item into its capture month, in the chosen zone', () => {
    const item = remoteItem('a', { creationTime: '2019-03-31T23:30:00Z' });
    const p = plan(new FakeArchive().input([item], options({ tz: 'Europe/Rome' })));
    expect(p.actions).toEqual([{ kind: 'download', item, path: '2019/04/a.jpg', reason: 'new-remote-item' }]);
    expect(p.counts).toMatchObject({ remote: 1, download: 1, present: 0 });
  });

  it('suffixes colliding names in id order, not listing order, and around archived paths', () => {
    const archive = archiveOf([remoteItem('old', { filename: 'IMG.JPG' })]);
    const b = remoteItem('b', { filename: 'img.jpg' });
    const a = remoteItem('a', { filename: 'Img.jpg' });
    const p = plan(archive.input([b, a], options()));
    expect(only(p.actions, 'download').map((d) => [d.item.ref.id, d.path])).toEqual([
      ['a', '2019/03/Img~2.jpg'],
      ['b', '2019/03/img~3.jpg'],
    ]);
  });

  it('never lands on a file the caller saw on disk outside the manifest', () => {
    const archive = new FakeArchive();
    archive.writeFile('2019/03/a.jpg', 5, 0);
    const p = plan(archive.input([remoteItem('a')], options()));
    expect(only(p.actions, 'download')[0]?.path).toBe('2019/03/a~2.jpg');
  });

  it('makes hostile names safe', () => {
    const p = plan(new FakeArchive().input([remoteItem('x', { filename: '../../etc/passwd' }), remoteItem('y', { filename: '..' })], options()));
    expect(only(p.actions, 'download').map((d) => d.path)).toEqual(['2019/03/.._.._etc_passwd', '2019/03/unnamed']);
  });

  it('uses the layout template', () => {
    const p = plan(new FakeArchive().input([remoteItem('a')], options({ layout: '{yyyy}/{mm}/{dd}' })));
    expect(only(p.actions, 'download')[0]?.path).toBe('2019/03/09/a.jpg');
  });
});

describe('plan: archived items', () => {
  const item = remoteItem('a');

  it('is quiet when the file is present', () => {
    const archive = archiveOf([item]);
    const p = plan(archive.input([item], options()));
    expect(p.actions).toEqual([]);
    expect(p.counts).toMatchObject({ remote: 1, present: 1 });
  });

  it('re-fetches a deleted file to the same path (re-runs never rename)', () => {
    const archive = archiveOf([item]);
    archive.disk.delete('2019/03/a.jpg');
    const p = plan(archive.input([item], options({ layout: '{yyyy}/{mm}/{dd}' })));
    expect(p.actions).toEqual([{ kind: 'download', item, path: '2019/03/a.jpg', reason: 'missing-on-disk', key: 'library:a' }]);
  });

  it('reports, and never overwrites, a file whose size changed', () => {
    const archive = archiveOf([item]);
    archive.disk.get('2019/03/a.jpg')!.size = 3;
    const p = plan(archive.input([item], options()));
    expect(p.actions).toEqual([
      { kind: 'report', reason: 'changed-on-disk', key: 'library:a', path: '2019/03/a.jpg', detail: `size on disk 3, archived ${sizeOf(item)}` },
    ]);
    expect(p.counts.changed).toBe(1);
  });

  it.each([
    [5000, true, true, true],
    [1000, true, true, false], // within the window
    [5000, false, true, false], // --no-mtime
    [5000, true, false, false], // never stamped: the user's mtime is theirs
  ])('mtime off by %i ms, setMtime %s, stamped %s -> restamp %s', (shift, setMtime, stamped, restamp) => {
    const archive = archiveOf([item]);
    manifestOf(archive, 'library:a').mtimeStamped = stamped;
    archive.disk.get('2019/03/a.jpg')!.mtimeMs += shift;
    const p = plan(archive.input([item], options({ setMtime })));
    expect(p.actions).toEqual(
      restamp ? [{ kind: 'restamp', key: 'library:a', path: '2019/03/a.jpg', mtimeMs: Date.parse(item.creationTime), reason: 'mtime-differs' }] : [],
    );
  });
});

describe('plan: identity across sources', () => {
  const original = remoteItem('t1', { filename: 'IMG_1.JPG', width: 10, height: 20 }, 'takeout');
  const picked = remoteItem('p1', { filename: 'img_1.jpg', width: 10, height: 20, creationTime: '2019-03-09T12:42:00.400Z' }, 'picker');

  it('links an item archived from another source instead of downloading it', () => {
    const archive = archiveOf([original]);
    const p = plan(archive.input([picked], options({ source: 'picker' })));
    expect(p.actions).toEqual([{ kind: 'link', key: 'takeout:t1', ref: picked.ref, reason: 'same-identity' }]);
  });

  it('links and re-fetches when the archived file is gone', () => {
    const archive = archiveOf([original]);
    archive.disk.clear();
    const p = plan(archive.input([picked], options({ source: 'picker' })));
    expect(p.actions.map((a) => [a.kind, a.reason])).toEqual([
      ['link', 'same-identity'],
      ['download', 'missing-on-disk'],
    ]);
  });

  it('reports ambiguity when several archived items match', () => {
    const twin = remoteItem('t2', { filename: 'img_1.JPG', width: 10, height: 20 }, 'takeout');
    const p = plan(archiveOf([original, twin]).input([picked], options({ source: 'picker' })));
    expect(p.actions).toEqual([
      { kind: 'report', reason: 'ambiguous-identity', item: picked, detail: 'matches 2 archived items: takeout:t1, takeout:t2' },
    ]);
    expect(p.counts.ambiguous).toBe(1);
  });

  it('reports ambiguity when several listed items claim one archived item', () => {
    const other = { ...picked, ref: { source: 'picker' as const, id: 'p2' } };
    const p = plan(archiveOf([original]).input([picked, other], options({ source: 'picker' })));
    expect(p.actions.map((a) => [a.kind, a.reason, a.kind === 'report' ? a.key : ''])).toEqual([
      ['report', 'ambiguous-identity', 'takeout:t1'],
      ['report', 'ambiguous-identity', 'takeout:t1'],
    ]);
  });
});

describe('plan: videos', () => {
  it.each([
    ['PROCESSING', 'video-pending'],
    ['FAILED', 'video-failed'],
  ] as const)('%s -> %s, nothing downloaded', (videoStatus, reason) => {
    const v = remoteItem('v', { kind: 'video', videoStatus, filename: 'v.mp4' });
    const p = plan(new FakeArchive().input([v], options()));
    expect(p.actions).toEqual([{ kind: 'report', reason, item: v }]);
    expect(p.counts.pending).toBe(reason === 'video-pending' ? 1 : 0);
  });

  it('downloads READY videos', () => {
    const v = remoteItem('v', { kind: 'video', videoStatus: 'READY', filename: 'v.mp4' });
    expect(only(plan(new FakeArchive().input([v], options())).actions, 'download')).toHaveLength(1);
  });

  it('does not re-fetch a missing archived video that is processing again', () => {
    const v = remoteItem('v', { kind: 'video', videoStatus: 'READY', filename: 'v.mp4' });
    const archive = archiveOf([v]);
    archive.disk.clear();
    const p = plan(archive.input([{ ...v, videoStatus: 'PROCESSING' }], options()));
    expect(p.actions.map((a) => [a.kind, a.reason])).toEqual([['report', 'video-pending']]);
  });
});

describe('plan: listing anomalies', () => {
  const many = Array.from({ length: 20 }, (_, i) => remoteItem(`i${String(i).padStart(2, '0')}`));

  it('reports items gone remotely, and never deletes', () => {
    const archive = archiveOf(many);
    const p = plan(archive.input(many.slice(0, 15), options()));
    expect(only(p.actions, 'report').map((r) => [r.reason, r.key])).toEqual(
      many.slice(15).map((i) => ['remote-gone', `library:${i.ref.id}`]),
    );
    expect(p.counts.gone).toBe(5);
    expect(p.suspectListing).toBeUndefined();
  });

  it('holds back gone reports when the listing is suspiciously small, unless forced', () => {
    const archive = archiveOf(many);
    const listing = many.slice(0, 9);
    const p = plan(archive.input(listing, options()));
    expect(p.suspectListing).toEqual({ listed: 9, remembered: 20 });
    expect(p.actions).toEqual([]);
    const forced = plan(archive.input(listing, options({ force: true })));
    expect(forced.suspectListing).toBeUndefined();
    expect(forced.counts.gone).toBe(11);
  });

  it('reports nothing gone from a listing that was cut short', () => {
    const p = plan(archiveOf(many).input(many.slice(0, 15), options({ listingComplete: false })));
    expect(p.actions).toEqual([]);
  });

  it('only counts items of this source within the filter as gone', () => {
    const march = remoteItem('m');
    const april = remoteItem('x', { creationTime: '2019-04-02T00:00:00Z' });
    const archive = archiveOf([march, april, remoteItem('t', {}, 'takeout')]);
    const filter = { from: '2019-04-01', skipDates: [], media: 'all' as const };
    expect(plan(archive.input([], options({ filter }))).actions.map((a) => a.kind === 'report' && a.key)).toEqual(['library:x']);
  });

  it('reports a duplicated id once and plans the item once', () => {
    const a = remoteItem('a');
    const p = plan(new FakeArchive().input([a, a, a], options()));
    expect(p.actions).toEqual([
      { kind: 'report', reason: 'duplicate-remote-id', item: a, detail: 'listed 3 times' },
      { kind: 'download', item: a, path: '2019/03/a.jpg', reason: 'new-remote-item' },
    ]);
    expect(p.counts.remote).toBe(1);
  });

  it('keeps the smallest serialisation of a duplicated id, whatever the order', () => {
    const a = remoteItem('a', { filename: 'b.jpg' });
    const b = remoteItem('a', { filename: 'a.jpg' });
    const c = remoteItem('a', { filename: 'c.jpg' });
    for (const listing of [[a, b, c], [c, b, a], [b, a, c], [a, c, b]]) {
      const p = plan(new FakeArchive().input([remoteItem('z'), ...listing, remoteItem('0')], options()));
      expect(p.actions.filter((x) => x.kind === 'download').map((x) => x.kind === 'download' && x.item.filename)).toEqual(['0.jpg', 'a.jpg', 'z.jpg']);
      expect(p.actions.filter((x) => x.kind === 'report')).toEqual([{ kind: 'report', reason: 'duplicate-remote-id', item: b, detail: 'listed 3 times' }]);
    }
  });

  it('never places a new item on a file that is on disk but not in the manifest', () => {
    const archive = new FakeArchive();
    const input = archive.input([remoteItem('a', { filename: 'IMG_1.JPG' })], options());
    const local = new Map(input.local);
    local.set('2019/03/img_1.jpg', { path: '2019/03/img_1.jpg', size: 1, mtimeMs: 0 });
    local.set('2019/03/IMG_1~2.JPG', undefined); // not on disk: free
    const p = plan({ ...input, local });
    expect(p.actions).toEqual([expect.objectContaining({ kind: 'download', path: '2019/03/IMG_1~2.JPG' })]);
  });

  it('ignores items outside the filter entirely', () => {
    const filter = { skipDates: [{ from: '2019-03-09', to: '2019-03-09' }], media: 'all' as const };
    const p = plan(new FakeArchive().input([remoteItem('a'), remoteItem('v', { kind: 'video', videoStatus: 'FAILED' })], options({ filter })));
    expect(p).toEqual({ actions: [], counts: expect.objectContaining({ remote: 0 }) as unknown });
  });

  it('rejects a bad zone or layout before planning', () => {
    expect(() => plan(new FakeArchive().input([], options({ tz: 'Nowhere/Land' })))).toThrow('Unknown time zone');
    expect(() => plan(new FakeArchive().input([], options({ layout: '{hh}' })))).toThrow('Invalid layout');
  });
});
