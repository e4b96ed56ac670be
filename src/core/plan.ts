// plan(): what a sync should do, as a value. Pure and deterministic: the same remote SET (in any order), manifest
// and disk give the same plan, actions in a canonical order (remote items by ref, then gone items by key).
//
// Three steps, as rclone's march: read the listing (plan-listing.ts), pair each listed item with the archived item
// it is (plan-pairing.ts), and decide each case on its own: remote only (plan-remote-only.ts), both
// (plan-both.ts), archived only (gone.ts). This file only assembles the decisions and counts them.

import { goneReports } from './gone.js';
import { compileLayout } from './layout.js';
import { validateTimeZone } from './local-time.js';
import { PathRegistry } from './placement.js';
import { planBoth } from './plan-both.js';
import { compareStrings, holdsRef, listedTwiceReport, readListing } from './plan-listing.js';
import { pairListed } from './plan-pairing.js';
import { planRemoteOnly } from './plan-remote-only.js';
import type { NewItemPlacement } from './plan-remote-only.js';
import type { Action, Plan, PlanCounts, PlanInput } from './plan-types.js';
import type { ManifestItem } from './types.js';

// Memory: at 100k archived items a no-op plan must not leave tens of MB behind in the old generation (the peak of
// a no-op sync is its heap after planning). So nothing is built per item that is not needed: no refKey strings, no
// identity index or folded paths unless an item is new, local times only for date filters and downloads.
export function plan(input: PlanInput): Plan {
  const { options } = input;
  validateTimeZone(options.tz);
  const folderOf = compileLayout(options.layout);
  const manifest = [...input.manifest].sort((a, b) => compareStrings(a.key, b.key));
  const listing = readListing(input.remote, options);

  // Manifest paths, plus any other file the caller saw on disk: a new item never lands on an existing file. Built
  // when the first new item needs a path (the registry only answers whether a path is taken, so the order in
  // which it learns them does not matter).
  let registry: PathRegistry | undefined;
  const placement: NewItemPlacement = {
    folderOf,
    tz: options.tz,
    claim: (dir, name) => (registry ??= new PathRegistry(takenPaths(input.local, manifest))).claim(dir, name),
  };

  const actions: Action[] = [];
  const counts = emptyCounts();
  counts.remote = listing.inFilter.length;
  const add = (action: Action): void => {
    actions.push(action);
    countAction(counts, action);
  };
  for (const pair of pairListed(listing.inFilter, manifest)) {
    const times = listing.timesListed.get(pair.item);
    if (times !== undefined) add(listedTwiceReport(pair.item, times));
    if (pair.case === 'remote-only') {
      add(planRemoteOnly(pair, placement));
      continue;
    }
    const decision = planBoth(pair, input.local.get(pair.archived.path), options);
    if (decision.present) counts.present++;
    for (const action of decision.actions) add(action);
  }

  const gone = goneReports(manifest, (ref) => holdsRef(listing.distinct, ref), listing.inFilter.length, options);
  for (const action of gone.actions) add(action);
  return gone.suspectListing === undefined ? { actions, counts } : { actions, counts, suspectListing: gone.suspectListing };
}

function emptyCounts(): PlanCounts {
  return {
    remote: 0, present: 0, download: 0, upgrade: 0, annotate: 0, originalMissing: 0, restamp: 0, link: 0, pending: 0, gone: 0,
    changed: 0, ambiguous: 0,
  };
}

/** Every count but `remote` and `present` is a count of one kind of action. */
function countAction(counts: PlanCounts, action: Action): void {
  switch (action.kind) {
    case 'download':
      counts.download++;
      return;
    case 'upgrade':
      counts.upgrade++;
      return;
    case 'annotate':
      counts.annotate++;
      return;
    case 'restamp':
      counts.restamp++;
      return;
    case 'link':
      counts.link++;
      return;
    case 'report':
      switch (action.reason) {
        case 'video-pending':
          counts.pending++;
          return;
        case 'remote-gone':
          counts.gone++;
          return;
        case 'changed-on-disk':
          counts.changed++;
          return;
        case 'ambiguous-identity':
          counts.ambiguous++;
          return;
        case 'original-missing':
          counts.originalMissing++;
          return;
        case 'video-failed':
        case 'duplicate-remote-id':
          return;
      }
  }
}

/** Paths a new item must not take: files the caller saw on disk, and manifest paths (even when not on disk). */
function* takenPaths(local: PlanInput['local'], manifest: readonly ManifestItem[]): Generator<string> {
  for (const [path, stat] of local) if (stat !== undefined) yield path;
  for (const m of manifest) if (local.get(m.path) === undefined) yield m.path;
}
