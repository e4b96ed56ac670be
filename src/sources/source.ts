// What every source (Library API, Picker, Takeout) offers the engine: list items as domain RemoteItems, and hand
// over their bytes. Wire formats and URL quirks stay behind this interface. What a source can do is declared
// (`access`, `features`), so the engine never guesses by cast.
import type { Quality, RemoteItem, SourceName, SourceRef } from '../core/types.js';

export interface ListFilter {
  /** Inclusive lower bound of the capture date: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'. */
  from?: string;
  /** Inclusive upper bound of the capture date, same forms as `from`. */
  to?: string;
  media: 'all' | 'photos' | 'videos';
  /** Library mediaItems:search filters object, when the caller can express the filter server-side */
  apiFilters?: object;
}

export interface ItemBytes {
  body: AsyncIterable<Uint8Array>;
  contentLength?: number;
}

export interface ListProgress {
  items: number;
  pages: number;
}

/**
 * Whether the caller may open this item's bytes. A source need not keep what opening costs (Library baseUrls:
 * ~21 MB at 100k items) for items it says no to; such an item opened anyway costs a refresh.
 */
export type MayOpen = (ref: SourceRef) => boolean;

export interface ListOptions {
  /** Absent: everything. Sources that cannot filter server-side list everything; the planner applies the filter. */
  filter?: ListFilter;
  /** Called after each page (or input) with the running totals. */
  onPage?: (progress: ListProgress) => void;
  /** Absent: every item may be opened. */
  mayOpen?: MayOpen;
}

export interface SourceFeatures {
  /** What its bytes are: Takeout gives the originals, the APIs give copies (no GPS, videos transcoded). */
  quality: Quality;
  /** It lists a selection (picked items, one export), not everything the account has: nothing listed-absent is gone. */
  selection: boolean;
  /**
   * Two of its items may carry the same bytes under different refs (an album copy without a sidecar, an overlapping
   * export): the engine then records the ref on the archived item instead of storing the bytes twice.
   */
  sameBytesSameItem: boolean;
}

interface SourceBase {
  readonly name: SourceName;
  readonly features: SourceFeatures;
  list(options?: ListOptions): AsyncIterable<RemoteItem>;
  // Optional capabilities: a source that lacks one has nothing to do there, so callers use `?.()`.
  /** Drop what the listing kept for items the plan will not open (Library baseUrls). */
  retainOnly?(ids: ReadonlySet<string>): void;
  /** Release what it holds open (Takeout inputs). */
  close?(): Promise<void>;
}

/** Opens any item at any time, as often as asked (HTTP byte hosts). */
export interface RandomAccessSource extends SourceBase {
  readonly access: 'random';
  open(item: RemoteItem, signal?: AbortSignal): Promise<ItemBytes>;
}

export interface StreamOptions {
  concurrency: number;
  signal: AbortSignal;
}

/** One item the source could not hand over (a corrupt entry); the engine counts it as that item's failure. */
export type OnItemError = (item: RemoteItem, error: Error) => void;

/**
 * Hands over the bytes of the wanted items in its own order (a tar is read front to back; a zip reads its entries
 * in offset order), calling `visit` for each. An item it never visits or reports is one the input no longer holds.
 */
export interface StreamingSource extends SourceBase {
  readonly access: 'stream';
  stream(items: readonly RemoteItem[], visit: (item: RemoteItem, bytes: ItemBytes) => Promise<void>, onError: OnItemError, options: StreamOptions): Promise<void>;
}

export type Source = RandomAccessSource | StreamingSource;
