// File names from Google are untrusted: make them safe on every common file system (ext4, APFS, NTFS, exFAT).

/**
 * Most file systems cap a name at 255 bytes (ext4, APFS in UTF-8; NTFS's 255 UTF-16 units is never tighter).
 * A download first exists as NAME.gphotos.part (13 more bytes), so archive names stop at 240.
 */
export const MAX_NAME_BYTES = 240;

/** Used when nothing of the stem survives. */
const UNNAMED = 'unnamed';

/** Bytes of `s` in UTF-8; a lone surrogate counts as U+FFFD (3 bytes), as TextEncoder writes it. */
export function utf8Length(s: string): number {
  const n = s.length;
  let i = 0;
  while (i < n && s.charCodeAt(i) < 0x80) i++;
  if (i === n) return n; // ASCII: one byte per code unit
  let bytes = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one code point beyond the BMP
      i++;
    } else bytes += 3; // the rest of the BMP, and lone surrogates (U+FFFD)
  }
  return bytes;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

// Path separators, NUL, C0 and C1 controls, DEL and the characters Windows forbids.
const FORBIDDEN = /[/\\\u0000-\u001f\u007f-\u009f<>:"|?*]/g;
// A surrogate without its partner cannot be written as UTF-8 (it would become U+FFFD on disk).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TRAILING_DOTS_SPACES = /[. ]+$/;
// Windows refuses these as a base name with any extension ('CON.jpg', 'con .tar.gz'). COM0/LPT0 and the
// superscript digits are reserved on some Windows versions too; prefixing them costs nothing.
const DEVICE_NAME = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])$/i;

/** Splits 'IMG_1234.jpg' into ['IMG_1234', '.jpg']. The extension is the last '.' plus 1–10 characters without a dot. */
export function splitExtension(name: string): [stem: string, ext: string] {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return [name, ''];
  const ext = name.slice(dot);
  if (ext.length < 2 || ext.length > 11) return [name, ''];
  return [name.slice(0, dot), ext];
}

export function isReservedDeviceName(name: string): boolean {
  const dot = name.indexOf('.');
  const base = dot < 0 ? name : name.slice(0, dot);
  return DEVICE_NAME.test(base.trimEnd());
}

/** Cuts `s` to at most `maxBytes` of UTF-8 without splitting a code point (iteration is by code point). */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (s.length <= maxBytes && isAscii(s)) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = utf8Length(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

function sanitiseOnce(input: string): string {
  let name = input.replace(LONE_SURROGATE, '_').normalize('NFC').replace(FORBIDDEN, '_');
  name = name.replace(TRAILING_DOTS_SPACES, '');
  const [rawStem, ext] = splitExtension(name);
  let stem = /^\.*$/.test(rawStem) ? UNNAMED : rawStem;
  if (isReservedDeviceName(stem + ext)) stem = `_${stem}`;
  stem = truncateUtf8(stem, MAX_NAME_BYTES - utf8Length(ext));
  return (stem + ext).replace(TRAILING_DOTS_SPACES, '');
}

/**
 * A name that is safe to create on ext4, APFS, NTFS and exFAT: no separators or control characters, no
 * Windows-reserved characters or device names, no trailing dots or spaces, never '', '.' or '..', and at most
 * MAX_NAME_BYTES UTF-8 bytes (the stem is shortened, the extension kept). Idempotent.
 */
// Names that are already safe and sanitise to themselves: ASCII letters, digits, '_', '-' and '.', not starting
// with '.' (so the stem is never empty or all dots) and not ending with '.'. Device names and length are checked apart.
const PLAIN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export function safeFilename(name: string): string {
  if (name.length <= MAX_NAME_BYTES && !name.endsWith('.') && PLAIN_NAME.test(name) && !isReservedDeviceName(name)) {
    return name;
  }
  // Each step can expose work for an earlier one (truncation can leave 'CON' + spaces); repeat to a fixpoint,
  // which is reached in at most a few rounds because every round only shortens or stabilises the name.
  let current = sanitiseOnce(name);
  for (let i = 0; i < 8; i++) {
    const next = sanitiseOnce(current);
    if (next === current) return current;
    current = next;
  }
  return current;
}

/**
 * The key under which two names collide on a case-insensitive or normalisation-insensitive file system
 * (APFS, HFS+, NTFS, exFAT). We fold MORE than any of them does: NFC, then upper- then lower-casing, so
 * 'ß' ~ 'ss', 'ı' ~ 'i' ~ 'I', 'ς' ~ 'σ', 'Å' (U+212B) ~ 'å'. Over-folding costs a needless '~2' suffix;
 * under-folding would let two items overwrite one file, so we err towards folding.
 */
export function foldKey(name: string): string {
  // For ASCII, NFC changes nothing and upper- then lower-casing is lower-casing.
  if (isAscii(name)) return name.toLowerCase();
  return name.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** 'IMG_1234.jpg', 2 -> 'IMG_1234~2.jpg', still within MAX_NAME_BYTES (the stem gives way). */
export function withSuffix(name: string, n: number): string {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`collision suffix must be an integer >= 2, got ${n}`);
  const [stem, ext] = splitExtension(name);
  const suffix = `~${n}`;
  const base = truncateUtf8(stem, MAX_NAME_BYTES - utf8Length(ext) - suffix.length);
  return base + suffix + ext;
}
