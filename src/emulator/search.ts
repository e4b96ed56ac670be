// mediaItems.search request validation and matching: every rule of reference §1.4, each refusal a
// 400 INVALID_ARGUMENT with a message that names the rule.
import { CONTENT_CATEGORIES } from './library-data.js';
import type { LibraryItem } from './library-data.js';
import { RpcError, pageSizeOf, parseInt32 } from './rpc.js';

export interface SearchRequest {
  albumId?: string;
  pageSize: number;
  pageToken?: string;
  /** Identifies the query (not the page) so a pageToken only continues the search it came from. */
  queryKey: string;
  /** Whether a `filters` object was sent: it hides archived and future items by default. */
  filtered: boolean;
  order: 'newest' | 'oldest';
  match(item: LibraryItem, now: number): boolean;
}

interface Ymd {
  year: number;
  month: number;
  day: number;
}

const ORDER_BY = { 'MediaMetadata.creation_time': 'oldest', 'MediaMetadata.creation_time desc': 'newest' } as const;
const MEDIA_TYPES = ['ALL_MEDIA', 'PHOTO', 'VIDEO'] as const;
const FEATURES = ['NONE', 'FAVORITES'] as const;

const bad = (message: string): RpcError => new RpcError('INVALID_ARGUMENT', message);

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw bad(`Invalid value at '${field}': expected an object.`);
  return value as Record<string, unknown>;
}

function asArray(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad(`Invalid value at '${field}': expected a list.`);
  return value;
}

function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw bad(`Invalid JSON payload received. Unknown name "${key}" at '${where}': Cannot find field.`);
  }
}

function enumList<T extends string>(value: unknown, allowed: readonly T[], field: string): T[] {
  return asArray(value, field).map((v, i) => {
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      throw bad(`Invalid value at '${field}[${i}]', ${JSON.stringify(v)}`);
    }
    return v as T;
  });
}

/** Date wildcard rules: day 0 = whole month, month+day 0 = whole year, year 0 = every year. */
function parseDate(value: unknown, field: string): Ymd {
  const obj = asObject(value, field);
  onlyKeys(obj, ['year', 'month', 'day'], field);
  const year = parseInt32(obj['year'], `${field}.year`) ?? 0;
  const month = parseInt32(obj['month'], `${field}.month`) ?? 0;
  const day = parseInt32(obj['day'], `${field}.day`) ?? 0;
  if (year < 0 || year > 9999 || month < 0 || month > 12 || day < 0 || day > 31) {
    throw bad(`Invalid date at '${field}': year must be 0..9999, month 0..12, day 0..31.`);
  }
  if (year === 0 && month === 0 && day === 0) throw bad(`Invalid date at '${field}': all fields are 0.`);
  if (year !== 0 && month === 0 && day !== 0) throw bad(`Invalid date at '${field}': only the month is 0.`);
  if (year === 0 && day === 0) throw bad(`Invalid date at '${field}': the day and the year are both 0.`);
  if (year === 0 && month === 0) throw bad(`Invalid date at '${field}': a day without a month or year is not supported.`);
  return { year, month, day };
}

const shape = (d: Ymd): string => `${d.year ? 'y' : '_'}${d.month ? 'm' : '_'}${d.day ? 'd' : '_'}`;

/** The capture date date filters use: EXIF wall clock when present, else creationTime in UTC. */
export function captureDate(item: LibraryItem): Ymd | undefined {
  if (!item.hasCaptureDate) return undefined;
  const text = item.exifDateTimeOriginal?.replace(/:/g, '-') ?? item.creationTime;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  return { year: y ?? 0, month: m ?? 0, day: d ?? 0 };
}

function dateMatches(date: Ymd, d: Ymd): boolean {
  return (d.year === 0 || d.year === date.year) && (d.month === 0 || d.month === date.month) && (d.day === 0 || d.day === date.day);
}

/** Inclusive range; bounds share a shape, so compare only the fields that shape fixes. */
function rangeMatches(date: Ymd, start: Ymd, end: Ymd): boolean {
  const key = (v: Ymd, low: boolean): number =>
    (start.year ? v.year : 0) * 10000 + (v.month || (low ? 1 : 12)) * 100 + (v.day || (low ? 1 : 31));
  const pos = key({ year: date.year, month: start.month ? date.month : 0, day: start.day ? date.day : 0 }, true);
  const posHigh = key({ year: date.year, month: start.month ? date.month : 0, day: start.day ? date.day : 0 }, false);
  return pos >= key(start, true) && posHigh <= key(end, false);
}

export function parseSearch(body: unknown): SearchRequest {
  const req = asObject(body, 'request');
  onlyKeys(req, ['albumId', 'pageSize', 'pageToken', 'filters', 'orderBy'], 'request');
  const pageSize = pageSizeOf(req['pageSize'], 'page_size', 25, 100);
  const albumId = typeof req['albumId'] === 'string' && req['albumId'] !== '' ? req['albumId'] : undefined;
  const pageToken = typeof req['pageToken'] === 'string' && req['pageToken'] !== '' ? req['pageToken'] : undefined;
  const filtersGiven = req['filters'] !== undefined && req['filters'] !== null;
  const filters = asObject(req['filters'], 'filters');
  onlyKeys(filters, ['dateFilter', 'contentFilter', 'mediaTypeFilter', 'featureFilter', 'includeArchivedMedia', 'excludeNonAppCreatedData'], 'filters');

  // An empty `filters: {}` next to an albumId is tolerated (nothing to conflict); any actual filter is not.
  if (albumId !== undefined && Object.keys(filters).length > 0) {
    throw bad('Filters cannot be set in a request that also sets an albumId. Search albums without filters.');
  }

  const predicates: Array<(item: LibraryItem) => boolean> = [];

  const dateFilter = asObject(filters['dateFilter'], 'filters.date_filter');
  onlyKeys(dateFilter, ['dates', 'ranges'], 'filters.date_filter');
  const dates = asArray(dateFilter['dates'], 'filters.date_filter.dates').map((d, i) => parseDate(d, `filters.date_filter.dates[${i}]`));
  const ranges = asArray(dateFilter['ranges'], 'filters.date_filter.ranges').map((r, i) => {
    const field = `filters.date_filter.ranges[${i}]`;
    const range = asObject(r, field);
    onlyKeys(range, ['startDate', 'endDate'], field);
    if (range['startDate'] === undefined || range['endDate'] === undefined) throw bad(`Invalid range at '${field}': startDate and endDate are both required.`);
    const start = parseDate(range['startDate'], `${field}.start_date`);
    const end = parseDate(range['endDate'], `${field}.end_date`);
    if (shape(start) !== shape(end)) throw bad(`Invalid range at '${field}': startDate and endDate must use the same format.`);
    return { start, end };
  });
  if (dates.length > 5) throw bad('At most 5 dates can be set in a date filter.');
  if (ranges.length > 5) throw bad('At most 5 date ranges can be set in a date filter.');
  const hasDateFilter = dates.length > 0 || ranges.length > 0;
  if (hasDateFilter) {
    predicates.push((item) => {
      const date = captureDate(item);
      if (!date) return false; // upload time is never a fallback
      return dates.some((d) => dateMatches(date, d)) || ranges.some((r) => rangeMatches(date, r.start, r.end));
    });
  }

  const contentFilter = asObject(filters['contentFilter'], 'filters.content_filter');
  onlyKeys(contentFilter, ['includedContentCategories', 'excludedContentCategories'], 'filters.content_filter');
  const included = enumList(contentFilter['includedContentCategories'], CONTENT_CATEGORIES, 'filters.content_filter.included_content_categories');
  const excluded = enumList(contentFilter['excludedContentCategories'], CONTENT_CATEGORIES, 'filters.content_filter.excluded_content_categories');
  if (included.length > 10 || excluded.length > 10) throw bad('At most 10 included and 10 excluded content categories can be set.');
  const both = included.find((c) => excluded.includes(c));
  if (both) throw bad(`Content category ${both} cannot be both included and excluded.`);
  // NONE is the default category and is ignored next to real ones.
  const inc = included.filter((c) => c !== 'NONE');
  const exc = excluded.filter((c) => c !== 'NONE');
  if (inc.length > 0) predicates.push((item) => item.categories.some((c) => inc.includes(c as (typeof inc)[number])));
  if (exc.length > 0) predicates.push((item) => !item.categories.some((c) => exc.includes(c as (typeof exc)[number])));

  const mediaTypeFilter = asObject(filters['mediaTypeFilter'], 'filters.media_type_filter');
  onlyKeys(mediaTypeFilter, ['mediaTypes'], 'filters.media_type_filter');
  const mediaTypes = enumList(mediaTypeFilter['mediaTypes'], MEDIA_TYPES, 'filters.media_type_filter.media_types');
  if (mediaTypes.length > 1) throw bad('Only one media type can be set in a media type filter.');
  if (mediaTypes[0] === 'PHOTO') predicates.push((item) => item.kind === 'photo');
  if (mediaTypes[0] === 'VIDEO') predicates.push((item) => item.kind === 'video');

  const featureFilter = asObject(filters['featureFilter'], 'filters.feature_filter');
  onlyKeys(featureFilter, ['includedFeatures'], 'filters.feature_filter');
  const features = enumList(featureFilter['includedFeatures'], FEATURES, 'filters.feature_filter.included_features');
  if (features.includes('FAVORITES')) predicates.push((item) => item.favorite);

  const includeArchived = filters['includeArchivedMedia'];
  if (includeArchived !== undefined && typeof includeArchived !== 'boolean') throw bad("Invalid value at 'filters.include_archived_media'.");
  if (filtersGiven && includeArchived !== true) predicates.push((item) => !item.archived);

  let order: SearchRequest['order'] = 'newest';
  const orderBy = req['orderBy'];
  if (orderBy !== undefined && orderBy !== '') {
    if (typeof orderBy !== 'string' || !(orderBy in ORDER_BY)) {
      throw bad(`Invalid orderBy ${JSON.stringify(orderBy)}: use "MediaMetadata.creation_time" or "MediaMetadata.creation_time desc".`);
    }
    if (!hasDateFilter) throw bad('orderBy can only be used together with a dateFilter.');
    if (inc.length + exc.length + included.length + excluded.length > 0 || mediaTypes.length > 0 || features.length > 0) {
      throw bad('orderBy can only be combined with a dateFilter, includeArchivedMedia and excludeNonAppCreatedData.');
    }
    order = ORDER_BY[orderBy as keyof typeof ORDER_BY];
  }

  const queryKey = JSON.stringify(['search', albumId ?? null, filtersGiven ? filters : null, order]);
  const result: SearchRequest = {
    pageSize,
    queryKey,
    filtered: filtersGiven,
    order,
    match: (item, now) => {
      // Future-dated items show up only in unfiltered and album searches.
      if (filtersGiven && Date.parse(item.creationTime) > now) return false;
      return predicates.every((p) => p(item));
    },
  };
  if (albumId !== undefined) result.albumId = albumId;
  if (pageToken !== undefined) result.pageToken = pageToken;
  return result;
}
