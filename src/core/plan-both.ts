// A listed item the archive holds: is its file still right, and at the best quality this source can give? Its
// ref is linked first when it was found by identity.

import { fileState } from './compare.js';
import type { FileState } from './compare.js';
import { metaChanges } from './item-meta.js';
import type { Both } from './plan-pairing.js';
import type { Action, PlanOptions } from './plan-types.js';
import { blockedVideoReport } from './plan-video.js';
import type { LocalFile, ManifestItem, RemoteItem } from './types.js';

export type BothOptions = Pick<PlanOptions, 'setMtime' | 'quality' | 'allowDowngrade'>;

export interface BothDecision {
  actions: readonly Action[];
  /** the file is right as it is (PlanCounts.present): at most its metadata changes */
  present: boolean;
}

// Most of a no-op sync: shared, so 100k archived items allocate nothing here.
const PRESENT: BothDecision = { actions: [], present: true };

/** @param local the stat of the archived item's path, undefined when it is not on disk */
export function planBoth(pair: Both, local: LocalFile | undefined, options: BothOptions): BothDecision {
  const file = planArchivedFile(pair.item, pair.archived, local, options);
  if (pair.pairedBy === 'ref') return file;
  const link: Action = { kind: 'link', key: pair.archived.key, ref: pair.item.ref, reason: 'same-identity' };
  return { actions: [link, ...file.actions], present: file.present };
}

function planArchivedFile(item: RemoteItem, m: ManifestItem, local: LocalFile | undefined, options: BothOptions): BothDecision {
  const state = fileState(m, local, options.setMtime);
  if (options.quality === 'original' && isReplaceableCopy(m, local, state)) {
    return { actions: [{ kind: 'upgrade', key: m.key, item, path: m.path, reason: 'original-replaces-copy' }], present: false };
  }
  switch (state) {
    case 'present': {
      const annotate = annotation(item, m);
      return annotate === undefined ? PRESENT : { actions: [annotate], present: true };
    }
    case 'missing':
      return { actions: [planMissingFile(item, m, options)], present: false };
    case 'changed': {
      const detail = `size on disk ${local?.size ?? 0}, archived ${m.size}`;
      return withAnnotation({ kind: 'report', reason: 'changed-on-disk', key: m.key, path: m.path, detail }, item, m);
    }
    case 'mtime-differs': {
      const mtimeMs = Date.parse(m.captureTime);
      return withAnnotation({ kind: 'restamp', key: m.key, path: m.path, mtimeMs, reason: 'mtime-differs' }, item, m);
    }
  }
}

/**
 * Our own API copy, whole (its mtime aside), which an original may replace; one changed on disk is left alone. Or
 * an upgrade recorded but cut off before its rename: the API copy it replaces is still there.
 */
function isReplaceableCopy(m: ManifestItem, local: LocalFile | undefined, state: FileState): boolean {
  if (state === 'present' || state === 'mtime-differs') return m.quality === 'api-copy';
  return state === 'changed' && m.replaced !== undefined && local?.size === m.replaced.size;
}

/** Re-fetched to the same path (re-runs never rename), unless that would silently lower its quality. */
function planMissingFile(item: RemoteItem, m: ManifestItem, options: BothOptions): Action {
  const blocked = blockedVideoReport(item, m.key);
  if (blocked !== undefined) return blocked;
  const downgrade = m.quality === 'original' && options.quality !== 'original';
  if (downgrade && !options.allowDowngrade) {
    const lesser = options.quality === 'api-copy' ? 'an API copy (no GPS, videos transcoded)' : 'a lesser copy';
    return { kind: 'report', reason: 'original-missing', key: m.key, path: m.path, detail: `this source has only ${lesser}` };
  }
  return { kind: 'download', item, path: m.path, reason: 'missing-on-disk', key: m.key, ...(downgrade ? { downgrade: true as const } : {}) };
}

/** Metadata the source knows better than the manifest, for a file that is not rewritten. */
function annotation(item: RemoteItem, m: ManifestItem): Action | undefined {
  const meta = metaChanges(item.meta, m);
  return meta === undefined ? undefined : { kind: 'annotate', key: m.key, meta, reason: 'metadata-changed' };
}

function withAnnotation(action: Action, item: RemoteItem, m: ManifestItem): BothDecision {
  const annotate = annotation(item, m);
  return { actions: annotate === undefined ? [action] : [action, annotate], present: false };
}
