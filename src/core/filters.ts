// Which items a run covers: capture-date bounds, skipped date ranges and media kind.
// Dates are LOCAL calendar dates in the run's time zone, bounds inclusive.

import { UsageError } from '../errors.js';
import { localTimeOf } from './local-time.js';
import type { MediaKind, RemoteItem } from './types.js';

export interface DateRange {
  /** 'YYYY-MM-DD', inclusive */
  from: string;
  /** 'YYYY-MM-DD', inclusive */
  to: string;
}

export type MediaSelection = 'all' | 'photos' | 'videos';

export interface ItemFilter {
  from?: string;
  to?: string;
  skipDates: DateRange[];
  media: MediaSelection;
}

export const NO_FILTER: ItemFilter = { skipDates: [], media: 'all' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(value: string): boolean {
  const m = DATE.exec(value);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
}

/** Validates a 'YYYY-MM-DD' flag value; `flag` names the flag in the error ('--from'). */
export function parseDate(value: string, flag: string): string {
  const v = value.trim();
  if (!isRealDate(v)) throw new UsageError(`${flag}: '${value}' is not a date.`, { hint: 'Write dates as YYYY-MM-DD, e.g. 2020-01-31.' });
  return v;
}

/** '2020-01-01..2020-02-01' (inclusive) or a single day '2020-01-01'. */
export function parseSkipRange(value: string, flag = '--skip-dates'): DateRange {
  const [a, b, ...rest] = value.split('..');
  if (a === undefined || rest.length > 0) {
    throw new UsageError(`${flag}: '${value}' is not a date range.`, { hint: 'Write FROM..TO, e.g. 2020-01-01..2020-02-01.' });
  }
  const from = parseDate(a, flag);
  const to = b === undefined ? from : parseDate(b, flag);
  if (from > to) throw new UsageError(`${flag}: '${value}' ends before it starts.`);
  return { from, to };
}

export function parseMedia(value: string, flag = '--media'): MediaSelection {
  if (value === 'all' || value === 'photos' || value === 'videos') return value;
  throw new UsageError(`${flag}: '${value}' is not one of all, photos, videos.`);
}

/** Builds a filter from raw flag values, naming the offending flag on bad input. */
export function makeFilter(raw: { from?: string; to?: string; skipDates?: readonly string[]; media?: string }): ItemFilter {
  const filter: ItemFilter = {
    skipDates: (raw.skipDates ?? []).map((s) => parseSkipRange(s)),
    media: raw.media === undefined ? 'all' : parseMedia(raw.media),
  };
  if (raw.from !== undefined) filter.from = parseDate(raw.from, '--from');
  if (raw.to !== undefined) filter.to = parseDate(raw.to, '--to');
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw new UsageError(`--from ${filter.from} is after --to ${filter.to}.`);
  }
  return filter;
}

/** The media part of the filter test. */
export function matchesKind(kind: MediaKind, filter: ItemFilter): boolean {
  if (filter.media === 'photos' && kind !== 'photo') return false;
  if (filter.media === 'videos' && kind !== 'video') return false;
  return true;
}

/** The date part of the filter test, on a local time ('2019-03-09T21:42:00') in the run's zone. */
export function matchesLocalDate(localTime: string, filter: ItemFilter): boolean {
  if (filter.from === undefined && filter.to === undefined && filter.skipDates.length === 0) return true;
  const day = localTime.slice(0, 10);
  // 'YYYY-MM-DD' strings compare correctly as strings.
  if (filter.from !== undefined && day < filter.from) return false;
  if (filter.to !== undefined && day > filter.to) return false;
  return !filter.skipDates.some((r) => day >= r.from && day <= r.to);
}

/** The filter test on a capture instant and kind; shared by remote items and manifest items. */
export function matchesCapture(captureTime: string, kind: MediaKind, filter: ItemFilter, tz: string): boolean {
  if (!matchesKind(kind, filter)) return false;
  // Computed even when no dates are set: a capture time that is not a time throws either way.
  return matchesLocalDate(localTimeOf(captureTime, tz), filter);
}

export function matchesFilter(item: Pick<RemoteItem, 'creationTime' | 'kind'>, filter: ItemFilter, tz: string): boolean {
  return matchesCapture(item.creationTime, item.kind, filter, tz);
}

/** The `filters` object of a Library API mediaItems:search request. */
export interface ApiSearchFilters {
  mediaTypeFilter: { mediaTypes: ['PHOTO' | 'VIDEO'] };
  /** A search hides archived items unless asked; an archive wants them like the plain list gives them. */
  includeArchivedMedia: true;
}

/**
 * The server-side part of `filter`, or undefined when nothing should be filtered server-side.
 * Only the media type goes to the server. Dates stay client-side (matchesFilter) on purpose: Google documents
 * that date-filtered searches leave out items without capture-date metadata and future-dated ones, so a
 * server-side date filter would silently drop items; a full listing costs one request per 100 items.
 * skipDates cannot be expressed server-side at all.
 */
export function toApiSearchFilters(filter: ItemFilter): ApiSearchFilters | undefined {
  if (filter.media === 'all') return undefined;
  return { mediaTypeFilter: { mediaTypes: [filter.media === 'photos' ? 'PHOTO' : 'VIDEO'] }, includeArchivedMedia: true };
}
