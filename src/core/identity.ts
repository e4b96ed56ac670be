// Cross-source identity. Library, Picker and Takeout ids are different id spaces, and API bytes differ from
// originals, so neither ids nor hashes can say "this is the item we already have". What survives every source is
// the original filename, the capture time to the second and the pixel size. When that is not enough to tell
// items apart we report ambiguity and never guess.

import { isoSecond } from './local-time.js';
import type { ManifestItem, RemoteItem } from './types.js';

export interface IdentityFacts {
  filename: string;
  /** RFC 3339 */
  captureTime: string;
  width?: number;
  height?: number;
}

function normalisedName(filename: string): string {
  for (let i = 0; i < filename.length; i++) {
    if (filename.charCodeAt(i) >= 0x80) return filename.normalize('NFC').toLowerCase();
  }
  return filename.toLowerCase(); // ASCII: NFC changes nothing
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Digits of `s` from `from` to `to` (exclusive) as a number, or -1 unless all are ASCII digits. */
function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Whether the first 19 characters of `t` are 'YYYY-MM-DDTHH:mm:ss' naming a real calendar second, and it ends
 * with 'Z' right after them (length 20) or after milliseconds '.sss' (length 24). isoSecond of that instant writes
 * exactly those 19 characters back, plus 'Z'.
 */
function isCanonicalSecond(t: string): boolean {
  if (t.length === 24) {
    if (t.charCodeAt(19) !== 46 || t.charCodeAt(23) !== 90 || digitsAt(t, 20, 23) < 0) return false;
  } else if (t.length !== 20 || t.charCodeAt(19) !== 90) return false;
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84) return false;
  if (t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return false;
  const y = digitsAt(t, 0, 4);
  const mo = digitsAt(t, 5, 7);
  const d = digitsAt(t, 8, 10);
  const h = digitsAt(t, 11, 13);
  const mi = digitsAt(t, 14, 16);
  const sec = digitsAt(t, 17, 19);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0));
}

function captureSecond(captureTime: string): string {
  if (isCanonicalSecond(captureTime)) return captureTime.length === 20 ? captureTime : `${captureTime.slice(0, 19)}Z`;
  const ms = Date.parse(captureTime);
  return Number.isNaN(ms) ? captureTime : isoSecond(ms);
}

/** Filename and capture second only: the part every source knows; used to index candidates. */
export function identityBaseKey(facts: Pick<IdentityFacts, 'filename' | 'captureTime'>): string {
  return `${normalisedName(facts.filename)}|${captureSecond(facts.captureTime)}`;
}

/** 'img_1234.jpg|2019-03-09T12:42:00Z|4032x3024' (the size only when known). */
export function identityKey(facts: IdentityFacts): string {
  const base = identityBaseKey(facts);
  return facts.width !== undefined && facts.height !== undefined ? `${base}|${facts.width}x${facts.height}` : base;
}

function sameSize(item: RemoteItem, m: ManifestItem): boolean {
  // Compared only when both sides know the size: Takeout sidecars often omit it.
  if (item.width === undefined || item.height === undefined || m.width === undefined || m.height === undefined) return true;
  return item.width === m.width && item.height === m.height;
}

export type IdentityMatch = { kind: 'none' } | { kind: 'one'; key: string } | { kind: 'ambiguous'; keys: string[] };

/**
 * Which archived item `item` is, among `candidates`. A candidate that already holds a reference from the item's
 * own source is a different item (one source has one id per item), so it never matches.
 */
export function matchIdentity(item: RemoteItem, candidates: readonly ManifestItem[]): IdentityMatch {
  if (candidates.length === 0) return { kind: 'none' };
  const base = identityBaseKey({ filename: item.filename, captureTime: item.creationTime });
  const keys = candidates
    .filter(
      (m) =>
        !m.refs.some((r) => r.source === item.ref.source) &&
        identityBaseKey(m) === base &&
        sameSize(item, m),
    )
    .map((m) => m.key)
    .sort();
  const unique = [...new Set(keys)];
  const [first] = unique;
  if (first === undefined) return { kind: 'none' };
  if (unique.length === 1) return { kind: 'one', key: first };
  // 'Café.jpg' in NFC and in NFD, or 'IMG.jpg' and 'img.JPG', are two items: the one with this very name is it.
  const exact = candidates.filter((m) => unique.includes(m.key) && m.filename === item.filename).map((m) => m.key);
  const [only] = exact;
  return exact.length === 1 && only !== undefined ? { kind: 'one', key: only } : { kind: 'ambiguous', keys: unique };
}

/**
 * Manifest items grouped by identityBaseKey, so matching a large listing is not quadratic. With `only`, just the
 * groups under those keys: a sync matches a handful of new items against 100k archived ones, and a full index
 * held ~20 MB of keys.
 */
export function indexByIdentity(manifest: readonly ManifestItem[], only?: ReadonlySet<string>): Map<string, ManifestItem[]> {
  const index = new Map<string, ManifestItem[]>();
  for (const m of manifest) {
    const k = identityBaseKey(m);
    if (only !== undefined && !only.has(k)) continue;
    const list = index.get(k);
    if (list === undefined) index.set(k, [m]);
    else list.push(m);
  }
  return index;
}

/** Candidates for `item` from an index built by indexByIdentity. */
export function candidatesFor(index: ReadonlyMap<string, ManifestItem[]>, item: RemoteItem): ManifestItem[] {
  return index.get(identityBaseKey({ filename: item.filename, captureTime: item.creationTime })) ?? [];
}
