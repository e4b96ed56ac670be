// plan(): what a sync should do, as a value. Pure and deterministic: the same remote SET (in any order), manifest
// and disk give the same plan, actions in a canonical order (remote items by ref, then gone items by key).

import { originalName } from './adopt-match.js';
import { fileState } from './compare.js';
import { matchesFilter } from './filters.js';
import { goneReports } from './gone.js';
import { candidatesFor, indexByIdentity, matchIdentity } from './identity.js';
import type { IdentityMatch } from './identity.js';
import { compileLayout } from './layout.js';
import { localTimeOf, validateTimeZone } from './local-time.js';
import { safeFilename } from './names.js';
import { PathRegistry } from './placement.js';
import type { Action, Plan, PlanCounts, PlanInput } from './plan-types.js';
import { refKey } from './types.js';
import type { ManifestItem, RemoteItem } from './types.js';

/** Code-unit order: locale-independent, so plans are the same on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One item per ref, sorted by ref. Among duplicates the smallest serialisation wins, so listing order never matters. */
function dedupe(remote: readonly RemoteItem[]): { items: RemoteItem[]; copies: Map<string, number> } {
  const chosen = new Map<string, { item: RemoteItem; json: string }>();
  const copies = new Map<string, number>();
  for (const item of remote) {
    const k = refKey(item.ref);
    const json = JSON.stringify(item);
    copies.set(k, (copies.get(k) ?? 0) + 1);
    const prev = chosen.get(k);
    if (prev === undefined || json < prev.json) chosen.set(k, { item, json });
  }
  const items = [...chosen.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, v]) => v.item);
  return { items, copies };
}

/** Videos whose bytes Google cannot serve yet (or ever): report instead of downloading. */
function blockedVideo(item: RemoteItem): 'video-pending' | 'video-failed' | undefined {
  if (item.kind !== 'video') return undefined;
  if (item.videoStatus === 'PROCESSING') return 'video-pending';
  if (item.videoStatus === 'FAILED') return 'video-failed';
  return undefined;
}

function emptyCounts(): PlanCounts {
  return { remote: 0, present: 0, download: 0, restamp: 0, link: 0, pending: 0, gone: 0, changed: 0, ambiguous: 0 };
}

export function plan(input: PlanInput): Plan {
  const { options } = input;
  validateTimeZone(options.tz);
  const layout = compileLayout(options.layout);

  const manifest = [...input.manifest].sort((a, b) => compareStrings(a.key, b.key));
  const byRef = new Map<string, ManifestItem>();
  for (const m of manifest) for (const r of m.refs) if (!byRef.has(refKey(r))) byRef.set(refKey(r), m);
  const byKey = new Map(manifest.map((m) => [m.key, m]));
  const identity = indexByIdentity(manifest);
  // Manifest paths, plus any other file the caller saw on disk: a new item never lands on an existing file.
  const registry = new PathRegistry(manifest.map((m) => m.path));
  for (const [path, stat] of [...input.local.entries()].sort(([a], [b]) => compareStrings(a, b))) {
    if (stat !== undefined) registry.reserve(path);
  }

  const { items, copies } = dedupe(input.remote);
  const listed = items.filter((item) => matchesFilter(item, options.filter, options.tz));
  const actions: Action[] = [];
  const counts = emptyCounts();
  counts.remote = listed.length;

  // Entries recorded from files on disk (rebuild, adopt: no refs) know only the name on disk: the sanitised name
  // without a '~N' suffix. They are matched under that name too, and only they, so nothing else changes.
  const identify = (item: RemoteItem): IdentityMatch => {
    const direct = matchIdentity(item, candidatesFor(identity, item));
    const stored = originalName(safeFilename(item.filename));
    if (direct.kind !== 'none' || stored === item.filename) return direct;
    const asStored = { ...item, filename: stored };
    return matchIdentity(asStored, candidatesFor(identity, asStored).filter((m) => m.refs.length === 0));
  };

  // Identity first, over the whole listing: two listed items claiming one archived item is ambiguity, not a link.
  const matches = new Map<string, IdentityMatch>();
  const claimants = new Map<string, number>();
  for (const item of listed) {
    if (byRef.has(refKey(item.ref))) continue;
    const match = identify(item);
    matches.set(refKey(item.ref), match);
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

  for (const item of listed) {
    const rk = refKey(item.ref);
    const n = copies.get(rk) ?? 1;
    if (n > 1) actions.push({ kind: 'report', reason: 'duplicate-remote-id', item, detail: `listed ${n} times` });

    const archived = byRef.get(rk);
    if (archived !== undefined) {
      checkArchived(item, archived);
      continue;
    }
    const match = matches.get(rk) ?? { kind: 'none' };
    if (match.kind === 'one' && claimants.get(match.key) === 1) {
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
    const dir = layout(localTimeOf(item.creationTime, options.tz));
    actions.push({ kind: 'download', item, path: registry.claim(dir, safeFilename(item.filename)), reason: 'new-remote-item' });
  }

  const gone = goneReports(manifest, new Set(items.map((i) => refKey(i.ref))), listed.length, options);
  counts.gone = gone.actions.length;
  actions.push(...gone.actions);
  return gone.suspectListing === undefined ? { actions, counts } : { actions, counts, suspectListing: gone.suspectListing };
}
