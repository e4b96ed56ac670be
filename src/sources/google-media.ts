// What the Library and Picker sources share: both list media items in pages of a Google API (nextPageToken), and
// both open an item's bytes from its baseUrl, '=d' for a photo and '=dv' for a video, renewing an expired URL once.
// What differs (which endpoint, how a URL is renewed, which videos are ready) stays with each source.
import type { RemoteItem } from '../core/types.js';
import { RemoteError } from '../errors.js';
import type { FetchBytesOptions, GoogleApiClient } from '../google/api-client.js';
import type { ItemBytes, ListProgress } from './source.js';

export interface WirePage<Wire> {
  mediaItems?: Wire[];
  nextPageToken?: string;
}

/** One page's items, each beside the wire item it came from (which holds its baseUrl), and the totals so far. */
export interface ListedPage<Wire> {
  items: { item: RemoteItem; wire: Wire }[];
  progress: ListProgress;
}

/**
 * Fetches pages until the API sends no nextPageToken, one request at a time. The next page is asked for before
 * this one is handed over, so its round trip overlaps the caller's work on this one; a caller that stops between
 * pages has cost one request more. Wire items `toItem` refuses (undefined) are left out; `api` names the API in
 * the error for a repeated token.
 */
export async function* listGooglePages<Wire>(
  api: string,
  fetchPage: (pageToken: string | undefined) => Promise<WirePage<Wire>>,
  toItem: (wire: Wire) => RemoteItem | undefined,
): AsyncGenerator<ListedPage<Wire>> {
  const seenTokens = new Set<string>();
  let progress: ListProgress = { items: 0, pages: 0 };
  let next: Promise<WirePage<Wire>> | undefined = fetchPage(undefined);
  while (next !== undefined) {
    const page: WirePage<Wire> = await next;
    const pageToken = page.nextPageToken || undefined;
    // A server that hands back a token twice would loop forever; stop with a clear error instead (after this page).
    const repeated = pageToken !== undefined && seenTokens.has(pageToken);
    if (pageToken !== undefined) seenTokens.add(pageToken);
    next = pageToken === undefined || repeated ? undefined : fetchPage(pageToken);
    next?.catch(() => undefined); // awaited above on the next turn; a caller that stopped never sees it fail
    const items: ListedPage<Wire>['items'] = [];
    for (const wire of page.mediaItems ?? []) {
      const item = toItem(wire);
      if (item !== undefined) items.push({ item, wire });
    }
    progress = { items: progress.items + items.length, pages: progress.pages + 1 };
    yield { items, progress };
    if (repeated) throw new RemoteError(`The ${api} repeated a page token`, { retryable: true });
  }
}

/** How to open one item. `Url` is the source's own record of a URL: a bare baseUrl, or one with when it was issued. */
export interface OpenMediaOptions<Url> {
  client: Pick<GoogleApiClient, 'fetchBytes'>;
  /** The URL to try first. */
  url: Url;
  baseUrlOf: (url: Url) => string;
  /** `url` is itself just renewed, so a refusal of it is final. */
  renewed: boolean;
  /** Whether the byte host's refusal says the URL expired, so that a fresh one may work. */
  expired: (error: RemoteError) => boolean;
  /** A fresh URL for the item after `stale` was refused with `error`; undefined when there is none (the refusal stands). */
  renew: (stale: Url, error: RemoteError) => Promise<Url | undefined>;
  /** Picker baseUrls need the bearer token; Library baseUrls don't. */
  bearer?: boolean;
  signal?: AbortSignal;
}

/** Opens an item's bytes from its baseUrl; an expired URL is renewed once. */
export async function openGoogleMedia<Url>(item: RemoteItem, options: OpenMediaOptions<Url>): Promise<ItemBytes> {
  // rclone's rule too: '=d' downloads a photo (EXIF minus location), '=dv' a video.
  const suffix = item.kind === 'video' ? '=dv' : '=d';
  const init: FetchBytesOptions = {
    ...(options.bearer === true ? { bearer: true } : {}),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  let url = options.url;
  let renewed = options.renewed;
  for (;;) {
    try {
      const res = await options.client.fetchBytes(options.baseUrlOf(url) + suffix, init);
      return res.contentLength === undefined ? { body: res.body } : { body: res.body, contentLength: res.contentLength };
    } catch (e) {
      if (renewed || !(e instanceof RemoteError) || !options.expired(e)) throw e;
      const fresh = await options.renew(url, e);
      if (fresh === undefined) throw e;
      url = fresh;
      renewed = true;
    }
  }
}
