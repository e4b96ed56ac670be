// Value formats of XMP sidecars, each with its exact inverse: text that XML 1.0 cannot hold, GPS coordinates in
// XMP's "DD,MM.mmmK" form, altitudes as rationals, and dates with their UTC offset. Pure.
// Numbers go through decimal strings (BigInt), never float arithmetic, so a coordinate read back is the same double.

/** Private-use marker that introduces 4 hex digits of a UTF-16 code unit XML cannot carry. */
const MARK = '\uE000';
const PICTURES = 0x2400; // U+2400..U+241F: Unicode's visible "control pictures" for C0 controls

/**
 * A string as XMP can carry it, restored exactly by decodeText. XML 1.0 forbids C0 controls except TAB/LF/CR even
 * as character references, so each one becomes its control picture (U+0001 -> '␁', which other tools show
 * legibly); a literal control picture, the marker itself, U+FFFE/U+FFFF and lone surrogates become MARK + 4 hex.
 * CR is legal and kept (the XML writer turns it into &#xD; so parsers do not normalise it away).
 */
export function encodeText(s: string): string {
  // Fast path: nearly every caption and name holds none of these.
  if (!/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u2400-\u241F\uE000\uFFFE\uFFFF\uD800-\uDFFF]/.test(s)) return s;
  return s.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\u2400-\u241F\uE000\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g,
    (c) => {
      if (c.length === 2) return c; // a well-formed surrogate pair (emoji): legal
      const code = c.charCodeAt(0);
      if (code < 0x20) return String.fromCharCode(PICTURES + code);
      return MARK + code.toString(16).toUpperCase().padStart(4, '0');
    },
  );
}

export function decodeText(s: string): string {
  if (!/[\u2400-\u241F\uE000]/.test(s)) return s;
  return s.replace(/\uE000([0-9A-Fa-f]{4})|[\u2400-\u241F]/g, (c, hex: string | undefined) =>
    hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : String.fromCharCode(c.charCodeAt(0) - PICTURES),
  );
}

/** Escape encoded text for XML element content (CR as a reference: literal CRs are normalised to LF by parsers). */
export function xmlText(s: string): string {
  // Fast path (a sidecar has ~20 values, nearly all plain): one scan for anything either step would change.
  if (!/[\u0000-\u0008\u000B-\u001F&<>\u2400-\u241F\uE000\uFFFE\uFFFF\uD800-\uDFFF]/.test(s)) return s;
  return encodeText(s).replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));
}

/** A finite number as a plain decimal string without exponent ('1e-7' -> '0.0000001'), sign dropped. */
function plainDecimal(n: number): string {
  const s = String(Math.abs(n));
  const e = s.indexOf('e');
  if (e < 0) return s;
  const exp = Number(s.slice(e + 1));
  const [int = '', frac = ''] = s.slice(0, e).split('.');
  const digits = int + frac;
  const point = int.length + exp;
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** 'I.F' -> [BigInt(IF), F.length] */
function scaled(dec: string): [bigint, number] {
  const [int = '0', frac = ''] = dec.split('.');
  return [BigInt(int + frac), frac.length];
}

/** v / 10^scale as a decimal string, at least `minFrac` fraction digits, trailing zeros trimmed beyond that. */
function unscaled(v: bigint, scale: number, minFrac = 0): string {
  const s = v.toString().padStart(scale + 1, '0');
  const int = s.slice(0, s.length - scale);
  let frac = s.slice(s.length - scale).replace(/0+$/, '');
  if (frac.length < minFrac) frac = frac.padEnd(minFrac, '0');
  return frac === '' ? int : `${int}.${frac}`;
}

/** 48.8583701 (lat) -> '48,51.502206N'; exact: parseGpsCoordinate gives back the same number. */
export function formatGpsCoordinate(value: number, axis: 'lat' | 'lon'): string {
  const ref = axis === 'lat' ? (value < 0 ? 'S' : 'N') : value < 0 ? 'W' : 'E';
  const [int = '0', frac = ''] = plainDecimal(value).split('.');
  const [f, k] = scaled(`0.${frac}`);
  return `${int},${unscaled(f * 60n, k, 1)}${ref}`;
}

/** Divide a decimal (v / 10^scale) by an integer, keeping `extra` more digits; exact when the quotient terminates. */
function divide(v: bigint, scale: number, by: bigint, extra: number): string {
  const p = 10n ** BigInt(extra);
  return unscaled((v * p * 2n + by) / (by * 2n), scale + extra); // rounded half up
}

/** 'DD,MM.mmmK', 'DD,MM,SSK' or a signed decimal -> degrees; undefined when it is none of these. */
export function parseGpsCoordinate(s: string): number | undefined {
  const t = s.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(\d{1,3}),(\d{1,2}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?))?([NSEW])$/i.exec(t);
  if (m === null) return undefined;
  const [, deg = '0', min = '0', sec, ref = 'N'] = m;
  let [mv, ms] = scaled(min);
  if (sec !== undefined) {
    // minutes + seconds/60, as one decimal
    const [sv, ss] = scaled(sec);
    const common = Math.max(ms, ss);
    mv = mv * 10n ** BigInt(common - ms) * 60n + sv * 10n ** BigInt(common - ss);
    ms = common;
    const [v, sc] = scaled(divide(mv, ms, 60n, 12));
    mv = v;
    ms = sc;
  }
  const total = BigInt(deg) * 60n * 10n ** BigInt(ms) + mv; // in minutes, scaled
  const degrees = Number(divide(total, ms, 60n, 12));
  return /[SW]/i.test(ref) ? -degrees : degrees;
}

/** Altitude in metres -> exif:GPSAltitude rational and exif:GPSAltitudeRef ('0' above, '1' below sea level). */
export function formatAltitude(metres: number): { rational: string; ref: '0' | '1' } {
  const [v, k] = scaled(plainDecimal(metres));
  return { rational: `${v}/${10n ** BigInt(k)}`, ref: metres < 0 ? '1' : '0' };
}

export function parseAltitude(rational: string, ref: string | undefined): number | undefined {
  const m = /^\s*(\d+)(?:\/(\d+))?\s*$/.exec(rational) ?? /^\s*(\d+(?:\.\d+)?)\s*$/.exec(rational);
  if (m === null) return undefined;
  const [, num = '0', den] = m;
  let metres: number;
  if (den === undefined) metres = Number(num);
  else if (/^10*$/.test(den)) metres = Number(unscaled(BigInt(num), den.length - 1));
  else if (den === '0') return undefined;
  else metres = Number(num) / Number(den);
  return ref?.trim() === '1' ? -metres : metres;
}

/** Minutes east of UTC that turn `captureTime` (UTC) into `localTime`, if a whole minute within ±18 h. */
export function offsetMinutes(captureTime: string, localTime: string): number | undefined {
  const utc = Math.floor(Date.parse(captureTime) / 1000) * 1000;
  const local = Date.parse(`${localTime}Z`);
  const diff = (local - utc) / 60_000;
  return Number.isInteger(diff) && Math.abs(diff) <= 18 * 60 ? diff : undefined;
}

/**
 * '2021-07-04T15:30:45' + 120 -> '2021-07-04T15:30:45+02:00'; no offset -> the wall clock alone. UTC is written
 * '+00:00', not 'Z': exiv2 0.27 (digiKam, darktable) turns an exif:DateTimeOriginal ending in Z into a zoneless
 * Exif date ('2020:01:01 00:00:00'), and keeps '+00:00' as written.
 */
export function formatXmpDate(localTime: string, offset: number | undefined): string {
  if (offset === undefined) return localTime;
  const a = Math.abs(offset);
  return `${localTime}${offset < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** An XMP date with an offset -> its wall clock (to the second) and UTC instant; undefined without offset. */
export function parseXmpDate(s: string): { localTime: string; captureTime: string } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(s.trim());
  if (m === null) return undefined;
  const [, local = '', zone = 'Z'] = m;
  const wall = Date.parse(`${local}Z`);
  if (Number.isNaN(wall)) return undefined;
  const off = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return { localTime: local, captureTime: new Date(wall - off * 60_000).toISOString().replace('.000Z', 'Z') };
}
