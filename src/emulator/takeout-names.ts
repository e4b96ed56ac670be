// How Google names things inside a Takeout export (reference/google-photos-api.md §4.2, §4.4). Pure.
// Where Google is undocumented (a name that no archive can hold as such) the choice is written next to the rule.

export type SidecarStyle = 'legacy' | 'supplemental';

/** Sidecar stems (before `(n)` and `.json`) are clipped to this many characters (code points). */
export const SIDECAR_STEM_MAX = 46;
const SUPPLEMENTAL = '.supplemental-metadata';

/**
 * A file or folder name as an archive can hold it: '/' and '\' (path separators) and control characters
 * (U+0000–U+001F, U+007F: a tab or newline in a zip name breaks every tool) become '_'; '.' and '..' become '_'.
 * Google's own rule is undocumented; this is the conservative one. The sidecar's `title` keeps the real name.
 */
export function archiveSafeName(name: string): string {
  const safe = name.replace(/[/\\\u0000-\u001f\u007f]/g, '_');
  return safe === '' || safe === '.' || safe === '..' ? '_' : safe;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 || dot === name.length - 1 ? '' : name.slice(dot);
}

/**
 * The media file's base name (before any `(n)` counter): the safe title, plus the extension its type implies
 * when it has none ('20030616' is written as '20030616.jpg' while its sidecar stays '20030616.json', §4.4).
 */
export function mediaBaseName(title: string, mimeType: string): string {
  const safe = archiveSafeName(title);
  if (extensionOf(safe) !== '') return safe;
  return safe + (mimeType === 'video/mp4' ? '.mp4' : '.jpg');
}

/** 'IMG.jpg' with counter 1 -> 'IMG(1).jpg'; Google's counter sits before the extension. */
export function withCounter(name: string, counter: number): string {
  if (counter === 0) return name;
  const ext = extensionOf(name);
  return `${name.slice(0, name.length - ext.length)}(${counter})${ext}`;
}

/**
 * The sidecar of a media file whose title is `title` and whose on-disk counter is `counter` (§4.4 rules):
 * legacy `<name.ext>.json`, supplemental `<name.ext>.supplemental-metadata.json`; the stem is clipped to 46
 * code points, then `(n)`, then `.json` (neither is ever clipped). Files uploaded without an extension keep
 * their extensionless title in the sidecar name.
 */
export function sidecarName(title: string, counter: number, style: SidecarStyle): string {
  const base = archiveSafeName(title);
  const stem = style === 'legacy' ? base : base + SUPPLEMENTAL;
  const clipped = [...stem].slice(0, SIDECAR_STEM_MAX).join('');
  return `${clipped}${counter > 0 ? `(${counter})` : ''}.json`;
}

/**
 * Names taken in one folder. Equality is exact (code points, case-sensitive, no Unicode normalisation): Google
 * stores names as uploaded, so NFC and NFD twins, or names differing only in case, are two distinct files.
 */
export class FolderNames {
  private readonly taken = new Set<string>();

  has(name: string): boolean {
    return this.taken.has(name);
  }

  /** Takes a name that must be free (Google's own folder names); throws when it is not. */
  reserve(name: string): void {
    if (this.taken.has(name)) throw new Error(`Takeout layout bug: ${name} is taken twice`);
    this.taken.add(name);
  }

  /** The smallest counter n for which every name `namesFor(n)` gives is free; takes them. */
  claim(namesFor: (counter: number) => readonly string[]): number {
    for (let n = 0; ; n++) {
      const names = namesFor(n);
      if (names.every((x) => !this.taken.has(x))) {
        for (const x of names) this.taken.add(x);
        return n;
      }
    }
  }
}

/** The year folder of an item: its capture time's UTC year (Takeout knows no time zone). */
export function yearFolder(creationTimeIso: string): string {
  return `Photos from ${creationTimeIso.slice(0, 4)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Unix seconds as Takeout's `{timestamp, formatted}`: '18 Nov 2009, 13:04:08 UTC'. */
export function takeoutTime(sec: number): { timestamp: string; formatted: string } {
  const d = new Date(sec * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const formatted = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`;
  return { timestamp: String(sec), formatted };
}
