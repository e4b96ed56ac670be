// plan(): what a sync should do, as a value. Pure and deterministic: the same remote SET (in any order), manifest
// and disk give the same plan, actions in a canonical order (remote items by ref, then gone items by key).

import { originalName } from './adopt-match.js';
import { fileState } from './compare.js';
import { UNKNOWN_DATE_DIR } from './dating.js';
import { matchesKind, matchesLocalDate } from './filters.js';
import { goneReports } from './gone.js';
import { candidatesFor, identityBaseKey, indexByIdentity, matchIdentity } from './identity.js';
import type { IdentityMatch } from './identity.js';
import { compileLayout } from './layout.js';
import { localTimeOf, validateTimeZone } from './local-time.js';
import { safeFilename } from './names.js';
import { metaChanges } from './item-meta.js';
import { PathRegistry } from './placement.js';
import type { Action, Plan, PlanCounts, PlanInput } from './plan-types.js';
import type { ManifestItem, RemoteItem, SourceRef } from './types.js';

/** Code-unit order: locale-independent, so plans are the same on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By source, then id: the order of refKey strings (a source name holds no ':'), without building them. */
function compareRefs(a: SourceRef, b: SourceRef): number {
  return compareStrings(a.source, b.source) || compareStrings(a.id, b.id);
}

/**
 * One item per ref, sorted by ref, and how often the listed-more-than-once ones were listed. Among duplicates the
 * smallest serialisation wins, so listing order never matters. Sorting instead of a Map keyed by refKey: at 100k
 * items the keys and the Map outlived the young generation (~6 MB of old-generation garbage).
 */
function dedupe(remote: readonly RemoteItem[]): { items: RemoteItem[]; copies: Map<RemoteItem, number> } {
  const sorted = [...remote].sort((a, b) => compareRefs(a.ref, b.ref));
  const items: RemoteItem[] = [];
  const copies = new Map<RemoteItem, number>();
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i] as RemoteItem;
    let end = i + 1;
    while (end < sorted.length && compareRefs((sorted[end] as RemoteItem).ref, first.ref) === 0) end++;
    if (end - i === 1) items.push(first);
    else {
      let chosen = first;
      let chosenJson = JSON.stringify(first);
      for (let j = i + 1; j < end; j++) {
        const json = JSON.stringify(sorted[j]);
        if (json < chosenJson) {
          chosen = sorted[j] as RemoteItem;
          chosenJson = json;
        }
      }
      copies.set(chosen, end - i);
      items.push(chosen);
    }
    i = end;
  }
  return { items, copies };
}

/** Whether `sorted` (by compareRefs) holds an item with `ref`: a binary search, no index to build. */
function holdsRef(sorted: readonly RemoteItem[], ref: SourceRef): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareRefs((sorted[mid] as RemoteItem).ref, ref);
    if (c === 0) return true;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** Videos whose bytes Google cannot serve yet (or ever): report instead of downloading. */
function blockedVideo(item: RemoteItem): 'video-pending' | 'video-failed' | undefined {
  if (item.kind !== 'video') return undefined;
  if (item.videoStatus === 'PROCESSING') return 'video-pending';
  if (item.videoStatus === 'FAILED') return 'video-failed';
  return undefined;
}

const NO_MATCH: IdentityMatch = { kind: 'none' };

function emptyCounts(): PlanCounts {
  return {
    remote: 0, present: 0, download: 0, upgrade: 0, annotate: 0, originalMissing: 0, restamp: 0, link: 0, pending: 0, gone: 0,
    changed: 0, ambiguous: 0,
  };
}

// Memory: at 100k archived items a no-op plan must not leave tens of MB behind in the old generation (the peak of
// a no-op sync is its heap after planning). So nothing is built per item that is not needed: no refKey strings, no
// identity index or folded paths unless an item is new, local times only for date filters and downloads.
export function plan(input: PlanInput): Plan {
  const { options } = input;
  validateTimeZone(options.tz);
  const layout = compileLayout(options.layout);
  const f = options.filter;
  const datesSet = f.from !== undefined || f.to !== undefined || f.skipDates.length > 0;

  const manifest = [...input.manifest].sort((a, b) => compareStrings(a.key, b.key));
  const byRefIn = new Map<string, Map<string, ManifestItem>>();
  for (const m of manifest) {
    for (const r of m.refs) {
      let ids = byRefIn.get(r.source);
      if (ids === undefined) {
        ids = new Map();
        byRefIn.set(r.source, ids);
      }
      if (!ids.has(r.id)) ids.set(r.id, m);
    }
  }
  const byRef = (ref: SourceRef): ManifestItem | undefined => byRefIn.get(ref.source)?.get(ref.id);
  // Needed only to link, which is rare: built on first use (the last item with a key wins, as in new Map(entries)).
  let byKey: Map<string, ManifestItem> | undefined;
  // Manifest paths, plus any other file the caller saw on disk: a new item never lands on an existing file. Built
  // when the first new item needs a path. (Reservation order does not matter: the registry only answers whether a
  // path is taken.)
  let registry: PathRegistry | undefined;
  const claim = (dir: string, name: string): string => {
    registry ??= new PathRegistry(takenPaths(input.local, manifest));
    return registry.claim(dir, name);
  };

  const { items, copies } = dedupe(input.remote);
  const listed: RemoteItem[] = [];
  for (const item of items) {
    if (!matchesKind(item.kind, f)) continue;
    if (datesSet && !matchesLocalDate(localTimeOf(item.creationTime, options.tz), f)) continue;
    listed.push(item);
  }
  const actions: Action[] = [];
  const counts = emptyCounts();
  counts.remote = listed.length;

  // safeFilename of listed items, by index in `listed`: computed at most once for identity and placement.
  const safeNames = new Map<number, string>();
  const safeNameOf = (i: number): string => {
    let name = safeNames.get(i);
    if (name === undefined) {
      name = safeFilename((listed[i] as RemoteItem).filename);
      safeNames.set(i, name);
    }
    return name;
  };
  // Entries recorded from files on disk (rebuild, adopt: no refs) know only the name on disk: the sanitised name
  // without a '~N' suffix. They are matched under that name too, and only they, so nothing else changes.
  const storedName = (i: number): string | undefined => {
    const safe = safeNameOf(i);
    // originalName only ever removes a '~N'.
    const stored = safe.includes('~') ? originalName(safe) : safe;
    return stored === (listed[i] as RemoteItem).filename ? undefined : stored;
  };

  /** byRef of each listed item, by index in `listed` */
  const archivedAt = new Array<ManifestItem | undefined>(listed.length);
  const unarchived: number[] = [];
  for (let i = 0; i < listed.length; i++) {
    const archived = byRef((listed[i] as RemoteItem).ref);
    archivedAt[i] = archived;
    if (archived === undefined) unarchived.push(i);
  }

  // Identity first, over the whole listing: two listed items claiming one archived item is ambiguity, not a link.
  const matches = new Map<number, IdentityMatch>();
  const claimants = new Map<string, number>();
  if (unarchived.length > 0 && manifest.length > 0) {
    const wanted = new Set<string>();
    for (const i of unarchived) {
      const item = listed[i] as RemoteItem;
      wanted.add(identityBaseKey({ filename: item.filename, captureTime: item.creationTime }));
      const stored = storedName(i);
      if (stored !== undefined) wanted.add(identityBaseKey({ filename: stored, captureTime: item.creationTime }));
    }
    const identity = indexByIdentity(manifest, wanted);
    for (const i of unarchived) {
      const item = listed[i] as RemoteItem;
      let match = matchIdentity(item, candidatesFor(identity, item));
      const stored = match.kind === 'none' ? storedName(i) : undefined;
      if (stored !== undefined) {
        const asStored = { ...item, filename: stored };
        match = matchIdentity(asStored, candidatesFor(identity, asStored).filter((m) => m.refs.length === 0));
      }
      if (match.kind === 'none') continue; // the same as no entry
      matches.set(i, match);
      if (match.kind === 'one') claimants.set(match.key, (claimants.get(match.key) ?? 0) + 1);
    }
  }

  const blocked = (item: RemoteItem, key?: string): boolean => {
    const reason = blockedVideo(item);
    if (reason === undefined) return false;
    if (reason === 'video-pending') counts.pending++;
    actions.push(key === undefined ? { kind: 'report', reason, item } : { kind: 'report', reason, item, key });
    return true;
  };

  /** Metadata the source knows better than the manifest, for a file that is not rewritten. */
  const annotate = (item: RemoteItem, m: ManifestItem): void => {
    const meta = metaChanges(item.meta, m);
    if (meta === undefined) return;
    counts.annotate++;
    actions.push({ kind: 'annotate', key: m.key, meta, reason: 'metadata-changed' });
  };

  /** An item we already hold (by ref or just linked): is its file still right, and at the best quality we can have? */
  const checkArchived = (item: RemoteItem, m: ManifestItem): void => {
    const local = input.local.get(m.path);
    const state = fileState(m, local, options.setMtime);
    // An upgrade recorded but cut off before its rename: the API copy it replaces is still there.
    const copyLeft = state === 'changed' && m.replaced !== undefined && local?.size === m.replaced.size;
    // Our own API copy, whole (its mtime aside): the original takes its place. One changed on disk is left alone.
    if ((((state === 'present' || state === 'mtime-differs') && m.quality === 'api-copy') || copyLeft) && options.quality === 'original') {
      counts.upgrade++;
      actions.push({ kind: 'upgrade', key: m.key, item, path: m.path, reason: 'original-replaces-copy' });
      return;
    }
    switch (state) {
      case 'present':
        counts.present++;
        annotate(item, m);
        return;
      case 'missing': {
        if (blocked(item, m.key)) return;
        const downgrade = m.quality === 'original' && options.quality !== 'original';
        if (downgrade && !options.allowDowngrade) {
          counts.originalMissing++;
          actions.push({
            kind: 'report',
            reason: 'original-missing',
            key: m.key,
            path: m.path,
            detail: `this source has only ${options.quality === 'api-copy' ? 'an API copy (no GPS, videos transcoded)' : 'a lesser copy'}`,
          });
          return;
        }
        counts.download++;
        // Same path as before: re-runs never rename.
        actions.push({
          kind: 'download', item, path: m.path, reason: 'missing-on-disk', key: m.key, ...(downgrade ? { downgrade: true as const } : {}),
        });
        return;
      }
      case 'changed':
        counts.changed++;
        actions.push({
          kind: 'report',
          reason: 'changed-on-disk',
          key: m.key,
          path: m.path,
          detail: `size on disk ${local?.size ?? 0}, archived ${m.size}`,
        });
        annotate(item, m);
        return;
      case 'mtime-differs':
        counts.restamp++;
        actions.push({ kind: 'restamp', key: m.key, path: m.path, mtimeMs: Date.parse(m.captureTime), reason: 'mtime-differs' });
        annotate(item, m);
        return;
    }
  };

  for (let i = 0; i < listed.length; i++) {
    const item = listed[i] as RemoteItem;
    const n = copies.get(item) ?? 1;
    if (n > 1) actions.push({ kind: 'report', reason: 'duplicate-remote-id', item, detail: `listed ${n} times` });

    const archived = archivedAt[i];
    if (archived !== undefined) {
      checkArchived(item, archived);
      continue;
    }
    const match = matches.get(i) ?? NO_MATCH;
    if (match.kind === 'one' && claimants.get(match.key) === 1) {
      byKey ??= new Map(manifest.map((x) => [x.key, x]));
      const m = byKey.get(match.key);
      if (m === undefined) throw new Error(`identity index out of step with manifest at ${match.key}`);
      counts.link++;
      actions.push({ kind: 'link', key: match.key, ref: item.ref, reason: 'same-identity' });
      checkArchived(item, m);
      continue;
    }
    if (match.kind !== 'none') {
      counts.ambiguous++;
      const keys = match.kind === 'one' ? [match.key] : match.keys;
      const detail =
        match.kind === 'one'
          ? `several listed items match archived ${match.key}`
          : `matches ${keys.length} archived items: ${keys.join(', ')}`;
      actions.push(
        match.kind === 'one'
          ? { kind: 'report', reason: 'ambiguous-identity', item, key: match.key, detail }
          : { kind: 'report', reason: 'ambiguous-identity', item, detail },
      );
      continue;
    }
    if (blocked(item)) continue;
    counts.download++;
    // Provisional path from the API time; the engine may re-place by EXIF date (through a PathRegistry).
    const dir = item.dating === 'none' ? UNKNOWN_DATE_DIR : layout(localTimeOf(item.creationTime, options.tz));
    actions.push({ kind: 'download', item, path: claim(dir, safeNameOf(i)), reason: 'new-remote-item' });
  }

  const gone = goneReports(manifest, (ref) => holdsRef(items, ref), listed.length, options);
  counts.gone = gone.actions.length;
  actions.push(...gone.actions);
  return gone.suspectListing === undefined ? { actions, counts } : { actions, counts, suspectListing: gone.suspectListing };
}

/** Paths a new item must not take: files the caller saw on disk, and manifest paths (even when not on disk). */
function* takenPaths(local: PlanInput['local'], manifest: readonly ManifestItem[]): Generator<string> {
  for (const [path, stat] of local) if (stat !== undefined) yield path;
  for (const m of manifest) if (local.get(m.path) === undefined) yield m.path;
}
