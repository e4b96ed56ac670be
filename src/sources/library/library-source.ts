// The Library API as a Source: lists app-created items page by page (one request per page) and opens
// their bytes from baseUrls, refreshing URLs that expired (60 min) through batched mediaItems:batchGet.
import type { RemoteItem } from '../../core/types.js';
import { RemoteError } from '../../errors.js';
import type { GoogleApiClient } from '../../google/api-client.js';
import { listGooglePages, openGoogleMedia } from '../google-media.js';
import type { ItemBytes, ListOptions, RandomAccessSource, SourceFeatures } from '../source.js';
import { BaseUrlRefresher } from './base-url-refresher.js';
import { toRemoteItem } from './to-remote-item.js';
import type { InvalidItem } from './to-remote-item.js';
import type { WireMediaItem, WireMediaItemsPage, WireSearchRequest } from './wire.js';

/** The API maximum: fewer pages means fewer calls against the 10,000-a-day quota. */
export const PAGE_SIZE = 100;
/** Google says baseUrls live 60 minutes; refresh a little early so a download doesn't start on a dying URL. */
export const DEFAULT_MAX_URL_AGE_MS = 55 * 60_000;

export interface LibrarySourceOptions {
  client: GoogleApiClient;
  /** Library API root without /v1 (Endpoints.library). */
  baseUrl: string;
  /** Items the API sent that cannot be archived (no id, filename or capture time). */
  onInvalidItem?: (info: InvalidItem) => void;
  maxUrlAgeMs?: number;
  now?: () => number;
  /** Observes each batchGet used to refresh baseUrls. */
  onBatchGet?: (ids: readonly string[]) => void;
}

interface KnownUrl {
  baseUrl: string;
  receivedAt: number;
  /** Which response issued it (a list page or a batchGet): URLs issued together expire together. */
  issue: number;
}

export class LibrarySource implements RandomAccessSource {
  readonly name = 'library' as const;
  readonly access = 'random' as const;
  readonly features: SourceFeatures = { quality: 'api-copy', selection: false, sameBytesSameItem: false };
  readonly #opts: LibrarySourceOptions;
  readonly #now: () => number;
  /** In listing order, which is the order the engine tends to download in. */
  #urls = new Map<string, KnownUrl>();
  #issues = 0;
  /** URLs from this issue and earlier ones are presumed expired: one of them was refused. */
  #deadThroughIssue = 0;
  readonly #refresher: BaseUrlRefresher;

  constructor(opts: LibrarySourceOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#refresher = new BaseUrlRefresher({
      client: opts.client,
      baseUrl: opts.baseUrl,
      padWith: (room, taken) => this.#staleIds(room, taken),
      onFresh: (wires) => {
        const issue = ++this.#issues;
        const receivedAt = this.#now();
        for (const w of wires) if (w.id && w.baseUrl) this.#urls.set(w.id, { baseUrl: w.baseUrl, receivedAt, issue });
      },
      ...(opts.onBatchGet === undefined ? {} : { onBatch: opts.onBatchGet }),
    });
  }

  async *list(options: ListOptions = {}): AsyncGenerator<RemoteItem> {
    const { filter, onPage, mayOpen } = options;
    const pages = listGooglePages(
      'Library API',
      (pageToken) => this.#fetchPage(filter?.apiFilters, pageToken),
      (wire: WireMediaItem) => toRemoteItem(wire, this.#opts.onInvalidItem),
    );
    for await (const page of pages) {
      const receivedAt = this.#now();
      const issue = ++this.#issues;
      for (const { item, wire } of page.items) {
        if (wire.baseUrl && mayOpen?.(item.ref) !== false) this.#urls.set(item.ref.id, { baseUrl: wire.baseUrl, receivedAt, issue });
      }
      onPage?.(page.progress);
      for (const { item } of page.items) yield item;
    }
  }

  /**
   * Forget the baseUrls of all items but `ids` (at 100k items they are ~25 MB): the engine calls this once its
   * plan says which items it will open. An item opened anyway gets a fresh URL through batchGet, as when its
   * URL has expired.
   */
  retainOnly(ids: ReadonlySet<string>): void {
    const kept = new Map<string, KnownUrl>();
    for (const [id, url] of this.#urls) if (ids.has(id)) kept.set(id, url);
    this.#urls = kept;
  }

  async open(item: RemoteItem, signal?: AbortSignal): Promise<ItemBytes> {
    const id = item.ref.id;
    if (item.ref.source !== 'library') throw new Error(`LibrarySource cannot open a ${item.ref.source} item`);
    if (item.kind === 'video' && item.videoStatus !== undefined && item.videoStatus !== 'READY') {
      throw new RemoteError(`Video ${id} is not ready for download (${item.videoStatus})`, {
        retryable: false,
        hint: 'Google is still processing it; a later sync will fetch it.',
      });
    }
    const known = this.#urls.get(id);
    const url = known !== undefined && this.#isFresh(known) ? known : await this.#refresh(id);
    return openGoogleMedia(item, {
      client: this.#opts.client,
      url,
      baseUrlOf: (known) => known.baseUrl,
      renewed: url !== known,
      // The byte host answers an expired baseUrl with 403 (a removed item with 404): get a fresh one, once.
      expired: (error) => error.status === 403 || error.status === 404,
      renew: async (stale, error) => {
        if (error.status === 403) this.#deadThroughIssue = Math.max(this.#deadThroughIssue, stale.issue);
        // A padded batch may already have refreshed it while this request was out.
        const latest = this.#urls.get(id);
        return latest !== undefined && latest.issue > stale.issue && this.#isFresh(latest) ? latest : await this.#refresh(id);
      },
      ...(signal === undefined ? {} : { signal }),
    });
  }

  #isFresh(url: KnownUrl): boolean {
    return url.issue > this.#deadThroughIssue && this.#now() - url.receivedAt < (this.#opts.maxUrlAgeMs ?? DEFAULT_MAX_URL_AGE_MS);
  }

  /** Known ids whose URLs are presumed dead, to fill a batchGet that has room. */
  #staleIds(room: number, taken: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const [id, url] of this.#urls) {
      if (out.length >= room) break;
      if (!taken.has(id) && !this.#isFresh(url)) out.push(id);
    }
    return out;
  }

  #fetchPage(filters: object | undefined, pageToken: string | undefined): Promise<WireMediaItemsPage> {
    const root = `${this.#opts.baseUrl}/v1`;
    if (filters === undefined) {
      const token = pageToken === undefined ? '' : `&pageToken=${encodeURIComponent(pageToken)}`;
      return this.#opts.client.getJson<WireMediaItemsPage>(`${root}/mediaItems?pageSize=${PAGE_SIZE}${token}`);
    }
    const body: WireSearchRequest = { pageSize: PAGE_SIZE, filters };
    if (pageToken !== undefined) body.pageToken = pageToken;
    return this.#opts.client.postJson<WireMediaItemsPage>(`${root}/mediaItems:search`, body);
  }

  async #refresh(id: string): Promise<KnownUrl> {
    const wire = await this.#refresher.fetch(id);
    // onFresh stored it already; the fallback covers a batch that raced with a newer one.
    return this.#urls.get(id) ?? { baseUrl: wire.baseUrl ?? '', receivedAt: this.#now(), issue: ++this.#issues };
  }
}
