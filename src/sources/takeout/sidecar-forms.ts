// The JSON names Google may have given the sidecar of a file (reference/google-photos-api.md §4.4). Pure.
// Google builds a sidecar name from the photo's title T and its duplicate counter n:
//   clip46(T + '.supplemental-metadata') + '(n)'? + '.json'   (older exports: clip46(T) + '(n)'? + '.json')
// clip46 cuts at 46 UTF-16 code units, as Java/Dart/JS strings count: an emoji (two units) counts twice. Seen in
// immich-go's matcher tests: '😀…😋.json' (24 code points, 46 units) is the sidecar of '😀…😋😛.jpg'.
import { splitCounter, stemOf } from './names.js';

export const SIDECAR_STEM_MAX = 46;
const SUPPLEMENTAL = '.supplemental-metadata';

/** A name Google may have derived a sidecar from: the title and the duplicate counter (0: none). */
export interface Owner {
  title: string;
  counter: number;
}

/** `s` cut to `n` UTF-16 units; a cut through a surrogate pair may drop the half or show it as U+FFFD. */
function clips(s: string, n: number): string[] {
  if (s.length <= n) return [s];
  const cut = s.slice(0, n);
  const last = cut.charCodeAt(n - 1);
  if (last >= 0xd800 && last <= 0xdbff) return [cut.slice(0, -1), `${cut.slice(0, -1)}\uFFFD`];
  return [cut];
}

const json = (stem: string, counter: number): string => `${stem}${counter > 0 ? `(${counter})` : ''}.json`;

function unique(xs: readonly string[], not: ReadonlySet<string> = new Set()): string[] {
  const seen = new Set<string>(not);
  const out: string[] = [];
  for (const x of xs) {
    if (seen.has(x)) continue;
    seen.add(x);
    out.push(x);
  }
  return out;
}

/** The names Google's rule gives, newest generation first, unclipped before clipped (exports do both). */
export function canonicalNames(o: Owner): string[] {
  const full = o.title + SUPPLEMENTAL;
  return unique([full, ...clips(full, SIDECAR_STEM_MAX), o.title, ...clips(o.title, SIDECAR_STEM_MAX)].map((s) => json(s, o.counter)));
}

/**
 * Names real exports also hold: the suffix clipped at any length (gpth #373 'supplemental-metadat'), names up to
 * 53 characters unclipped, the title without its extension (gpth `_noExtension`: '20030616.json' for
 * '20030616.jpg', and its new-generation form), and a 46-code-point clip (immich-go counts runes).
 */
export function tolerantNames(o: Owner): string[] {
  const full = o.title + SUPPLEMENTAL;
  const bare = stemOf(o.title);
  const out: string[] = [];
  for (let n = full.length - 1; n >= Math.max(1, bare.length); n--) out.push(...clips(full, n));
  if (bare !== o.title && bare !== '') {
    const bareFull = bare + SUPPLEMENTAL;
    for (let n = bareFull.length; n > bare.length; n--) out.push(...clips(bareFull, n));
  }
  const points = [...full];
  if (points.length > SIDECAR_STEM_MAX) out.push(points.slice(0, SIDECAR_STEM_MAX).join(''));
  return unique(out.map((s) => json(s, o.counter)), new Set(canonicalNames(o)));
}

/**
 * The owners a media file's own sidecar may be named after: its whole name, then (for 'IMG(1).jpg') the title
 * 'IMG.jpg' with counter 1. A name that itself holds '(digits)' ('skytree (2).jpg') gets both readings.
 */
export function ownersOf(name: string): Owner[] {
  const { base, counter } = splitCounter(name);
  return counter > 0 ? [{ title: name, counter: 0 }, { title: base, counter }] : [{ title: name, counter: 0 }];
}

/** The counter a sidecar's name carries before '.json' ('IMG.jpg(2).json' -> 2), 0 when none. */
export function sidecarCounter(sidecarName: string): number {
  const m = /\((\d{1,4})\)\.json$/i.exec(sidecarName);
  return m === null ? 0 : Number(m[1]);
}
