// `gphotos import`: Takeout exports through the one reconciler. The inputs become a TakeoutSource; runSync lists it,
// plans against the manifest and the disk, and applies (new originals, upgrades of API copies in place, metadata
// changes, album links). Nothing remembers "inputs already imported": a re-run after any interruption fetches
// exactly what is not on disk. This file only translates the run's events into import's vocabulary.
import type { ItemFilter } from '../core/filters.js';
import type { Limits } from '../sources/takeout/input.js';
import { TakeoutSource } from '../sources/takeout/takeout-source.js';
import type { SyncEvent } from './events.js';
import type { ImportSink, ImportSummary } from './import-events.js';
import { describeAction } from './plan-events.js';
import { runSync } from './sync-run.js';

export interface ImportOptions {
  archiveDir: string;
  inputs: string[];
  dryRun: boolean;
  layout: string;
  tz: string;
  setMtime: boolean;
  /** XMP sidecars beside the files this import records. */
  xmp?: boolean;
  albums: 'links' | 'none';
  includeTrashed: boolean;
  transfers: number;
  limits: Limits;
  command?: string;
  /** Repair only (verify --fix --takeout): bring back these archived items, nothing new. */
  onlyKeys?: ReadonlySet<string>;
}

export interface ImportDeps {
  now: () => Date;
  signal: AbortSignal;
  onEvent: ImportSink;
}

const ALL: ItemFilter = { skipDates: [], media: 'all' };

export function emptySummary(dryRun: boolean, inputs: number): ImportSummary {
  return {
    dryRun, inputs, media: 0, imported: 0, bytes: 0, duplicates: 0, upgraded: 0, annotated: 0, unknownDate: 0,
    trashed: 0, skipped: 0, ambiguous: 0, badSidecars: 0, archiveProblems: 0, albumLinks: 0, failed: 0, elapsedMs: 0, failures: [],
  };
}

export async function runImport(o: ImportOptions, d: ImportDeps): Promise<ImportSummary> {
  const started = d.now().getTime();
  const s = emptySummary(o.dryRun, o.inputs.length);
  const source = new TakeoutSource({
    inputs: o.inputs,
    limits: o.limits,
    tz: o.tz,
    includeTrashed: o.includeTrashed,
    onProblem: (p) => {
      s.archiveProblems++;
      d.onEvent({ event: 'problem', input: p.input, ...(p.entry === undefined ? {} : { entry: p.entry }), reason: p.reason, detail: p.detail });
    },
    onSkip: (k) => {
      if (k.reason === 'album-copy') d.onEvent({ event: 'duplicate', entry: k.entry, path: k.detail ?? '' });
      else if (k.reason === 'ambiguous-sidecar') d.onEvent({ event: 'warning', message: `${k.entry}: ${k.detail ?? 'ambiguous sidecar'}` });
      else d.onEvent({ event: 'skipped', entry: k.entry, reason: k.reason, ...(k.detail === undefined ? {} : { detail: k.detail }) });
    },
  });
  try {
    // A bad input is a usage error before anything is locked or written.
    await source.open();
    const entry = (filename: string, ref?: string): string => (ref === undefined ? filename : (source.entryOf(ref.slice('takeout:'.length)) ?? filename));
    const onEvent = (e: SyncEvent): void => {
      switch (e.event) {
        case 'plan': {
          const c = source.census;
          if (c !== undefined) {
            s.media = c.media;
            s.trashed = c.trashed;
            s.skipped = c.skipped;
            s.badSidecars = c.badSidecars;
            d.onEvent({ event: 'indexed', inputs: c.inputs, media: c.media, sidecars: c.sidecars, albums: c.albums, toImport: e.counts.download + e.counts.upgrade });
          }
          d.onEvent({ event: 'plan', counts: e.counts });
          return;
        }
        case 'downloaded':
          s.imported++;
          s.bytes += e.bytes;
          if (e.dateSource === 'none') s.unknownDate++;
          d.onEvent({ event: 'imported', path: e.path, entry: e.filename, bytes: e.bytes, dateSource: e.dateSource });
          return;
        case 'upgraded':
          s.upgraded++;
          s.bytes += e.bytes;
          d.onEvent({ event: 'upgraded', path: e.path, entry: e.filename, bytes: e.bytes });
          return;
        case 'same-bytes':
          s.duplicates++;
          d.onEvent({ event: 'duplicate', entry: entry(e.filename, e.ref), path: e.path });
          return;
        case 'annotated':
          s.annotated++;
          d.onEvent({ event: 'annotated', path: e.path, fields: e.fields });
          return;
        case 'failed':
          d.onEvent({ event: 'failed', entry: entry(e.filename, e.ref), error: e.error });
          return;
        case 'drift':
          if (e.reason === 'ambiguous-identity') {
            s.ambiguous++;
            d.onEvent({ event: 'skipped', entry: e.filename ?? e.path ?? '', reason: 'ambiguous-identity', ...(e.detail === undefined ? {} : { detail: e.detail }) });
          } else if (e.reason === 'changed-on-disk') {
            d.onEvent({ event: 'warning', message: `${e.path ?? ''} differs from what was archived; left alone (see gphotos verify)` });
          }
          return;
        case 'progress':
        case 'warning':
          d.onEvent(e);
          return;
        case 'planned-action':
        case 'listing':
        case 'retry':
        case 'restamped':
        case 'linked':
        case 'downgraded':
        case 'adopted':
        case 'summary':
          return;
      }
    };
    const outcome = await runSync(
      {
        archiveDir: o.archiveDir, dryRun: o.dryRun, layout: o.layout, tz: o.tz, filter: ALL, setMtime: o.setMtime, force: false,
        transfers: o.transfers, command: o.command ?? 'import', albumLinks: o.albums === 'links', xmp: o.xmp === true,
        ...(o.onlyKeys === undefined ? {} : { onlyKeys: o.onlyKeys }),
      },
      { source, now: d.now, sleep: () => Promise.resolve(), signal: d.signal, onEvent, counters: () => ({ apiCalls: 0, byteCalls: 0, retries: 0 }) },
    );
    const c = outcome.plan.counts;
    if (o.dryRun) for (const a of outcome.plan.actions) if (a.kind !== 'report') d.onEvent({ event: 'planned-action', ...describeAction(a) });
    // Album copies and items already archived (present, or linked to an API copy that is then upgraded) are
    // duplicates of what the archive holds; same-bytes ones were counted as they were found.
    s.duplicates += (source.census?.albumCopies ?? 0) + c.present + c.restamp + c.changed;
    s.albumLinks = outcome.albumLinks ?? 0;
    if (o.dryRun) {
      s.imported = c.download;
      s.upgraded = c.upgrade;
    }
    const a = outcome.apply;
    if (a !== undefined) {
      s.failed = a.failures.length;
      s.archiveProblems += a.failures.filter((f) => f.corrupt === true).length;
      s.failures = a.failures.map((f) => ({ entry: entry(f.filename, f.ref), error: f.error }));
      if (a.stoppedBy === 'interrupt') s.stoppedBy = 'interrupt';
    }
    s.elapsedMs = d.now().getTime() - started;
    return s;
  } finally {
    await source.close();
  }
}
