// The report's model: months over the whole span with holes, counts by origin and source, items in order, health.
import { describe, expect, it } from 'vitest';
import type { DriftCounts, Finding } from '../../src/core/drift.js';
import type { ManifestItem, SourceRef } from '../../src/core/types.js';
import { buildReportModel, monthOf, monthsBetween, nextSteps, originOf, shellWord, UNDATED } from '../../src/report/model.js';

function item(path: string, localTime: string, o: Partial<ManifestItem> & { refs?: SourceRef[] } = {}): ManifestItem {
  const refs = o.refs ?? [{ source: 'library', id: path }];
  return {
    key: `${refs[0]!.source}:${refs[0]!.id}`, refs, path, size: 1, sha256: '0'.repeat(64), captureTime: `${localTime}Z`, localTime,
    timeSource: 'exif', mimeType: 'image/jpeg', filename: path.slice(path.lastIndexOf('/') + 1), quality: 'api-copy',
    fetchedAt: '2025-01-01T00:00:00Z', mtimeStamped: true, ...o,
  };
}

function counts(o: Partial<DriftCounts> = {}): DriftCounts {
  return {
    items: 0, present: 0, 'remote-new': 0, 'remote-gone': 0, missing: 0, changed: 0, untracked: 0, moved: 0, pending: 0,
    'api-copy': 0, original: 0, remoteChecked: false, ...o,
  };
}

const build = (items: ManifestItem[], findings: Finding[] = [], c: Partial<DriftCounts> = {}) =>
  buildReportModel({ archive: '/a', generatedAt: 'T', items, status: { counts: counts({ items: items.length, ...c }), findings } });

describe('monthOf', () => {
  it.each([
    ['2019/03/a.jpg', '2019-03-09T12:42:00', '2019-03'],
    ['2019/04/a.jpg', '2019-03-31T23:59:59', '2019-03'], // the capture time decides, not the folder
    ['unknown-date/a.jpg', '2019-03-09T12:42:00', UNDATED],
    ['x/a.jpg', '2019-13-01T00:00:00', UNDATED],
    ['x/a.jpg', 'garbage', UNDATED],
  ])('%s at %s is %s', (path, localTime, want) => {
    expect(monthOf({ path, localTime })).toBe(want);
  });
});

describe('originOf', () => {
  it.each([
    ['original', 'takeout:1', [{ source: 'takeout', id: '1' }], 'original'],
    ['original', 'library:1', [{ source: 'library', id: '1' }, { source: 'takeout', id: '2' }], 'original'], // upgraded
    ['api-copy', 'picker:1', [{ source: 'picker', id: '1' }, { source: 'library', id: '1' }], 'picker'],
    ['api-copy', 'library:1', [{ source: 'library', id: '1' }], 'library'],
    ['api-copy', 'takeout:1', [{ source: 'takeout', id: '1' }, { source: 'picker', id: '2' }], 'picker'], // a downgrade
  ] as const)('%s keyed %s is %s', (quality, key, refs, want) => {
    expect(originOf({ quality, key, refs: [...refs] })).toBe(want);
  });
});

describe('monthsBetween', () => {
  it.each([
    ['2019-03', '2019-03', ['2019-03']],
    ['2019-11', '2020-02', ['2019-11', '2019-12', '2020-01', '2020-02']],
    ['2020-02', '2019-11', []],
  ])('%s..%s', (a, b, want) => {
    expect(monthsBetween(a, b)).toEqual(want);
  });
});

describe('buildReportModel', () => {
  it('lists every month of the span, marks the empty ones as holes, and puts undated items last', () => {
    const m = build([
      item('2019/11/b.jpg', '2019-11-20T10:00:00'),
      item('2019/11/a.jpg', '2019-11-20T10:00:00'),
      item('2019/11/c.jpg', '2019-11-01T08:00:00'),
      item('2020/02/d.jpg', '2020-02-29T23:00:00'),
      item('unknown-date/e.jpg', '2021-01-01T00:00:00'),
    ]);
    expect(m.span).toEqual({ first: '2019-11', last: '2020-02' });
    expect(m.months.map((x) => [x.month, x.count])).toEqual([['2019-11', 3], ['2019-12', 0], ['2020-01', 0], ['2020-02', 1], [UNDATED, 1]]);
    expect(m.holes).toEqual(['2019-12', '2020-01']);
    // by capture time, then path
    expect(m.months[0]!.items.map((i) => i.path)).toEqual(['2019/11/c.jpg', '2019/11/a.jpg', '2019/11/b.jpg']);
  });

  it('counts each month by origin, quality, kind and every source an item holds a reference of', () => {
    const m = build([
      item('2019/03/a.jpg', '2019-03-01T00:00:00', { quality: 'original', refs: [{ source: 'takeout', id: 't' }, { source: 'picker', id: 'p' }] }),
      item('2019/03/b.mp4', '2019-03-02T00:00:00', { mimeType: 'video/mp4', refs: [{ source: 'picker', id: 'q' }] }),
      item('2019/03/c.jpg', '2019-03-03T00:00:00'),
      item('2019/03/d.jpg', '2019-03-04T00:00:00', { refs: [{ source: 'takeout', id: 'u' }, { source: 'library', id: 'l' }] }),
    ]);
    const mar = m.months[0]!;
    expect(mar).toMatchObject({
      count: 4, videos: 1, byOrigin: { original: 1, picker: 1, library: 2 }, quality: { original: 1, 'api-copy': 3 },
      bySource: { takeout: 2, picker: 2, library: 2 },
    });
    expect(mar.items.map((i) => [i.kind, i.origin])).toEqual([['photo', 'original'], ['video', 'picker'], ['photo', 'library'], ['photo', 'library']]);
    expect(m.totals).toMatchObject({ items: 4, photos: 3, videos: 1, byOrigin: { original: 1, picker: 1, library: 2 } });
    expect(m.health.downgraded).toBe(1); // d: an API copy of an item a Takeout export holds
  });

  it('keeps captions and albums as given, counts albums once per item, and sorts them', () => {
    const m = build([
      item('2019/03/a.jpg', '2019-03-01T00:00:00', { description: '<b>hi</b>', albums: ['Zoo', 'Art', 'Zoo'], favorite: true }),
      item('2019/03/b.jpg', '2019-03-02T00:00:00', { description: '', albums: ['Zoo'] }),
    ]);
    expect(m.albums).toEqual([{ title: 'Art', count: 1 }, { title: 'Zoo', count: 2 }]);
    expect(m.months[0]!.items[0]).toMatchObject({ caption: '<b>hi</b>', albums: ['Zoo', 'Art'], favorite: true });
    expect(m.months[0]!.items[1]!.caption).toBeUndefined();
  });

  it("marks the items status found missing, changed or moved, and samples each kind's paths", () => {
    const m = build(
      [item('2019/03/a.jpg', '2019-03-01T00:00:00'), item('2019/03/b.jpg', '2019-03-02T00:00:00'), item('2019/03/c.jpg', '2019-03-03T00:00:00')],
      [
        { kind: 'missing', path: '2019/03/a.jpg' },
        { kind: 'moved', path: 'elsewhere/c.jpg', detail: 'archived at 2019/03/c.jpg' },
        { kind: 'untracked', path: 'x.jpg', detail: '3 bytes' },
        { kind: 'remote-gone', path: '2019/03/b.jpg' },
      ],
      { missing: 1, moved: 1, untracked: 1, present: 1 },
    );
    expect(m.months[0]!.items.map((i) => i.problem)).toEqual(['missing', undefined, 'moved']);
    expect(m.months[0]!.problems).toBe(2);
    expect(m.health.samples).toEqual({ missing: ['2019/03/a.jpg'], changed: [], moved: ['elsewhere/c.jpg'], untracked: ['x.jpg'] });
    expect(m.health).toMatchObject({ missing: 1, moved: 1, untracked: 1, present: 1 });
  });

  it('an empty archive has no span, no months and no holes', () => {
    const m = build([]);
    expect(m.span).toBeUndefined();
    expect(m.months).toEqual([]);
    expect(m.holes).toEqual([]);
  });
});

describe('nextSteps', () => {
  const healthy = build([item('2019/03/a.jpg', '2019-03-01T00:00:00')], [], { present: 1, remoteChecked: true }).health;
  it.each([
    [{}, 0, []],
    [{ missing: 2 }, 0, ['gphotos verify /a --fix']],
    [{ changed: 1 }, 0, ['gphotos verify /a --deep']],
    [{ moved: 1 }, 0, ['gphotos status /a']],
    [{ untracked: 3 }, 0, ['gphotos adopt /a FOLDER --in-place']],
    [{ downgraded: 1 }, 0, ['gphotos import /a TAKEOUT…']],
    [{}, 2, ['gphotos import /a TAKEOUT…']],
    [{ pendingChecked: false }, 0, ['gphotos status /a --remote']],
    [{ missing: 1, untracked: 1 }, 0, ['gphotos verify /a --fix', 'gphotos adopt /a FOLDER --in-place']],
  ])('%o with %d holes', (change, holes, want) => {
    expect(nextSteps('/a', { ...healthy, ...change }, holes).map((s) => s.command)).toEqual(want);
  });

  it('quotes an archive path that is not one shell word', () => {
    expect(shellWord("/p/My Photos/it's")).toBe("'/p/My Photos/it'\\''s'");
    expect(shellWord('/p/Photos')).toBe('/p/Photos');
  });
});
