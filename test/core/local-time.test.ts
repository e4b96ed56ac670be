import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { localTimeAt, localTimeFromExif, localTimeOf, utcMsFromLocal, validateTimeZone, zoneOffsetMs } from '../../src/core/local-time.js';

describe('localTimeOf', () => {
  it.each([
    ['2019-03-09T12:42:00Z', 'UTC', '2019-03-09T12:42:00'],
    ['2019-03-09T12:42:00Z', 'Asia/Tokyo', '2019-03-09T21:42:00'],
    ['2019-03-31T23:30:00Z', 'Europe/Rome', '2019-04-01T01:30:00'], // summer time, across a month end
    ['2020-01-01T04:59:59.999Z', 'America/New_York', '2019-12-31T23:59:59'], // ms dropped, not rounded
    ['2020-01-01T00:00:00Z', 'Pacific/Kiritimati', '2020-01-01T14:00:00'],
    ['2020-01-01T00:00:00Z', 'Asia/Kathmandu', '2020-01-01T05:45:00'],
    ['2020-01-01T00:00:00+09:00', 'UTC', '2019-12-31T15:00:00'],
    ['2021-03-28T00:00:00Z', 'Europe/London', '2021-03-28T00:00:00'], // midnight is 00, not 24
  ])('%s in %s -> %s', (iso, tz, expected) => {
    expect(localTimeOf(iso, tz)).toBe(expected);
  });

  it('rejects a non-time', () => {
    expect(() => localTimeOf('yesterday', 'UTC')).toThrow(RangeError);
  });
});

describe('validateTimeZone', () => {
  it('accepts IANA zones and UTC', () => {
    expect(() => validateTimeZone('Europe/Rome')).not.toThrow();
    expect(() => validateTimeZone('UTC')).not.toThrow();
  });
  it('rejects unknown zones with a UsageError', () => {
    expect(() => validateTimeZone('Mars/Olympus_Mons')).toThrow(UsageError);
  });
});

describe('localTimeFromExif', () => {
  it.each([
    ['2019:03:09 21:42:00', '+09:00', { local: '2019-03-09T21:42:00', utc: '2019-03-09T12:42:00Z' }],
    ['2019:03:09 01:00:00', '-05:30', { local: '2019-03-09T01:00:00', utc: '2019-03-09T06:30:00Z' }],
    ['2019:03:09 21:42:00', undefined, { local: '2019-03-09T21:42:00' }],
    ['2019:03:09 21:42:00', 'garbage', { local: '2019-03-09T21:42:00' }],
    ['0000:00:00 00:00:00', undefined, undefined],
    ['2019:02:30 10:00:00', undefined, undefined],
    ['    :  :     :  :  ', undefined, undefined],
    ['2019-03-09 21:42:00', undefined, undefined],
  ])('%j %j', (dto, offset, expected) => {
    expect(localTimeFromExif(dto, offset)).toEqual(expected);
  });
});

describe('utcMsFromLocal', () => {
  it('inverts localTimeOf outside DST transitions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => Math.floor(ms / 1000) * 1000),
        fc.constantFrom('UTC', 'Europe/Rome', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Asia/Kathmandu'),
        (ms, tz) => {
          const local = localTimeOf(new Date(ms).toISOString(), tz);
          const back = utcMsFromLocal(local, tz);
          // In an autumn overlap the same wall clock occurs twice; either instant shows it.
          expect(localTimeOf(new Date(back).toISOString(), tz)).toBe(local);
          expect(back).toBeLessThanOrEqual(ms);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('picks the earlier instant in an overlap and skips forward across a gap', () => {
    // Rome, 2021-10-31: 02:30 happens at 00:30Z (CEST) and 01:30Z (CET).
    expect(new Date(utcMsFromLocal('2021-10-31T02:30:00', 'Europe/Rome')).toISOString()).toBe('2021-10-31T00:30:00.000Z');
    // Rome, 2021-03-28: 02:30 never happens; read with the winter offset it is 01:30Z = 03:30 CEST.
    expect(new Date(utcMsFromLocal('2021-03-28T02:30:00', 'Europe/Rome')).toISOString()).toBe('2021-03-28T01:30:00.000Z');
  });

  it('knows zone offsets', () => {
    expect(zoneOffsetMs(Date.UTC(2021, 6, 1), 'Europe/Rome')).toBe(2 * 3_600_000);
    expect(zoneOffsetMs(Date.UTC(2021, 0, 1), 'America/New_York')).toBe(-5 * 3_600_000);
  });
});

// The fast path (offsets cached per UTC day, wall clock by arithmetic) against an independent Intl oracle.
const oracleFormatters = new Map<string, Intl.DateTimeFormat>();
function intlOracle(utcMs: number, tz: string): string {
  let f = oracleFormatters.get(tz);
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
    oracleFormatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  let year = Number(parts['year']);
  if (parts['era'] === 'BC' || parts['era'] === 'B') year = 1 - year;
  const two = (k: string): string => String(Number(parts[k])).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${two('month')}-${two('day')}T${two('hour')}:${two('minute')}:${two('second')}`;
}

const ZONES = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'Australia/Lord_Howe', // 30-minute DST
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/Sao_Paulo',
  'Pacific/Apia', // skipped 2011-12-30 entirely
  'Pacific/Chatham',
  'Africa/Casablanca', // DST suspended during Ramadan
  'Europe/Dublin', // negative DST in tzdb
] as const;

// Transition instants (UTC) and their zones, to probe the seconds around them.
const TRANSITIONS: ReadonlyArray<readonly [number, string]> = [
  [Date.UTC(2021, 2, 28, 1), 'Europe/Paris'], // spring forward
  [Date.UTC(2021, 9, 31, 1), 'Europe/Paris'], // fall back
  [Date.UTC(2021, 2, 14, 7), 'America/New_York'],
  [Date.UTC(2021, 10, 7, 6), 'America/New_York'],
  [Date.UTC(2021, 3, 3, 15), 'Australia/Lord_Howe'], // 02:00 -> 01:30
  [Date.UTC(2021, 9, 2, 15, 30), 'Australia/Lord_Howe'], // 02:00 -> 02:30
  [Date.UTC(2011, 11, 30, 10), 'Pacific/Apia'], // skips a day
  [Date.UTC(2018, 10, 4, 3), 'America/Sao_Paulo'],
  [Date.UTC(2021, 8, 25, 14, 45), 'Pacific/Chatham'],
  [Date.UTC(2021, 3, 11, 2), 'Africa/Casablanca'], // Ramadan
  [Date.UTC(2021, 2, 28, 1), 'Europe/Dublin'],
];

describe('localTimeAt fast path', () => {
  it('equals Intl for random instants in many zones, 1900-2100', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...ZONES),
        (ms, tz) => {
          expect(localTimeAt(ms, tz)).toBe(intlOracle(ms, tz));
        },
      ),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('equals Intl on the seconds around DST transitions', () => {
    for (const [t, tz] of TRANSITIONS) {
      const wrong: string[] = [];
      const probe = (ms: number): void => {
        const fast = localTimeAt(ms, tz);
        const slow = intlOracle(ms, tz);
        if (fast !== slow) wrong.push(`${new Date(ms).toISOString()} ${tz}: ${fast} != ${slow}`);
      };
      // Every minute over ±26 h (the whole UTC days around it), then each second over ±2 min, with ms offsets.
      for (let d = -26 * 3600_000; d <= 26 * 3600_000; d += 60_000) probe(t + d);
      for (let d = -120_000; d <= 120_000; d += 1000) for (const ms of [t + d, t + d + 1, t + d + 999]) probe(ms);
      expect(wrong).toEqual([]);
    }
  });

  it('equals Intl on random instants within a day of DST transitions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRANSITIONS.map(([t]) => t)),
        fc.integer({ min: -86_400_000 - 3600_000, max: 86_400_000 + 3600_000 }),
        fc.constantFrom(...ZONES),
        (t, d, tz) => {
          expect(localTimeAt(t + d, tz)).toBe(intlOracle(t + d, tz));
        },
      ),
      { seed: 12, numRuns: 3000 },
    );
  });

  it('equals Intl for instants outside the fast range and across the whole range Date can hold', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -8.64e15, max: 8.64e15 }),
          fc.integer({ min: Date.UTC(1599, 11, 30), max: Date.UTC(1600, 0, 4) }),
          fc.integer({ min: Date.UTC(9998, 11, 30), max: Date.UTC(9999, 0, 3) }),
          fc.integer({ min: Date.UTC(1969, 11, 31), max: Date.UTC(1970, 0, 2) }),
        ),
        fc.constantFrom(...ZONES),
        (ms, tz) => {
          expect(localTimeAt(ms, tz)).toBe(intlOracle(ms, tz));
        },
      ),
      { seed: 13, numRuns: 2000 },
    );
  });

  it('gives the same answer when the cache is warm and when it is cold', () => {
    const ms = Date.UTC(2031, 5, 15, 12, 34, 56);
    const first = localTimeAt(ms, 'Asia/Kolkata');
    expect(first).toBe('2031-06-15T18:04:56');
    expect(localTimeAt(ms, 'Asia/Kolkata')).toBe(first);
  });

  it('still rejects unknown zones and non-instants', () => {
    expect(() => localTimeAt(Date.UTC(2020, 0, 1), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => localTimeAt(Number.NaN, 'Europe/Paris')).toThrow(RangeError);
  });
});
