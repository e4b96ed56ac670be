// One run of the one reconciler, for any source (Library, Picker, Takeout): list the source, compare with the
// manifest and the disk, plan, and (unless --dry-run) apply. What the archive lacks is decided here, from the
// manifest and the disk alone, so a run cut short at any instant is finished by the next one.
import { join } from 'node:path';
import { acquireLock, type Lock } from '../archive/lock.js';
import { ManifestStore } from '../archive/manifest-store.js';
import { statManifestPaths } from '../archive/disk-state.js';
import { sweepParts } from '../archive/part-sweep.js';
import { toApiSearchFilters, type ItemFilter } from '../core/filters.js';
import { compileLayout } from '../core/layout.js';
import { PathRegistry } from '../core/placement.js';
import { plan as makePlan } from '../core/plan.js';
import type { Action, Plan } from '../core/plan-types.js';
import type { LocalFile, ManifestItem, RemoteItem, SourceRef } from '../core/types.js';
import type { MayOpen, Source } from '../sources/source.js';
import { InterruptedError } from '../errors.js';
import { applyPlan, type ApplyResult } from './apply.js';
import type { EventSink, SyncSummary } from './events.js';
import { pathExists } from '../archive/durable-file.js';
import { writeAlbumLinks } from '../archive/album-links.js';
import { RunSidecars } from './run-sidecars.js';

export interface SyncOptions {
  archiveDir: string;
  dryRun: boolean;
  layout: string;
  tz: string;
  filter: ItemFilter;
  setMtime: boolean;
  force: boolean;
  transfers: number;
  /** Named in the archive lock, so that a second process can say who holds it. */
  command?: string;
  /** Replace a missing original by this source's lesser copy (reported as a downgrade) instead of only reporting it. */
  allowDowngrade?: boolean;
  /** Redraw the album views (albums/) from the manifest after applying. */
  albumLinks?: boolean;
  /** Repair only: act on these archived items alone (verify --fix), adding nothing new. */
  onlyKeys?: ReadonlySet<string>;
  /** Write an XMP sidecar (NAME.EXT.xmp) beside every file whose record this run changed. */
  xmp?: boolean;
}

export interface SyncDeps {
  source: Source;
  /**
   * Sources reconciled before `source` in the same run, under the same lock (the Takeout exports an archive
   * remembers): their originals land first, so the Library pass links to them instead of downloading copies.
   */
  first?: readonly Source[];
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  signal: AbortSignal;
  onEvent: EventSink;
  counters: () => { apiCalls: number; byteCalls: number; retries: number };
}

/** One source's part of a run. */
export interface SyncPass {
  source: Source['name'];
  plan: Plan;
  apply?: ApplyResult;
  listed: number;
}

export interface SyncOutcome {
  /** Every pass added up. */
  summary: SyncSummary;
  /** The plan and its application for `source` (the last pass). */
  plan: Plan;
  apply?: ApplyResult;
  passes: SyncPass[];
  /** Album links made (with albumLinks). */
  albumLinks?: number;
}

export async function runSync(o: SyncOptions, d: SyncDeps): Promise<SyncOutcome> {
  const started = d.now().getTime();
  const sources = [...(d.first ?? []), d.source];
  const passes: SyncPass[] = [];
  const hasManifest = await pathExists(join(o.archiveDir, '.gphotos', 'manifest.json'));
  if (o.dryRun && !hasManifest) {
    for (const source of sources) {
      const remote = await listAll(d, source, o.filter);
      const plan = planFor(o, source, remote.items, [], new Map(), remote.complete);
      emitPlan(plan, source.name, d.onEvent);
      passes.push({ source: source.name, plan, listed: remote.items.length });
    }
    return outcomeOf(o, d, started, passes);
  }

  let lock: Lock | undefined;
  if (!o.dryRun) lock = await acquireLock(o.archiveDir, { command: o.command ?? 'sync', warn: (m) => d.onEvent({ event: 'warning', message: m }) });
  try {
    // A dry run writes nothing and takes no lock, so it may run beside a sync.
    const manifest = await ManifestStore.open(o.archiveDir, o.dryRun ? { readOnly: true } : { create: true });
    let failed = false;
    try {
      if (!o.dryRun) {
        for (const p of await sweepParts(o.archiveDir, (rel, why) => d.onEvent({ event: 'warning', message: `left ${rel} in place: ${why}` }))) d.onEvent({ event: 'warning', message: `removed a partial download left by an earlier run: ${p}` });
      }
      const sidecars = o.xmp === true && !o.dryRun ? await RunSidecars.open(o.archiveDir, { warn: (message) => d.onEvent({ event: 'warning', message }) }) : undefined;
      for (const source of sources) {
        const pass = await reconcile(o, d, source, manifest, sidecars);
        passes.push(pass);
        if (pass.apply?.stoppedBy !== undefined) break; // a spent quota or Ctrl-C ends the run, not just this pass
      }
      await sidecars?.finish(passes.flatMap((p) => p.apply?.touched ?? []), (k) => manifest.get(k), Math.max(8, o.transfers));
      const albums = o.albumLinks === true && !o.dryRun ? await writeAlbumLinks(o.archiveDir, manifest.items()) : undefined;
      for (const f of albums?.failures ?? []) d.onEvent({ event: 'warning', message: `album link ${f.path}: ${f.error}` });
      return { ...outcomeOf(o, d, started, passes), ...(albums === undefined ? {} : { albumLinks: albums.created }) };
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      // A run that already failed (a full disk) says why; a close that fails for the same reason must not hide it.
      await manifest.close().catch((e: unknown) => {
        if (!failed) throw e;
      });
    }
  } finally {
    await lock?.release();
  }
}

/** List one source, plan against the manifest and the disk, and (unless a dry run) apply. */
async function reconcile(o: SyncOptions, d: SyncDeps, source: Source, manifest: ManifestStore, sidecars?: RunSidecars): Promise<SyncPass> {
  const listedPlan = await listAndPlan(o, d, source, manifest);
  const { listed, complete } = listedPlan;
  const plan = o.onlyKeys === undefined ? listedPlan.plan : onlyFor(listedPlan.plan, o.onlyKeys);
  emitPlan(plan, source.name, d.onEvent);
  if (o.dryRun) return { source: source.name, plan, listed };

  // Let the source drop what it keeps for items the plan will not open (all of them in a no-op sync).
  source.retainOnly?.(new Set(plan.actions.flatMap((a) => (a.kind === 'download' || a.kind === 'upgrade' ? [a.item.ref.id] : []))));
  // Nothing was written since the plan was made, so these are the paths it was made against.
  const registry = new PathRegistry([
    ...Array.from(manifest.items(), (i) => i.path),
    ...plan.actions.flatMap((a) => (a.kind === 'download' ? [a.path] : [])),
  ]);
  await sidecars?.beforeApply(plan.actions);
  const applied = await applyPlan(plan.actions, {
    archiveDir: o.archiveDir,
    source,
    manifest,
    registry,
    layoutDir: compileLayout(o.layout),
    tz: o.tz,
    setMtime: o.setMtime,
    quality: source.features.quality,
    ...(source.features.sameBytesSameItem ? { sameBytes: new Map(Array.from(manifest.items(), (i) => [i.sha256, i.key])) } : {}),
    transfers: o.transfers,
    itemAttempts: 5,
    now: d.now,
    sleep: d.sleep,
    signal: d.signal,
    onEvent: d.onEvent,
    ...(sidecars === undefined ? {} : { onFileStored: (path: string) => sidecars.afterFile(manifest.byPath(path)) }),
  });
  if (complete && applied.stoppedBy === undefined) {
    await manifest.setSourceMeta(source.name, { ...manifest.sourceMeta(source.name), lastListedAt: d.now().toISOString(), lastListedCount: listed });
  }
  if (applied.fatal) throw applied.fatal;
  return { source: source.name, plan, apply: applied, listed };
}

/**
 * Stat, list and plan. Kept out of runSync's frame so that the listing (RemoteItems), the manifest copy and the
 * stat map (~30 MB at 100k items) can be collected before the plan is applied and the manifest compacted.
 * The disk is read first so that the source keeps download URLs only for items a download may need: new ones and
 * archived ones missing from disk.
 */
async function listAndPlan(
  o: SyncOptions,
  d: SyncDeps,
  source: Source,
  manifest: ManifestStore,
): Promise<{ plan: Plan; listed: number; complete: boolean }> {
  const items = [...manifest.items()];
  const local = await statManifestPaths(o.archiveDir, items.map((i) => i.path));
  const mayOpen = (ref: SourceRef): boolean => {
    const archived = manifest.byRef(ref);
    return archived === undefined || local.get(archived.path) === undefined;
  };
  const remote = await listAll(d, source, o.filter, mayOpen, manifest);
  const plan = planFor(o, source, remote.items, items, local, remote.complete);
  return { plan, listed: remote.items.length, complete: remote.complete };
}

async function listAll(
  d: SyncDeps,
  source: Source,
  filter: ItemFilter,
  mayOpen?: MayOpen,
  archive?: ManifestStore,
): Promise<{ items: RemoteItem[]; complete: boolean }> {
  const items: RemoteItem[] = [];
  const apiFilters = toApiSearchFilters(filter);
  for await (const item of source.list(
      {
        ...(filter.from === undefined ? {} : { from: filter.from }),
        ...(filter.to === undefined ? {} : { to: filter.to }),
        media: filter.media,
        ...(apiFilters === undefined ? {} : { apiFilters }),
      },
    (info) => d.onEvent({ event: 'listing', items: info.items, pages: info.pages }),
    mayOpen,
  )) {
    // Stop between pages, not after a 100,000-item listing, when the user presses Ctrl-C.
    if (d.signal.aborted) throw new InterruptedError();
    const archived = archive?.byRef(item.ref);
    items.push(archived === undefined ? item : shareStrings(item, archived));
  }
  // A listing that fails throws: without the whole list there is nothing safe to plan.
  return { items, complete: !source.features.selection };
}

/**
 * An archived item's listing repeats strings the manifest already holds: point at the manifest's copies instead.
 * Same values; at 100k archived items ~17 MB less live heap while the plan is made.
 */
function shareStrings(item: RemoteItem, archived: ManifestItem): RemoteItem {
  const ref = archived.refs.find((r) => r.source === item.ref.source && r.id === item.ref.id);
  if (ref !== undefined) item.ref = ref;
  if (item.filename === archived.filename) item.filename = archived.filename;
  if (item.creationTime === archived.captureTime) item.creationTime = archived.captureTime;
  return item;
}

function planFor(
  o: SyncOptions,
  source: Source,
  remote: RemoteItem[],
  manifest: ManifestItem[],
  local: ReadonlyMap<string, LocalFile | undefined>,
  complete: boolean,
): Plan {
  return makePlan({
    remote,
    manifest,
    local,
    options: {
      layout: o.layout,
      tz: o.tz,
      filter: o.filter,
      setMtime: o.setMtime,
      force: o.force,
      source: source.name,
      listingComplete: complete,
      quality: source.features.quality,
      allowDowngrade: o.allowDowngrade === true,
    },
  });
}

/** The plan's actions on `keys` alone (and no new items). */
function onlyFor(plan: Plan, keys: ReadonlySet<string>): Plan {
  const actions = plan.actions.filter((a) => a.kind !== 'report' && a.key !== undefined && keys.has(a.key));
  const count = (kind: Action['kind']): number => actions.filter((a) => a.kind === kind).length;
  return {
    actions,
    counts: { ...plan.counts, download: count('download'), upgrade: count('upgrade'), annotate: count('annotate'), restamp: count('restamp'), link: count('link') },
  };
}

function emitPlan(plan: Plan, source: Source['name'], onEvent: EventSink): void {
  onEvent({ event: 'plan', source, counts: plan.counts, totalBytesKnown: false });
  if (plan.suspectListing) {
    const { listed, remembered } = plan.suspectListing;
    onEvent({
      event: 'warning',
      message: `Google listed ${listed} items but the archive remembers ${remembered}: the listing looks incomplete, so nothing is reported as gone. Run again later, or pass --force if items really were removed.`,
    });
  }
  for (const a of plan.actions) {
    if (a.kind === 'report') {
      onEvent({
        event: 'drift',
        reason: a.reason,
        ...(a.path === undefined ? {} : { path: a.path }),
        ...(a.item === undefined ? {} : { filename: a.item.filename }),
        ...(a.detail === undefined ? {} : { detail: a.detail }),
      });
    }
  }
}

export function describeAction(a: Action): { action: string; reason: string; path?: string; filename?: string; detail?: string } {
  switch (a.kind) {
    case 'download':
      return { action: a.downgrade === true ? 'download-downgrade' : 'download', reason: a.reason, path: a.path, filename: a.item.filename };
    case 'upgrade':
      return { action: 'upgrade', reason: a.reason, path: a.path, filename: a.item.filename };
    case 'annotate':
      return { action: 'annotate', reason: a.reason, detail: Object.keys(a.meta).sort().join(', ') };
    case 'restamp':
      return { action: 'restamp', reason: a.reason, path: a.path };
    case 'link':
      return { action: 'link', reason: a.reason, detail: `${a.ref.source}:${a.ref.id}` };
    case 'report':
      return {
        action: 'report',
        reason: a.reason,
        ...(a.path === undefined ? {} : { path: a.path }),
        ...(a.item === undefined ? {} : { filename: a.item.filename }),
        ...(a.detail === undefined ? {} : { detail: a.detail }),
      };
  }
}

function outcomeOf(o: SyncOptions, d: SyncDeps, started: number, passes: readonly SyncPass[]): SyncOutcome {
  const last = passes[passes.length - 1];
  if (last === undefined) throw new Error('a run has at least one pass');
  return { summary: summarize(o, d, started, passes), plan: last.plan, ...(last.apply === undefined ? {} : { apply: last.apply }), passes: [...passes] };
}

/** The run's summary: every pass added up (a stop, a suspect listing and the request counters are the run's). */
function summarize(o: SyncOptions, d: SyncDeps, started: number, passes: readonly SyncPass[]): SyncSummary {
  const sum = (f: (p: SyncPass) => number): number => passes.reduce((n, p) => n + f(p), 0);
  const counters = d.counters();
  const stoppedBy = passes.find((p) => p.apply?.stoppedBy !== undefined)?.apply?.stoppedBy;
  const suspect = passes.find((p) => p.plan.suspectListing !== undefined)?.plan.suspectListing;
  return {
    dryRun: o.dryRun,
    listed: sum((p) => p.listed),
    downloaded: sum((p) => p.apply?.downloaded ?? 0),
    bytes: sum((p) => p.apply?.bytes ?? 0),
    alreadyPresent: sum((p) => p.plan.counts.present),
    restamped: sum((p) => p.apply?.restamped ?? 0),
    linked: sum((p) => p.apply?.linked ?? 0),
    upgraded: sum((p) => p.apply?.upgraded ?? 0),
    downgraded: sum((p) => p.apply?.downgraded ?? 0),
    sameBytes: sum((p) => p.apply?.sameBytes ?? 0),
    annotated: sum((p) => p.apply?.annotated ?? 0),
    pendingVideos: sum((p) => p.plan.counts.pending),
    failed: sum((p) => p.apply?.failures.length ?? 0),
    remaining: sum((p) => (p.apply ? p.apply.remaining : o.dryRun ? p.plan.counts.download + p.plan.counts.upgrade : 0)),
    drift: {
      remoteGone: sum((p) => p.plan.counts.gone),
      changedOnDisk: sum((p) => p.plan.counts.changed),
      ambiguous: sum((p) => p.plan.counts.ambiguous),
      failedVideos: sum((p) => countReports(p.plan, 'video-failed')),
      originalMissing: sum((p) => p.plan.counts.originalMissing),
    },
    ...(stoppedBy === undefined ? {} : { stoppedBy }),
    ...(suspect === undefined ? {} : { suspectListing: suspect }),
    apiCalls: counters.apiCalls,
    byteCalls: counters.byteCalls,
    retries: counters.retries,
    elapsedMs: d.now().getTime() - started,
    failures: passes.flatMap((p) => p.apply?.failures ?? []),
  };
}

function countReports(plan: Plan, reason: string): number {
  return plan.actions.filter((a) => a.kind === 'report' && a.reason === reason).length;
}

