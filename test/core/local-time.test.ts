import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { localTimeFromExif, localTimeOf, utcMsFromLocal, validateTimeZone, zoneOffsetMs } from '../../src/core/local-time.js';

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
