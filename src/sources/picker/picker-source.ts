// The items a user picked in one Picker session, as a Source: lists them (pages of 100) and opens their bytes
// from baseUrls with the bearer token. An expired baseUrl (60 min) is renewed by listing the session again.
import type { RemoteItem } from '../../core/types.js';
import { RemoteError } from '../../errors.js';
import type { GoogleApiClient } from '../../google/api-client.js';
import type { InvalidItem } from '../library/to-remote-item.js';
import type { ItemBytes, ListFilter, ListProgress, RandomAccessSource, SourceFeatures } from '../source.js';
import { toRemoteItem } from './to-remote-item.js';
import type { WirePickedPage } from './wire.js';

/** The API maximum. */
export const PAGE_SIZE = 100;

export interface PickerSourceOptions {
  client: GoogleApiClient;
  /** Picker API root without /v1 (Endpoints.picker). */
  baseUrl: string;
  sessionId: string;
  onInvalidItem?: (info: InvalidItem) => void;
}

export class PickerSource implements RandomAccessSource {
  readonly name = 'picker' as const;
  readonly access = 'random' as const;
  readonly features: SourceFeatures = { quality: 'api-copy', selection: true, sameBytesSameItem: false };
  readonly #opts: PickerSourceOptions;
  readonly #urls = new Map<string, string>();
  #items: RemoteItem[] | undefined;
  #pages = 0;
  /** One re-listing at a time, shared by every download that met an expired URL. */
  #relisting: Promise<void> | undefined;

  constructor(opts: PickerSourceOptions) {
    this.#opts = opts;
  }

  /** Every picked item (fetched once; later calls and list() reuse it). */
  async load(onPage?: (info: ListProgress) => void, signal?: AbortSignal): Promise<RemoteItem[]> {
    this.#items ??= await this.#fetchAll(onPage, signal);
    return this.#items;
  }

  // A pick is a selection with no server-side filters: the planner applies the filter.
  async *list(_filter: ListFilter, onPage?: (info: ListProgress) => void): AsyncGenerator<RemoteItem> {
    const cached = this.#items !== undefined;
    const items = await this.load(onPage);
    if (cached) onPage?.({ items: items.length, pages: this.#pages });
    yield* items;
  }

  async open(item: RemoteItem, signal?: AbortSignal): Promise<ItemBytes> {
    const id = item.ref.id;
    if (item.ref.source !== 'picker') throw new Error(`PickerSource cannot open a ${item.ref.source} item`);
    if (item.kind === 'video' && item.videoStatus !== 'READY') {
      throw new RemoteError(`Video ${item.filename} is not ready for download (${item.videoStatus ?? 'UNSPECIFIED'})`, {
        retryable: false,
        hint: 'Google is still processing it; pick it again later.',
      });
    }
    const suffix = item.kind === 'video' ? '=dv' : '=d';
    for (let renewed = false; ; renewed = true) {
      const url = this.#urls.get(id);
      if (url === undefined) throw new RemoteError(`The picking session no longer lists ${item.filename}`, { retryable: false });
      try {
        const res = await this.#opts.client.fetchBytes(url + suffix, signal === undefined ? { bearer: true } : { bearer: true, signal });
        return res.contentLength === undefined ? { body: res.body } : { body: res.body, contentLength: res.contentLength };
      } catch (e) {
        // The byte host answers an expired baseUrl with 403: list the session again for fresh ones, once.
        if (renewed || !(e instanceof RemoteError) || e.status !== 403) throw e;
        const before = url;
        this.#relisting ??= this.#fetchAll(undefined, signal).then(
          () => undefined,
          () => undefined,
        ).finally(() => (this.#relisting = undefined));
        await this.#relisting;
        if (this.#urls.get(id) === before) throw e;
      }
    }
  }

  async #fetchAll(onPage: ((info: ListProgress) => void) | undefined, signal: AbortSignal | undefined): Promise<RemoteItem[]> {
    const out: RemoteItem[] = [];
    const seenTokens = new Set<string>();
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const query = `sessionId=${encodeURIComponent(this.#opts.sessionId)}&pageSize=${PAGE_SIZE}${pageToken === undefined ? '' : `&pageToken=${encodeURIComponent(pageToken)}`}`;
      const page = await this.#opts.client.getJson<WirePickedPage>(`${this.#opts.baseUrl}/v1/mediaItems?${query}`, signal === undefined ? {} : { signal });
      pages++;
      for (const wire of page.mediaItems ?? []) {
        const item = toRemoteItem(wire, this.#opts.onInvalidItem);
        if (item === undefined) continue;
        if (wire.mediaFile?.baseUrl) this.#urls.set(item.ref.id, wire.mediaFile.baseUrl);
        out.push(item);
      }
      onPage?.({ items: out.length, pages });
      pageToken = page.nextPageToken || undefined;
      if (pageToken !== undefined) {
        if (seenTokens.has(pageToken)) throw new RemoteError('The Picker API repeated a page token', { retryable: true });
        seenTokens.add(pageToken);
      }
    } while (pageToken !== undefined);
    this.#pages = pages;
    return out;
  }
}
