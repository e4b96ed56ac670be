// One run of the one reconciler, for any source (Library, Picker, Takeout): list the source, compare with the
// manifest and the disk, plan, and (unless --dry-run) apply. What the archive lacks is decided here, from the
// manifest and the disk alone, so a run cut short at any instant is finished by the next one.
import { join } from 'node:path';
import { writeAlbumLinks } from '../archive/album-links.js';
import { statManifestPaths } from '../archive/disk-state.js';
import { pathExists } from '../archive/durable-file.js';
import { acquireLock, type Lock } from '../archive/lock.js';
import type { SourceMeta } from '../archive/manifest-format.js';
import { ManifestStore } from '../archive/manifest-store.js';
import { sweepParts } from '../archive/part-sweep.js';
import type { ItemFilter } from '../core/filters.js';
import { compileLayout } from '../core/layout.js';
import { PathRegistry } from '../core/placement.js';
import { plan as makePlan } from '../core/plan.js';
import type { Action, Plan } from '../core/plan-types.js';
import type { LocalFile, ManifestItem, RemoteItem, SourceRef } from '../core/types.js';
import type { Source } from '../sources/source.js';
import { applyPlan, type ApplyResult } from './apply.js';
import type { EventSink, SyncSummary } from './events.js';
import type { ItemRecords } from './item-records.js';
import { startListing, type ArchivedRefs, type ListSourceOptions, type StartedListing } from './list-source.js';
import { emitPlan } from './plan-events.js';
import { summarizeRun, type SyncPass } from './run-summary.js';
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

export async function runSync(options: SyncOptions, deps: SyncDeps): Promise<SyncOutcome> {
  const started = deps.now().getTime();
  const sources = [...(deps.first ?? []), deps.source];
  const passes: SyncPass[] = [];
  const warn = (message: string): void => deps.onEvent({ event: 'warning', message });
  const hasManifest = await pathExists(join(options.archiveDir, '.gphotos', 'manifest.json'));
  if (options.dryRun && !hasManifest) {
    for (const source of sources) {
      const remote = await startListing(source, listOptions(options, deps)).done();
      const plan = planFor(options, source, remote.items, [], new Map(), remote.complete);
      emitPlan(plan, source.name, deps.onEvent);
      passes.push({ source: source.name, plan, listed: remote.items.length });
    }
    return outcomeOf(options, deps, started, passes);
  }

  let lock: Lock | undefined;
  if (!options.dryRun) lock = await acquireLock(options.archiveDir, { command: options.command ?? 'sync', warn });
  // The first source's pages are fetched while the manifest and the disk are read below.
  const firstListing = startListing(deps.first?.[0] ?? deps.source, listOptions(options, deps));
  try {
    // A dry run writes nothing and takes no lock, so it may run beside a sync.
    const manifest = await ManifestStore.open(options.archiveDir, options.dryRun ? { readOnly: true } : { create: true });
    let failed = false;
    try {
      if (!options.dryRun) {
        for (const part of await sweepParts(options.archiveDir, (rel, why) => warn(`left ${rel} in place: ${why}`))) warn(`removed a partial download left by an earlier run: ${part}`);
      }
      const sidecars = options.xmp === true && !options.dryRun ? await RunSidecars.open(options.archiveDir, { warn }) : undefined;
      for (const [i, source] of sources.entries()) {
        const pass = await reconcile(options, deps, source, manifest, sidecars, i === 0 ? firstListing : undefined);
        passes.push(pass);
        if (pass.apply?.stoppedBy !== undefined) break; // a spent quota or Ctrl-C ends the run, not just this pass
      }
      await sidecars?.finish(passes.flatMap((p) => p.apply?.touched ?? []), (key) => manifest.get(key), Math.max(8, options.transfers));
      const albums = options.albumLinks === true && !options.dryRun ? await writeAlbumLinks(options.archiveDir, manifest.items()) : undefined;
      for (const failure of albums?.failures ?? []) warn(`album link ${failure.path}: ${failure.error}`);
      return { ...outcomeOf(options, deps, started, passes), ...(albums === undefined ? {} : { albumLinks: albums.created }) };
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
    await firstListing.cancel();
    await lock?.release();
  }
}

/** The part of the manifest one pass reads and writes (ManifestStore is one). */
export interface PassManifest extends ItemRecords, ArchivedRefs {
  items(): Iterable<ManifestItem>;
  byPath(path: string): ManifestItem | undefined;
  sourceMeta(source: string): SourceMeta;
  setSourceMeta(source: string, meta: SourceMeta): Promise<void>;
}

/** List one source, plan against the manifest and the disk, and (unless a dry run) apply. */
async function reconcile(
  options: SyncOptions,
  deps: SyncDeps,
  source: Source,
  manifest: PassManifest,
  sidecars: RunSidecars | undefined,
  started: StartedListing | undefined,
): Promise<SyncPass> {
  const listedPlan = await listAndPlan(options, deps, source, manifest, started ?? startListing(source, listOptions(options, deps)));
  const { listed, complete } = listedPlan;
  const plan = options.onlyKeys === undefined ? listedPlan.plan : onlyFor(listedPlan.plan, options.onlyKeys);
  emitPlan(plan, source.name, deps.onEvent);
  if (options.dryRun) return { source: source.name, plan, listed };

  // Let the source drop what it keeps for items the plan will not open (all of them in a no-op sync).
  source.retainOnly?.(new Set(plan.actions.flatMap((a) => (a.kind === 'download' || a.kind === 'upgrade' ? [a.item.ref.id] : []))));
  // Nothing was written since the plan was made, so these are the paths it was made against.
  const registry = new PathRegistry([
    ...Array.from(manifest.items(), (i) => i.path),
    ...plan.actions.flatMap((a) => (a.kind === 'download' ? [a.path] : [])),
  ]);
  await sidecars?.beforeApply(plan.actions);
  const applied = await applyPlan(plan.actions, {
    archiveDir: options.archiveDir,
    source,
    manifest,
    registry,
    layoutDir: compileLayout(options.layout),
    tz: options.tz,
    setMtime: options.setMtime,
    quality: source.features.quality,
    ...(source.features.sameBytesSameItem ? { sameBytes: new Map(Array.from(manifest.items(), (i) => [i.sha256, i.key])) } : {}),
    transfers: options.transfers,
    itemAttempts: 5,
    now: deps.now,
    sleep: deps.sleep,
    signal: deps.signal,
    onEvent: deps.onEvent,
    ...(sidecars === undefined ? {} : { onFileStored: (path: string) => sidecars.afterFile(manifest.byPath(path)) }),
  });
  if (complete && applied.stoppedBy === undefined) {
    await manifest.setSourceMeta(source.name, { ...manifest.sourceMeta(source.name), lastListedAt: deps.now().toISOString(), lastListedCount: listed });
  }
  if (applied.fatal) throw applied.fatal;
  return { source: source.name, plan, apply: applied, listed };
}

const listOptions = (options: SyncOptions, deps: SyncDeps): ListSourceOptions => ({ filter: options.filter, signal: deps.signal, onEvent: deps.onEvent });

/**
 * Stat, list and plan. Kept out of runSync's frame so that the listing (RemoteItems), the manifest copy and the
 * stat map (~30 MB at 100k items) can be collected before the plan is applied and the manifest compacted.
 * The disk is read while the listing runs; once it is known, the source keeps download URLs only for items a
 * download may need: new ones and archived ones missing from disk.
 */
async function listAndPlan(
  options: SyncOptions,
  deps: SyncDeps,
  source: Source,
  manifest: PassManifest,
  listing: StartedListing,
): Promise<{ plan: Plan; listed: number; complete: boolean }> {
  const items = [...manifest.items()];
  const local = await statManifestPaths(options.archiveDir, items.map((i) => i.path));
  const mayOpen = (ref: SourceRef): boolean => {
    const archived = manifest.byRef(ref);
    return archived === undefined || local.get(archived.path) === undefined;
  };
  listing.know({ archived: manifest, mayOpen });
  const remote = await listing.done();
  const plan = planFor(options, source, remote.items, items, local, remote.complete);
  return { plan, listed: remote.items.length, complete: remote.complete };
}

function planFor(
  options: SyncOptions,
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
      layout: options.layout,
      tz: options.tz,
      filter: options.filter,
      setMtime: options.setMtime,
      force: options.force,
      source: source.name,
      listingComplete: complete,
      quality: source.features.quality,
      allowDowngrade: options.allowDowngrade === true,
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

function outcomeOf(options: SyncOptions, deps: SyncDeps, started: number, passes: readonly SyncPass[]): SyncOutcome {
  const last = passes[passes.length - 1];
  if (last === undefined) throw new Error('a run has at least one pass');
  const summary = summarizeRun(passes, { dryRun: options.dryRun, counters: deps.counters(), elapsedMs: deps.now().getTime() - started });
  return { summary, plan: last.plan, ...(last.apply === undefined ? {} : { apply: last.apply }), passes: [...passes] };
}
