// Pairing, rclone's march: which archived item each listed item is, first by its ref, then by identity. It decides
// nothing; plan-remote-only.ts and plan-both.ts say what each case needs. (The third case, archived items this
// source no longer lists, needs the whole listing and is decided by gone.ts.)

import { originalName } from './adopt-match.js';
import { candidatesFor, identityBaseKey, indexByIdentity, matchIdentity } from './identity.js';
import type { IdentityMatch } from './identity.js';
import { safeFilename } from './names.js';
import type { ManifestItem, RemoteItem } from './types.js';

/** Listed, and archived: under this ref already, or found by identity (then the ref is linked to it). */
export interface Both {
  case: 'both';
  item: RemoteItem;
  archived: ManifestItem;
  pairedBy: 'ref' | 'identity';
}

/** Listed, and no archived item is known to be it. */
export interface RemoteOnly {
  case: 'remote-only';
  item: RemoteItem;
  /** safeFilename(item.filename), already needed for identity */
  safeName: string;
  /** Identity could not tell: then it may be archived, and is neither linked nor downloaded. */
  doubt?: IdentityDoubt;
}

export type IdentityDoubt =
  /** one archived item matches, but other listed items match it too */
  | { kind: 'contested'; key: string }
  /** several archived items match */
  | { kind: 'ambiguous'; keys: string[] };

export type ListedPair = Both | RemoteOnly;

/**
 * One pair per listed item, in listing order.
 * @param manifest sorted by key: of two entries holding one ref the first is the item; of two with one key, the last
 */
export function pairListed(listed: readonly RemoteItem[], manifest: readonly ManifestItem[]): ListedPair[] {
  const byRef = indexByRef(manifest);
  const pairs = new Array<ListedPair>(listed.length);
  const unpaired: number[] = [];
  for (let i = 0; i < listed.length; i++) {
    const item = listed[i] as RemoteItem;
    const archived = byRef.get(item.ref.source)?.get(item.ref.id);
    if (archived === undefined) unpaired.push(i);
    else pairs[i] = { case: 'both', item, archived, pairedBy: 'ref' };
  }
  if (unpaired.length === 0) return pairs;

  const items = unpaired.map((i) => listed[i] as RemoteItem);
  const safeNames = items.map((item) => safeFilename(item.filename));
  const matches = manifest.length === 0 ? undefined : matchByIdentity(items, safeNames, manifest);
  // Identity over the whole listing first: two listed items claiming one archived item is doubt, not a link.
  const claimants = new Map<string, number>();
  for (const match of matches ?? []) if (match.kind === 'one') claimants.set(match.key, (claimants.get(match.key) ?? 0) + 1);
  // Needed only to link, which is rare: built on first use.
  let byKey: Map<string, ManifestItem> | undefined;
  for (let j = 0; j < unpaired.length; j++) {
    const item = items[j] as RemoteItem;
    const match = matches?.[j];
    let pair: ListedPair;
    if (match === undefined || match.kind === 'none') pair = { case: 'remote-only', item, safeName: safeNames[j] as string };
    else if (match.kind === 'ambiguous') pair = { case: 'remote-only', item, safeName: safeNames[j] as string, doubt: match };
    else if (claimants.get(match.key) !== 1) {
      pair = { case: 'remote-only', item, safeName: safeNames[j] as string, doubt: { kind: 'contested', key: match.key } };
    } else {
      byKey ??= new Map(manifest.map((m) => [m.key, m]));
      const archived = byKey.get(match.key);
      if (archived === undefined) throw new Error(`identity index out of step with manifest at ${match.key}`);
      pair = { case: 'both', item, archived, pairedBy: 'identity' };
    }
    pairs[unpaired[j] as number] = pair;
  }
  return pairs;
}

/** source -> id -> the first entry (in manifest order) holding that ref */
function indexByRef(manifest: readonly ManifestItem[]): Map<string, Map<string, ManifestItem>> {
  const index = new Map<string, Map<string, ManifestItem>>();
  for (const m of manifest) {
    for (const r of m.refs) {
      let ids = index.get(r.source);
      if (ids === undefined) {
        ids = new Map();
        index.set(r.source, ids);
      }
      if (!ids.has(r.id)) ids.set(r.id, m);
    }
  }
  return index;
}

/**
 * Entries recorded from files on disk (rebuild, adopt: no refs) know only the name on disk: the safe name without
 * a '~N' suffix. An item is matched under that name too, against those entries only, so nothing else changes.
 */
function storedNameOf(item: RemoteItem, safeName: string): string | undefined {
  // originalName only ever removes a '~N'.
  const stored = safeName.includes('~') ? originalName(safeName) : safeName;
  return stored === item.filename ? undefined : stored;
}

/** The identity match of each item (by index); the index holds only the groups these items can match. */
function matchByIdentity(items: readonly RemoteItem[], safeNames: readonly string[], manifest: readonly ManifestItem[]): IdentityMatch[] {
  const storedNames = items.map((item, j) => storedNameOf(item, safeNames[j] as string));
  const wanted = new Set<string>();
  items.forEach((item, j) => {
    wanted.add(identityBaseKey({ filename: item.filename, captureTime: item.creationTime }));
    const stored = storedNames[j];
    if (stored !== undefined) wanted.add(identityBaseKey({ filename: stored, captureTime: item.creationTime }));
  });
  const identity = indexByIdentity(manifest, wanted);
  return items.map((item, j) => {
    const match = matchIdentity(item, candidatesFor(identity, item));
    const stored = storedNames[j];
    if (match.kind !== 'none' || stored === undefined) return match;
    const asStored = { ...item, filename: stored };
    return matchIdentity(asStored, candidatesFor(identity, asStored).filter((m) => m.refs.length === 0));
  });
}
