// The items a user picked in one Picker session, as a Source: lists them (pages of 100) and opens their bytes
// from baseUrls with the bearer token. An expired baseUrl (60 min) is renewed by listing the session again.
import type { RemoteItem } from '../../core/types.js';
import { RemoteError } from '../../errors.js';
import type { GoogleApiClient } from '../../google/api-client.js';
import type { InvalidItem } from '../library/to-remote-item.js';
import { listGooglePages, openGoogleMedia } from '../google-media.js';
import type { ItemBytes, ListOptions, ListProgress, RandomAccessSource, SourceFeatures } from '../source.js';
import { toRemoteItem } from './to-remote-item.js';
import type { WirePickedMediaItem, WirePickedPage } from './wire.js';

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
  async load(onPage?: (progress: ListProgress) => void, signal?: AbortSignal): Promise<RemoteItem[]> {
    this.#items ??= await this.#fetchAll(onPage, signal);
    return this.#items;
  }

  // A pick is a selection with no server-side filters: the planner applies the filter.
  async *list(options: ListOptions = {}): AsyncGenerator<RemoteItem> {
    const cached = this.#items !== undefined;
    const items = await this.load(options.onPage);
    if (cached) options.onPage?.({ items: items.length, pages: this.#pages });
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
    const noLongerListed = (): RemoteError => new RemoteError(`The picking session no longer lists ${item.filename}`, { retryable: false });
    const url = this.#urls.get(id);
    if (url === undefined) throw noLongerListed();
    return openGoogleMedia(item, {
      client: this.#opts.client,
      url,
      baseUrlOf: (baseUrl) => baseUrl,
      renewed: false,
      // The byte host answers an expired baseUrl with 403: list the session again for fresh ones, once.
      expired: (error) => error.status === 403,
      renew: async (stale) => {
        this.#relisting ??= this.#fetchAll(undefined, signal).then(
          () => undefined,
          () => undefined,
        ).finally(() => (this.#relisting = undefined));
        await this.#relisting;
        const fresh = this.#urls.get(id);
        if (fresh === stale) return undefined;
        if (fresh === undefined) throw noLongerListed();
        return fresh;
      },
      bearer: true,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  async #fetchAll(onPage: ((progress: ListProgress) => void) | undefined, signal: AbortSignal | undefined): Promise<RemoteItem[]> {
    const out: RemoteItem[] = [];
    const pages = listGooglePages(
      'Picker API',
      (pageToken) => {
        const query = `sessionId=${encodeURIComponent(this.#opts.sessionId)}&pageSize=${PAGE_SIZE}${pageToken === undefined ? '' : `&pageToken=${encodeURIComponent(pageToken)}`}`;
        return this.#opts.client.getJson<WirePickedPage>(`${this.#opts.baseUrl}/v1/mediaItems?${query}`, signal === undefined ? {} : { signal });
      },
      (wire: WirePickedMediaItem) => toRemoteItem(wire, this.#opts.onInvalidItem),
    );
    let pageCount = 0;
    for await (const page of pages) {
      for (const { item, wire } of page.items) {
        if (wire.mediaFile?.baseUrl) this.#urls.set(item.ref.id, wire.mediaFile.baseUrl);
        out.push(item);
      }
      pageCount = page.progress.pages;
      onPage?.(page.progress);
    }
    this.#pages = pageCount;
    return out;
  }
}
