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

export async function runImport(options: ImportOptions, deps: ImportDeps): Promise<ImportSummary> {
  const started = deps.now().getTime();
  const summary = emptySummary(options.dryRun, options.inputs.length);
  const source = new TakeoutSource({
    inputs: options.inputs,
    limits: options.limits,
    tz: options.tz,
    includeTrashed: options.includeTrashed,
    onProblem: (problem) => {
      summary.archiveProblems++;
      deps.onEvent({ event: 'problem', input: problem.input, ...(problem.entry === undefined ? {} : { entry: problem.entry }), reason: problem.reason, detail: problem.detail });
    },
    onSkip: (skip) => {
      if (skip.reason === 'album-copy') deps.onEvent({ event: 'duplicate', entry: skip.entry, path: skip.detail ?? '' });
      else if (skip.reason === 'ambiguous-sidecar') deps.onEvent({ event: 'warning', message: `${skip.entry}: ${skip.detail ?? 'ambiguous sidecar'}` });
      else deps.onEvent({ event: 'skipped', entry: skip.entry, reason: skip.reason, ...(skip.detail === undefined ? {} : { detail: skip.detail }) });
    },
  });
  try {
    // A bad input is a usage error before anything is locked or written.
    await source.open();
    const entry = (filename: string, ref?: string): string => (ref === undefined ? filename : (source.entryOf(ref.slice('takeout:'.length)) ?? filename));
    const onEvent = (event: SyncEvent): void => {
      switch (event.event) {
        case 'plan': {
          const census = source.census;
          if (census !== undefined) {
            summary.media = census.media;
            summary.trashed = census.trashed;
            summary.skipped = census.skipped;
            summary.badSidecars = census.badSidecars;
            const toImport = event.counts.download + event.counts.upgrade;
            deps.onEvent({ event: 'indexed', inputs: census.inputs, media: census.media, sidecars: census.sidecars, albums: census.albums, toImport });
          }
          deps.onEvent({ event: 'plan', counts: event.counts });
          return;
        }
        case 'downloaded':
          summary.imported++;
          summary.bytes += event.bytes;
          if (event.dateSource === 'none') summary.unknownDate++;
          deps.onEvent({ event: 'imported', path: event.path, entry: event.filename, bytes: event.bytes, dateSource: event.dateSource });
          return;
        case 'upgraded':
          summary.upgraded++;
          summary.bytes += event.bytes;
          deps.onEvent({ event: 'upgraded', path: event.path, entry: event.filename, bytes: event.bytes });
          return;
        case 'same-bytes':
          summary.duplicates++;
          deps.onEvent({ event: 'duplicate', entry: entry(event.filename, event.ref), path: event.path });
          return;
        case 'annotated':
          summary.annotated++;
          deps.onEvent({ event: 'annotated', path: event.path, fields: event.fields });
          return;
        case 'failed':
          deps.onEvent({ event: 'failed', entry: entry(event.filename, event.ref), error: event.error });
          return;
        case 'drift':
          if (event.reason === 'ambiguous-identity') {
            summary.ambiguous++;
            deps.onEvent({ event: 'skipped', entry: event.filename ?? event.path ?? '', reason: 'ambiguous-identity', ...(event.detail === undefined ? {} : { detail: event.detail }) });
          } else if (event.reason === 'changed-on-disk') {
            deps.onEvent({ event: 'warning', message: `${event.path ?? ''} differs from what was archived; left alone (see gphotos verify)` });
          }
          return;
        case 'progress':
        case 'warning':
          deps.onEvent(event);
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
        archiveDir: options.archiveDir, dryRun: options.dryRun, layout: options.layout, tz: options.tz, filter: ALL,
        setMtime: options.setMtime, force: false, transfers: options.transfers, command: options.command ?? 'import',
        albumLinks: options.albums === 'links', xmp: options.xmp === true,
        ...(options.onlyKeys === undefined ? {} : { onlyKeys: options.onlyKeys }),
      },
      { source, now: deps.now, sleep: () => Promise.resolve(), signal: deps.signal, onEvent, counters: () => ({ apiCalls: 0, byteCalls: 0, retries: 0 }) },
    );
    const counts = outcome.plan.counts;
    if (options.dryRun) for (const action of outcome.plan.actions) if (action.kind !== 'report') deps.onEvent({ event: 'planned-action', ...describeAction(action) });
    // Album copies and items already archived (present, or linked to an API copy that is then upgraded) are
    // duplicates of what the archive holds; same-bytes ones were counted as they were found.
    summary.duplicates += (source.census?.albumCopies ?? 0) + counts.present + counts.restamp + counts.changed;
    summary.albumLinks = outcome.albumLinks ?? 0;
    if (options.dryRun) {
      summary.imported = counts.download;
      summary.upgraded = counts.upgrade;
    }
    const applied = outcome.apply;
    if (applied !== undefined) {
      summary.failed = applied.failures.length;
      summary.archiveProblems += applied.failures.filter((f) => f.corrupt === true).length;
      summary.failures = applied.failures.map((f) => ({ entry: entry(f.filename, f.ref), error: f.error }));
      if (applied.stoppedBy === 'interrupt') summary.stoppedBy = 'interrupt';
    }
    summary.elapsedMs = deps.now().getTime() - started;
    return summary;
  } finally {
    await source.close();
  }
}
