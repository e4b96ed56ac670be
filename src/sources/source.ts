// What every source (Library API now; Picker and Takeout later) offers the engine: list items as domain
// RemoteItems, and open one item's bytes. Wire formats and URL quirks stay behind this interface.
import type { RemoteItem, SourceName } from '../core/types.js';

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

export interface Source {
  readonly name: SourceName;
  list(filter: ListFilter, onPage?: (info: ListProgress) => void): AsyncIterable<RemoteItem>;
  open(item: RemoteItem, signal?: AbortSignal): Promise<ItemBytes>;
}
