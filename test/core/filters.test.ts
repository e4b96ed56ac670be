import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { makeFilter, matchesFilter, NO_FILTER, parseSkipRange, toApiSearchFilters } from '../../src/core/filters.js';
import type { ItemFilter } from '../../src/core/filters.js';

describe('parsing', () => {
  it('parses ranges and single days', () => {
    expect(parseSkipRange('2020-01-01..2020-02-01')).toEqual({ from: '2020-01-01', to: '2020-02-01' });
    expect(parseSkipRange('2020-02-29')).toEqual({ from: '2020-02-29', to: '2020-02-29' });
  });

  it.each(['2020-13-01..2020-12-01', '2019-02-29', '2020-01-01..', '2020-02-01..2020-01-01', 'a..b..c', '20200101'])(
    'rejects %j naming the flag',
    (value) => {
      expect(() => parseSkipRange(value)).toThrow(UsageError);
      expect(() => parseSkipRange(value)).toThrow('--skip-dates');
    },
  );

  it('builds a filter and names the offending flag', () => {
    expect(makeFilter({ from: '2020-01-01', media: 'videos', skipDates: ['2020-05-01..2020-05-03'] })).toEqual({
      from: '2020-01-01',
      skipDates: [{ from: '2020-05-01', to: '2020-05-03' }],
      media: 'videos',
    });
    expect(() => makeFilter({ to: '2020-02-30' })).toThrow('--to');
    expect(() => makeFilter({ from: '2020-03-01', to: '2020-02-01' })).toThrow(UsageError);
    expect(() => makeFilter({ media: 'gifs' })).toThrow('--media');
  });
});

describe('matchesFilter', () => {
  const item = (creationTime: string, kind: 'photo' | 'video' = 'photo') => ({ creationTime, kind });
  const f: ItemFilter = { from: '2020-01-01', to: '2020-01-31', skipDates: [{ from: '2020-01-10', to: '2020-01-12' }], media: 'all' };

  it.each([
    ['2020-01-01T00:00:00Z', 'UTC', true], // inclusive lower bound
    ['2020-01-31T23:59:59Z', 'UTC', true], // inclusive upper bound
    ['2019-12-31T23:59:59Z', 'UTC', false],
    ['2019-12-31T16:00:00Z', 'Asia/Tokyo', true], // already Jan 1st in Tokyo
    ['2020-02-01T03:00:00Z', 'America/New_York', true], // still Jan 31st in New York
    ['2020-01-10T00:00:00Z', 'UTC', false], // skipped
    ['2020-01-12T23:00:00Z', 'UTC', false], // skipped, inclusive
    ['2020-01-13T00:00:00Z', 'UTC', true],
  ])('%s in %s -> %s', (t, tz, expected) => {
    expect(matchesFilter(item(t), f, tz)).toBe(expected);
  });

  it('selects media kinds', () => {
    expect(matchesFilter(item('2020-01-01T00:00:00Z', 'video'), { ...NO_FILTER, media: 'photos' }, 'UTC')).toBe(false);
    expect(matchesFilter(item('2020-01-01T00:00:00Z', 'video'), { ...NO_FILTER, media: 'videos' }, 'UTC')).toBe(true);
    expect(matchesFilter(item('2020-01-01T00:00:00Z'), NO_FILTER, 'UTC')).toBe(true);
  });
});

describe('toApiSearchFilters', () => {
  it('is undefined when nothing maps server-side (dates and skipped ranges stay client-side)', () => {
    expect(toApiSearchFilters(NO_FILTER)).toBeUndefined();
    expect(toApiSearchFilters({ ...NO_FILTER, skipDates: [{ from: '2020-01-01', to: '2020-01-02' }] })).toBeUndefined();
    expect(toApiSearchFilters({ ...NO_FILTER, from: '2020-03-01', to: '2020-12-31' })).toBeUndefined();
  });

  it('maps one media type, keeping archived items', () => {
    expect(toApiSearchFilters({ ...NO_FILTER, to: '2020-06-15', media: 'photos' })).toEqual({
      mediaTypeFilter: { mediaTypes: ['PHOTO'] },
      includeArchivedMedia: true,
    });
    expect(toApiSearchFilters({ ...NO_FILTER, media: 'videos' })).toEqual({ mediaTypeFilter: { mediaTypes: ['VIDEO'] }, includeArchivedMedia: true });
  });
});
