// plan(): what a sync should do, as a value. Pure and deterministic: the same remote SET (in any order), manifest
// and disk give the same plan, actions in a canonical order (remote items by ref, then gone items by key).

import { originalName } from './adopt-match.js';
import { fileState } from './compare.js';
import { matchesKind, matchesLocalDate } from './filters.js';
import { goneReports } from './gone.js';
import { candidatesFor, indexByIdentity, matchIdentity } from './identity.js';
import type { IdentityMatch } from './identity.js';
import { compileLayout } from './layout.js';
import { localTimeOf, validateTimeZone } from './local-time.js';
import { safeFilename } from './names.js';
import { PathRegistry } from './placement.js';
import type { Action, Plan, PlanCounts, PlanInput } from './plan-types.js';
import { refKey } from './types.js';
import type { ManifestItem, RemoteItem, SourceRef } from './types.js';

/** Code-unit order: locale-independent, so plans are the same on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One item per ref, sorted by ref, with the refs. Among duplicates the smallest serialisation wins, so listing order never matters. */
function dedupe(remote: readonly RemoteItem[]): { items: RemoteItem[]; keys: string[]; copies: Map<string, number> } {
  const chosen = new Map<string, RemoteItem>();
  // Only refs listed more than once are counted and serialised, which is rare.
  const copies = new Map<string, number>();
  const json = new Map<string, string>();
  for (const item of remote) {
    const k = refKey(item.ref);
    const prev = chosen.get(k);
    if (prev === undefined) {
      chosen.set(k, item);
      continue;
    }
    copies.set(k, (copies.get(k) ?? 1) + 1);
    const prevJson = json.get(k) ?? JSON.stringify(prev);
    const itemJson = JSON.stringify(item);
    if (itemJson < prevJson) {
      chosen.set(k, item);
      json.set(k, itemJson);
    } else json.set(k, prevJson);
  }
  // The default sort compares strings by UTF-16 code units, as compareStrings does.
  const keys = [...chosen.keys()].sort();
  const items = keys.map((k) => chosen.get(k) as RemoteItem);
  return { items, keys, copies };
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
  return { remote: 0, present: 0, download: 0, restamp: 0, link: 0, pending: 0, gone: 0, changed: 0, ambiguous: 0 };
}

export function plan(input: PlanInput): Plan {
  const { options } = input;
  validateTimeZone(options.tz);
  const layout = compileLayout(options.layout);

  const manifest = [...input.manifest].sort((a, b) => compareStrings(a.key, b.key));
  // By source, then id: the same as by refKey (a source name holds no ':'), without building a key per ref.
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
  const identity = indexByIdentity(manifest);
  // Manifest paths, plus any other file the caller saw on disk: a new item never lands on an existing file.
  // (Reservation order does not matter: the registry only answers whether a path is taken. A manifest path that is
  // on disk is reserved once, as a file on disk.)
  const registry = new PathRegistry();
  input.local.forEach((stat, path) => {
    if (stat !== undefined) registry.reserve(path);
  });
  for (const m of manifest) if (input.local.get(m.path) === undefined) registry.reserve(m.path);

  const deduped = dedupe(input.remote);
  const { items, copies } = deduped;
  // Listed items within the filter, their refKeys and local capture times (matchesFilter, keeping the time).
  const listed: RemoteItem[] = [];
  const listedKeys: string[] = [];
  const listedLocal: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as RemoteItem;
    if (!matchesKind(item.kind, options.filter)) continue;
    const local = localTimeOf(item.creationTime, options.tz);
    if (!matchesLocalDate(local, options.filter)) continue;
    listed.push(item);
    listedKeys.push(deduped.keys[i] as string);
    listedLocal.push(local);
  }
  const actions: Action[] = [];
  const counts = emptyCounts();
  counts.remote = listed.length;

  // safeFilename of listed items, by index in `listed`: computed at most once for identity and placement.
  const safeNames = new Array<string | undefined>(listed.length).fill(undefined);
  const safeNameOf = (i: number): string => {
    let name = safeNames[i];
    if (name === undefined) {
      name = safeFilename((listed[i] as RemoteItem).filename);
      safeNames[i] = name;
    }
    return name;
  };

  // Entries recorded from files on disk (rebuild, adopt: no refs) know only the name on disk: the sanitised name
  // without a '~N' suffix. They are matched under that name too, and only they, so nothing else changes.
  const identify = (i: number): IdentityMatch => {
    const item = listed[i] as RemoteItem;
    const direct = matchIdentity(item, candidatesFor(identity, item));
    if (direct.kind !== 'none') return direct;
    const safe = safeNameOf(i);
    // originalName only ever removes a '~N'.
    const stored = safe.includes('~') ? originalName(safe) : safe;
    if (stored === item.filename) return direct;
    const asStored = { ...item, filename: stored };
    return matchIdentity(asStored, candidatesFor(identity, asStored).filter((m) => m.refs.length === 0));
  };

  // Identity first, over the whole listing: two listed items claiming one archived item is ambiguity, not a link.
  const matches = new Map<string, IdentityMatch>();
  /** byRef of each listed item, by index in `listed` */
  const archivedAt = new Array<ManifestItem | undefined>(listed.length).fill(undefined);
  const claimants = new Map<string, number>();
  for (let i = 0; i < listed.length; i++) {
    const archived = byRef((listed[i] as RemoteItem).ref);
    archivedAt[i] = archived;
    if (archived !== undefined) continue;
    const rk = listedKeys[i] as string;
    const match = identify(i);
    if (match.kind === 'none') continue; // the same as no entry
    matches.set(rk, match);
    if (match.kind === 'one') claimants.set(match.key, (claimants.get(match.key) ?? 0) + 1);
  }

  const blocked = (item: RemoteItem, key?: string): boolean => {
    const reason = blockedVideo(item);
    if (reason === undefined) return false;
    if (reason === 'video-pending') counts.pending++;
    actions.push(key === undefined ? { kind: 'report', reason, item } : { kind: 'report', reason, item, key });
    return true;
  };

  /** An item we already hold (by ref or just linked): is its file still right? */
  const checkArchived = (item: RemoteItem, m: ManifestItem): void => {
    const local = input.local.get(m.path);
    switch (fileState(m, local, options.setMtime)) {
      case 'present':
        counts.present++;
        return;
      case 'missing':
        if (blocked(item, m.key)) return;
        counts.download++;
        // Same path as before: re-runs never rename.
        actions.push({ kind: 'download', item, path: m.path, reason: 'missing-on-disk', key: m.key });
        return;
      case 'changed':
        counts.changed++;
        actions.push({
          kind: 'report',
          reason: 'changed-on-disk',
          key: m.key,
          path: m.path,
          detail: `size on disk ${local?.size ?? 0}, archived ${m.size}`,
        });
        return;
      case 'mtime-differs':
        counts.restamp++;
        actions.push({ kind: 'restamp', key: m.key, path: m.path, mtimeMs: Date.parse(m.captureTime), reason: 'mtime-differs' });
        return;
    }
  };

  for (let i = 0; i < listed.length; i++) {
    const item = listed[i] as RemoteItem;
    const rk = listedKeys[i] as string;
    const n = copies.get(rk) ?? 1;
    if (n > 1) actions.push({ kind: 'report', reason: 'duplicate-remote-id', item, detail: `listed ${n} times` });

    const archived = archivedAt[i];
    if (archived !== undefined) {
      checkArchived(item, archived);
      continue;
    }
    const match = matches.get(rk) ?? NO_MATCH;
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
    const dir = layout(listedLocal[i] as string);
    actions.push({ kind: 'download', item, path: registry.claim(dir, safeNameOf(i)), reason: 'new-remote-item' });
  }

  const gone = goneReports(manifest, new Set(deduped.keys), listed.length, options);
  counts.gone = gone.actions.length;
  actions.push(...gone.actions);
  return gone.suspectListing === undefined ? { actions, counts } : { actions, counts, suspectListing: gone.suspectListing };
}
