// What every source (Library API now; Picker and Takeout later) offers the engine: list items as domain
// RemoteItems, and open one item's bytes. Wire formats and URL quirks stay behind this interface.
import type { RemoteItem, SourceName, SourceRef } from '../core/types.js';

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

export interface Source {
  readonly name: SourceName;
  list(filter: ListFilter, onPage?: (info: ListProgress) => void, mayOpen?: MayOpen): AsyncIterable<RemoteItem>;
  open(item: RemoteItem, signal?: AbortSignal): Promise<ItemBytes>;
}
