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

/** The wall clock in `tz` at `utcMs` as Intl shows it: [year, month, day, hour, minute, second] (years BC <= 0). */
function intlFields(utcMs: number, tz: string): [number, number, number, number, number, number] {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of formatterFor(tz).formatToParts(new Date(utcMs))) {
    const t = p.type;
    if (t === 'year') year = Number(p.value);
    else if (t === 'month') month = Number(p.value);
    else if (t === 'day') day = Number(p.value);
    else if (t === 'hour') hour = Number(p.value);
    else if (t === 'minute') minute = Number(p.value);
    else if (t === 'second') second = Number(p.value);
    else if (t === 'era') bc = p.value === 'BC' || p.value === 'B';
  }
  return [bc ? 1 - year : year, month, day, hour, minute, second];
}

/** The slow path: one Intl call per instant. Exact for every instant Date can hold. */
function intlLocalTimeAt(utcMs: number, tz: string): string {
  const [year, month, day, hour, minute, second] = intlFields(utcMs, tz);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
}

// The fast path. Zones change their offset at most a few times a year, so the offset is cached per UTC day: when
// the offset at a day's first second equals the offset at its last second, the whole day has that offset (no zone
// changes its offset twice within one day and back). Days with a transition are marked NaN and every instant in
// them goes through Intl. Outside [FAST_MIN_MS, FAST_MAX_MS) (Julian dates before 1583 in Intl, years beyond 9999,
// NaN) everything goes through Intl too.
const DAY_MS = 86_400_000;
const FAST_MIN_MS = Date.UTC(1600, 0, 2);
const FAST_MAX_MS = Date.UTC(9999, 0, 1);
/** Bounds the cache of a long-running process: ~27 years of days in each of 10 zones. */
const MAX_CACHED_DAYS = 100_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** zone -> UTC day number -> offset in ms for the whole day, or NaN when the offset changes during that day */
const dayOffsets = new Map<string, Map<number, number>>();
let cachedDays = 0;

function intlOffsetMs(utcSecondMs: number, tz: string): number {
  const [y, mo, d, h, mi, s] = intlFields(utcSecondMs, tz);
  return Date.UTC(y, mo - 1, d, h, mi, s) - utcSecondMs;
}

/** The offset of `tz` on the whole UTC day holding `utcSecondMs` (within the fast range), or NaN on a transition day. */
function dayOffsetMs(utcSecondMs: number, tz: string): number {
  let days = dayOffsets.get(tz);
  if (days === undefined) {
    formatterFor(tz); // an unknown zone throws here, as on the slow path
    days = new Map();
    dayOffsets.set(tz, days);
  }
  const day = Math.floor(utcSecondMs / DAY_MS);
  let offset = days.get(day);
  if (offset === undefined) {
    const start = day * DAY_MS;
    const first = intlOffsetMs(start, tz);
    offset = first === intlOffsetMs(start + DAY_MS - 1000, tz) ? first : Number.NaN;
    if (cachedDays >= MAX_CACHED_DAYS) {
      for (const m of dayOffsets.values()) m.clear();
      cachedDays = 0;
    }
    days.set(day, offset);
    cachedDays++;
  }
  return offset;
}

/** 'YYYY-MM-DDTHH:mm:ss' of a wall clock given as ms since 1970 read as UTC (whole seconds, years 1600..9999). */
function formatWallMs(wallMs: number): string {
  const days = Math.floor(wallMs / DAY_MS);
  const secs = (wallMs - days * DAY_MS) / 1000;
  // Civil date from a day number (H. Hinnant's civil_from_days); z >= 0 in the fast range.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(secs / 3600);
  const minute = Math.floor((secs - hour * 3600) / 60);
  const second = secs - hour * 3600 - minute * 60;
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}`;
}

/** The wall clock in `tz` at the instant `utcMs`. */
export function localTimeAt(utcMs: number, tz: string): string {
  if (utcMs >= FAST_MIN_MS && utcMs < FAST_MAX_MS) {
    const second = Math.floor(utcMs / 1000) * 1000;
    const offset = tz === 'UTC' ? 0 : dayOffsetMs(second, tz);
    if (!Number.isNaN(offset)) return formatWallMs(second + offset);
  }
  return intlLocalTimeAt(utcMs, tz);
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
