// The listing as plan() reads it: one item per ref, in ref order, so the order a source lists in never matters;
// and which of those items the filter keeps.

import { matchesKind, matchesLocalDate } from './filters.js';
import { localTimeOf } from './local-time.js';
import type { Action, PlanOptions } from './plan-types.js';
import type { RemoteItem, SourceRef } from './types.js';

/** Code-unit order: locale-independent, so plans are the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By source, then id: the order of refKey strings (a source name holds no ':'), without building them. */
function compareRefs(a: SourceRef, b: SourceRef): number {
  return compareStrings(a.source, b.source) || compareStrings(a.id, b.id);
}

export interface Listing {
  /** every distinct item, sorted by ref: what the source still has, in or out of the filter */
  distinct: RemoteItem[];
  /** the distinct items within the filter, sorted by ref */
  inFilter: RemoteItem[];
  /** how often each item that was listed more than once was listed */
  timesListed: Map<RemoteItem, number>;
}

export function readListing(remote: readonly RemoteItem[], options: Pick<PlanOptions, 'filter' | 'tz'>): Listing {
  const { distinct, timesListed } = dedupe(remote);
  const f = options.filter;
  const datesSet = f.from !== undefined || f.to !== undefined || f.skipDates.length > 0;
  const inFilter: RemoteItem[] = [];
  for (const item of distinct) {
    if (!matchesKind(item.kind, f)) continue;
    // Local times only with date bounds: at 100k items they are most of a filter's cost.
    if (datesSet && !matchesLocalDate(localTimeOf(item.creationTime, options.tz), f)) continue;
    inFilter.push(item);
  }
  return { distinct, inFilter, timesListed };
}

/**
 * One item per ref, sorted by ref. Among duplicates the smallest serialisation wins, so listing order never
 * matters. Sorting instead of a Map keyed by refKey: at 100k items the keys and the Map outlived the young
 * generation.
 */
function dedupe(remote: readonly RemoteItem[]): Pick<Listing, 'distinct' | 'timesListed'> {
  const sorted = [...remote].sort((a, b) => compareRefs(a.ref, b.ref));
  const distinct: RemoteItem[] = [];
  const timesListed = new Map<RemoteItem, number>();
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i] as RemoteItem;
    let end = i + 1;
    while (end < sorted.length && compareRefs((sorted[end] as RemoteItem).ref, first.ref) === 0) end++;
    if (end - i === 1) distinct.push(first);
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
      timesListed.set(chosen, end - i);
      distinct.push(chosen);
    }
    i = end;
  }
  return { distinct, timesListed };
}

/** Whether `sorted` (as Listing.distinct) holds an item with `ref`: a binary search, no index to build. */
export function holdsRef(sorted: readonly RemoteItem[], ref: SourceRef): boolean {
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

/** Reported once, before whatever the item's case decides; the item itself is planned once. */
export function listedTwiceReport(item: RemoteItem, times: number): Action {
  return { kind: 'report', reason: 'duplicate-remote-id', item, detail: `listed ${times} times` };
}
