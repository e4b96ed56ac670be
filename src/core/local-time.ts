// Wall-clock times in IANA zones, via Intl (the only clock-free time-zone database a pure core can use).
// A "local time" is 'YYYY-MM-DDTHH:mm:ss' with no zone: the time a camera's clock showed.

import { UsageError } from '../errors.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Throws UsageError unless `tz` is 'UTC' or an IANA zone this runtime knows ('Europe/Rome'). */
export function validateTimeZone(tz: string): void {
  try {
    formatterFor(tz);
  } catch (e) {
    throw new UsageError(`Unknown time zone '${tz}'.`, {
      hint: "Use an IANA zone name such as 'Europe/Rome', 'America/New_York' or 'UTC'.",
      cause: e,
    });
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function parseUtcMs(isoUtc: string): number {
  const ms = Date.parse(isoUtc);
  if (Number.isNaN(ms)) throw new RangeError(`not an RFC 3339 time: '${isoUtc}'`);
  return ms;
}

/** The wall clock in `tz` at the instant `utcMs`. */
export function localTimeAt(utcMs: number, tz: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(utcMs))) parts[p.type] = p.value;
  let year = Number(parts['year']);
  if (parts['era'] === 'BC' || parts['era'] === 'B') year = 1 - year;
  const field = (k: string): string => pad(Number(parts[k]), 2);
  return `${pad(year, 4)}-${field('month')}-${field('day')}T${field('hour')}:${field('minute')}:${field('second')}`;
}

/** '2019-03-09T12:42:00Z' in 'Asia/Tokyo' -> '2019-03-09T21:42:00'. Sub-second parts are dropped. */
export function localTimeOf(isoUtc: string, tz: string): string {
  return localTimeAt(parseUtcMs(isoUtc), tz);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** The local time read as if it were UTC, in ms; undefined unless it is a real calendar time. */
function wallClockMs(local: string): number | undefined {
  const m = LOCAL.exec(local);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 02-30 over into March; a real date survives the round trip.
  return new Date(ms).getUTCDate() === d ? ms : undefined;
}

/** Offset of `tz` from UTC at the instant `utcMs`, in ms (Rome in summer: +7_200_000). */
export function zoneOffsetMs(utcMs: number, tz: string): number {
  const wall = wallClockMs(localTimeAt(utcMs, tz));
  if (wall === undefined) throw new RangeError(`no wall clock for ${utcMs} in ${tz}`);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instant (ms) at which the wall clock in `tz` shows `local`, e.g. to set an mtime from an EXIF time that
 * has no offset. In a DST overlap the earlier instant wins; in a DST gap the time is read with the offset from
 * before the gap (so 02:30 on a spring-forward night becomes 03:30 local).
 */
export function utcMsFromLocal(local: string, tz: string): number {
  const wall = wallClockMs(local);
  if (wall === undefined) throw new RangeError(`not a local time 'YYYY-MM-DDTHH:mm:ss': '${local}'`);
  const before = wall - zoneOffsetMs(wall - 86_400_000, tz);
  const after = wall - zoneOffsetMs(wall + 86_400_000, tz);
  const candidates = [before, after].filter((t) => localTimeAt(t, tz) === local).sort((a, b) => a - b);
  return candidates[0] ?? before;
}

const EXIF_TIME = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const EXIF_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/**
 * Reads EXIF DateTimeOriginal ('2019:03:09 21:42:00') and optional OffsetTimeOriginal ('+09:00'). The wall clock is
 * as written; with an offset the UTC instant follows too. Returns undefined for values cameras write when they
 * know nothing ('0000:00:00 00:00:00', blanks, impossible dates), so callers fall back to the API's time.
 */
export function localTimeFromExif(dateTimeOriginal: string, offset?: string): { local: string; utc?: string } | undefined {
  const m = EXIF_TIME.exec(dateTimeOriginal.trim());
  if (m === null) return undefined;
  const local = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  const wall = wallClockMs(local);
  if (wall === undefined || m[1] === '0000') return undefined;
  const o = offset === undefined ? null : EXIF_OFFSET.exec(offset.trim());
  if (o === null) return { local };
  const minutes = Number(o[2]) * 60 + Number(o[3]);
  if (minutes > 18 * 60) return { local };
  const sign = o[1] === '-' ? -1 : 1;
  const utc = new Date(wall - sign * minutes * 60_000).toISOString().replace('.000Z', 'Z');
  return { local, utc };
}

/** An instant as RFC 3339 UTC truncated to the second ('2019-03-09T12:42:00Z'). */
export function isoSecond(utcMs: number): string {
  return new Date(Math.floor(utcMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
