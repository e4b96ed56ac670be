// Items the manifest remembers from this source that the listing no longer has. They are only ever reported,
// never deleted; and not even reported when the listing itself looks wrong.

import { matchesCapture, matchesKind } from './filters.js';
import type { Action, PlanOptions } from './plan-types.js';
import { refKey } from './types.js';
import type { ManifestItem, SourceRef } from './types.js';

/**
 * A listing is suspect when it holds fewer than SUSPECT_RATIO of the items the manifest remembers for this source
 * within the filter, and the manifest remembers at least SUSPECT_MIN_REMEMBERED. Real libraries rarely lose half
 * their items between two runs; listings shrink like that all the time (Google's 2025 scope change hides items
 * the app did not create, a token for another account, a cut-short run). Small archives are exempt so that
 * deleting 3 of 5 test photos is reported normally.
 */
export const SUSPECT_RATIO = 0.5;
export const SUSPECT_MIN_REMEMBERED = 20;

export function mediaKindOf(mimeType: string): 'photo' | 'video' {
  return mimeType.startsWith('video/') ? 'video' : 'photo';
}

export interface GoneResult {
  actions: Action[];
  suspectListing?: { listed: number; remembered: number };
}

/**
 * @param manifest sorted by key
 * @param isListed whether the listing held `ref`, in or out of the filter
 * @param listed distinct listed items within the filter
 */
export function goneReports(
  manifest: readonly ManifestItem[],
  isListed: (ref: SourceRef) => boolean,
  listed: number,
  options: PlanOptions,
): GoneResult {
  if (!options.listingComplete) return { actions: [] };
  const f = options.filter;
  // Manifest capture times were validated when they were recorded: without date bounds, skip the local time.
  const datesSet = f.from !== undefined || f.to !== undefined || f.skipDates.length > 0;
  const remembered = manifest.filter(
    (m) =>
      m.refs.some((r) => r.source === options.source) &&
      (datesSet ? matchesCapture(m.captureTime, mediaKindOf(m.mimeType), f, options.tz) : matchesKind(mediaKindOf(m.mimeType), f)),
  );
  const suspect = remembered.length >= SUSPECT_MIN_REMEMBERED && listed < remembered.length * SUSPECT_RATIO;
  if (suspect && !options.force) return { actions: [], suspectListing: { listed, remembered: remembered.length } };
  const actions: Action[] = [];
  for (const m of remembered) {
    const ref = m.refs.find((r) => r.source === options.source);
    if (ref === undefined || isListed(ref)) continue;
    actions.push({ kind: 'report', reason: 'remote-gone', key: m.key, path: m.path, detail: refKey(ref) });
  }
  return { actions };
}
