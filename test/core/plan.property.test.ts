// CanopyCheck-style: random remote sets and damaged archives; plan, apply to a model, re-plan: nothing left to do.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldKey, safeFilename } from '../../src/core/names.js';
import { plan } from '../../src/core/plan.js';
import type { Plan, PlanOptions } from '../../src/core/plan-types.js';
import type { RemoteItem, SourceName, VideoStatus } from '../../src/core/types.js';
import { FakeArchive, options } from './fake-state.js';

const FC = { seed: 424242, numRuns: 400 };

// Small pools so that names collide (case, NFC, ß), times share months and seconds, and ids repeat.
const NAMES = ['IMG_1.jpg', 'img_1.JPG', 'IMG_1.jpg', 'e\u0301.jpg', '\u00e9.jpg', 'Straße.jpg', 'STRASSE.jpg', '../x.jpg', 'a/b.jpg', '', '..', 'CON', 'clip.mp4', 'IMG_1~2.jpg'];
const TIMES = ['2019-03-01T10:00:00Z', '2019-03-01T10:00:00.700Z', '2019-03-31T23:30:00Z', '2019-04-01T00:10:00Z', '2020-02-29T12:00:00Z'];
const STATUSES: (VideoStatus | undefined)[] = ['READY', 'PROCESSING', 'FAILED', 'UNSPECIFIED', undefined];

const ALBUMS = [undefined, ['Rome'], ['Rome', 'Zoo']];

function arbItem(source: SourceName): fc.Arbitrary<RemoteItem> {
  return fc
    .record({
      favorite: fc.constantFrom(undefined, true, false),
      albums: fc.constantFrom(...ALBUMS),
      id: fc.integer({ min: 0, max: 30 }),
      filename: fc.constantFrom(...NAMES),
      creationTime: fc.constantFrom(...TIMES),
      video: fc.boolean(),
      status: fc.constantFrom(...STATUSES),
      size: fc.option(fc.constantFrom(10, 20), { nil: undefined }),
    })
    .map(({ id, filename, creationTime, video, status, size, favorite, albums }) => ({
      ref: { source, id: `${source[0]}${id}` },
      filename,
      mimeType: video ? 'video/mp4' : 'image/jpeg',
      kind: video ? ('video' as const) : ('photo' as const),
      creationTime,
      ...(size === undefined ? {} : { width: size, height: size * 2 }),
      ...(video && status !== undefined ? { videoStatus: status } : {}),
      ...(source === 'takeout' && (favorite !== undefined || albums !== undefined)
        ? { meta: { ...(favorite === undefined ? {} : { favorite }), ...(albums === undefined ? {} : { albums }) } }
        : {}),
    }));
}

type Damage = 'delete' | 'truncate' | 'shift-mtime' | 'drop-entry' | 'none';

const arbScenario = fc.record({
  takeout: fc.array(arbItem('takeout'), { maxLength: 12 }),
  /** The last run lists a Takeout export (originals) instead of the Library. */
  lastIsTakeout: fc.boolean(),
  laterTakeout: fc.array(arbItem('takeout'), { maxLength: 12 }),
  before: fc.array(arbItem('library'), { maxLength: 20 }),
  now: fc.array(arbItem('library'), { maxLength: 25 }),
  keepBefore: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
  damage: fc.array(fc.constantFrom<Damage>('delete', 'truncate', 'shift-mtime', 'drop-entry', 'none', 'none'), { minLength: 40, maxLength: 40 }),
  opts: fc.record({
    tz: fc.constantFrom('UTC', 'Europe/Rome', 'Pacific/Kiritimati'),
    layout: fc.constantFrom('{yyyy}/{mm}', '{yyyy}/{mm}/{dd}', 'flat'),
    setMtime: fc.boolean(),
    force: fc.boolean(),
    listingComplete: fc.boolean(),
    allowDowngrade: fc.boolean(),
    filter: fc.constantFrom<PlanOptions['filter']>(
      { skipDates: [], media: 'all' },
      { from: '2019-04-01', skipDates: [], media: 'all' },
      { skipDates: [{ from: '2019-03-01', to: '2019-03-01' }], media: 'photos' },
    ),
  }),
});

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function damage(archive: FakeArchive, damages: Damage[]): void {
  [...archive.manifest.values()].forEach((m, i) => {
    const f = archive.disk.get(m.path);
    switch (damages[i % damages.length]) {
      case 'delete':
        archive.disk.delete(m.path);
        break;
      case 'truncate':
        if (f) f.size -= 1;
        break;
      case 'shift-mtime':
        if (f) f.mtimeMs += 60_000;
        break;
      case 'drop-entry':
        archive.manifest.delete(m.key);
        break;
      case 'none':
      case undefined:
        break;
    }
  });
}

function assertPathsSafe(p: Plan): void {
  for (const a of p.actions) {
    const path = a.kind === 'link' || a.kind === 'annotate' ? undefined : a.path;
    if (path === undefined) continue;
    expect(path.startsWith('/')).toBe(false);
    const segments = path.split('/');
    expect(segments.every((s) => s !== '' && s !== '.' && s !== '..')).toBe(true);
    expect(safeFilename(segments.at(-1)!)).toBe(segments.at(-1));
  }
}

describe('plan properties', () => {
  it('converges: plan, apply, re-plan leaves nothing to download, restamp or link', () => {
    const reasonsSeen = new Set<string>();
    fc.assert(
      fc.property(arbScenario, ({ takeout, lastIsTakeout, laterTakeout, before, now, keepBefore, damage: damages, opts }) => {
        const archive = new FakeArchive();
        const takeoutOpts = options({ source: 'takeout', setMtime: opts.setMtime, quality: 'original', listingComplete: false });
        archive.apply(plan(archive.input(takeout, takeoutOpts)), takeoutOpts);
        const first = options({ setMtime: opts.setMtime });
        archive.apply(plan(archive.input(before, first)), first);
        damage(archive, damages);

        const originals = new Set([...archive.manifest.values()].filter((m) => m.quality === 'original').map((m) => m.key));
        const listing = lastIsTakeout ? [...takeout, ...laterTakeout] : [...before.filter((_, i) => keepBefore[i] ?? true), ...now];
        const o = lastIsTakeout
          ? options({ ...opts, source: 'takeout', quality: 'original', listingComplete: false })
          : options(opts);
        const input = archive.input(listing, o);
        const p = plan(input);
        for (const a of p.actions) reasonsSeen.add(a.reason);

        // No two writes to one (folded) path; new items never land on an archived or existing path.
        const downloads = p.actions.flatMap((a) => (a.kind === 'download' ? [a] : []));
        const folded = downloads.map((d) => foldKey(d.path));
        expect(new Set(folded).size).toBe(folded.length);
        const taken = new Set([...input.manifest.map((m) => m.path), ...input.local.keys()].map(foldKey));
        for (const d of downloads) {
          if (d.reason === 'new-remote-item') expect(taken.has(foldKey(d.path))).toBe(false);
          else expect(d.path).toBe(input.manifest.find((m) => m.key === d.key)?.path);
        }
        assertPathsSafe(p);

        // Counts agree with the actions.
        expect(p.counts.download).toBe(downloads.length);
        expect(p.counts.restamp).toBe(p.actions.filter((a) => a.kind === 'restamp').length);
        expect(p.counts.link).toBe(p.actions.filter((a) => a.kind === 'link').length);

        // The listing's order (and the manifest's) never matters.
        const shuffledInput = { ...input, remote: shuffled(listing, listing.length + 1), manifest: shuffled(input.manifest, 7) };
        expect(plan(shuffledInput)).toEqual(p);

        archive.apply(p, o);
        // Quality only goes down when asked, and then each such download says so.
        for (const key of originals) {
          const m = archive.manifest.get(key);
          if (m !== undefined && m.quality !== 'original') {
            expect(o.allowDowngrade).toBe(true);
            expect(p.actions.some((a) => a.kind === 'download' && a.key === key && a.downgrade === true)).toBe(true);
          }
        }
        expect(p.counts.upgrade).toBe(p.actions.filter((a) => a.kind === 'upgrade').length);
        expect(p.counts.annotate).toBe(p.actions.filter((a) => a.kind === 'annotate').length);
        const again = plan(archive.input(listing, o));
        expect(again.actions.filter((a) => ['download', 'upgrade', 'annotate', 'restamp', 'link'].includes(a.kind))).toEqual([]);
        // Reports are stable observations: applying a plan changes none of them.
        expect(again.actions.filter((a) => a.kind === 'report' && a.reason !== 'remote-gone')).toEqual(
          p.actions.filter((a) => a.kind === 'report' && a.reason !== 'remote-gone'),
        );
      }),
      FC,
    );
    // The generator must reach every rule, or the property proves little.
    expect([...reasonsSeen].sort()).toEqual(
      [
        'ambiguous-identity', 'changed-on-disk', 'duplicate-remote-id', 'metadata-changed', 'missing-on-disk', 'mtime-differs', 'new-remote-item',
        'original-missing', 'original-replaces-copy', 'remote-gone', 'same-identity', 'video-failed', 'video-pending',
      ],
    );
  });

  it('gives the same paths for the same remote set, whatever the listing order', () => {
    fc.assert(
      fc.property(fc.array(arbItem('library'), { maxLength: 30 }), fc.integer(), (items, seed) => {
        const o = options();
        const a = plan(new FakeArchive().input(items, o));
        const b = plan(new FakeArchive().input(shuffled(items, Math.abs(seed)), o));
        expect(b).toEqual(a);
      }),
      FC,
    );
  });
});
