// Fresh baseUrls for items whose URL expired (60 min lifetime). Requests are coalesced into
// mediaItems:batchGet calls of at most 50 ids, and a batch with room left is padded with other ids the
// caller presumes stale: the call costs the same, and the next downloads then need no call at all.
import { RemoteError } from '../../errors.js';
import type { GoogleApiClient } from '../../google/api-client.js';
import type { WireBatchGetResponse, WireMediaItem } from './wire.js';

export const BATCH_GET_MAX_IDS = 50;

// google.rpc.Code values: "Invalid media item ID." comes back as INVALID_ARGUMENT.
const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;

interface Deferred {
  promise: Promise<WireMediaItem>;
  resolve: (item: WireMediaItem) => void;
  reject: (error: unknown) => void;
}

export interface BaseUrlRefresherOptions {
  client: GoogleApiClient;
  /** Library API root, without /v1. */
  baseUrl: string;
  /** How long to collect ids before calling batchGet. Default 5 ms. */
  windowMs?: number;
  /** Up to `room` more ids worth refreshing in the same call, none of them in `taken`. */
  padWith?: (room: number, taken: ReadonlySet<string>) => string[];
  /** Every item a batch returned with a baseUrl, padded ones included. */
  onFresh?: (items: readonly WireMediaItem[]) => void;
  /** Observes each batchGet call (tests check batch sizes). */
  onBatch?: (ids: readonly string[]) => void;
}

export class BaseUrlRefresher {
  readonly #opts: BaseUrlRefresherOptions;
  /** Ids waiting for the next batch. */
  #pending = new Map<string, Deferred>();
  /** Ids pending or in flight: a second ask joins the first instead of costing another call. */
  readonly #joined = new Map<string, Promise<WireMediaItem>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: BaseUrlRefresherOptions) {
    this.#opts = opts;
  }

  /** The item as batchGet returns it now (with a fresh baseUrl); rejects when it no longer exists. */
  fetch(id: string): Promise<WireMediaItem> {
    const joined = this.#joined.get(id);
    if (joined) return joined;
    const promise = this.#enqueue(id);
    if (this.#pending.size >= BATCH_GET_MAX_IDS) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#opts.windowMs ?? 5);
    return promise;
  }

  #enqueue(id: string): Promise<WireMediaItem> {
    let resolve!: (item: WireMediaItem) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<WireMediaItem>((res, rej) => ((resolve = res), (reject = rej)));
    // Padded ids have nobody waiting; their failure must not become an unhandled rejection.
    promise.catch(() => undefined);
    this.#pending.set(id, { promise, resolve, reject });
    this.#joined.set(id, promise);
    return promise;
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const room = BATCH_GET_MAX_IDS - (this.#pending.size % BATCH_GET_MAX_IDS || BATCH_GET_MAX_IDS);
    if (room > 0 && this.#opts.padWith) {
      for (const id of this.#opts.padWith(room, new Set(this.#joined.keys())).slice(0, room)) void this.#enqueue(id);
    }
    const batch = this.#pending;
    this.#pending = new Map();
    const ids = [...batch.keys()];
    for (let i = 0; i < ids.length; i += BATCH_GET_MAX_IDS) {
      const chunk = ids.slice(i, i + BATCH_GET_MAX_IDS);
      void this.#fetchBatch(chunk).then(
        (results) => this.#settle(chunk, batch, (id) => results.get(id) ?? goneError(id, 'batchGet did not return it')),
        (error: unknown) => this.#settle(chunk, batch, () => error),
      );
    }
  }

  #settle(chunk: readonly string[], batch: Map<string, Deferred>, outcome: (id: string) => unknown): void {
    for (const id of chunk) {
      const result = outcome(id);
      const waiter = batch.get(id);
      this.#joined.delete(id);
      if (result instanceof Error || !isWireItem(result)) waiter?.reject(result);
      else waiter?.resolve(result);
    }
  }

  async #fetchBatch(ids: readonly string[]): Promise<Map<string, WireMediaItem | RemoteError>> {
    this.#opts.onBatch?.(ids);
    const query = ids.map((id) => `mediaItemIds=${encodeURIComponent(id)}`).join('&');
    const res = await this.#opts.client.getJson<WireBatchGetResponse>(
      `${this.#opts.baseUrl}/v1/mediaItems:batchGet?${query}`,
    );
    const out = new Map<string, WireMediaItem | RemoteError>();
    const fresh: WireMediaItem[] = [];
    // Results come in the order of the requested ids; a per-item status means that id failed.
    (res.mediaItemResults ?? []).forEach((result, i) => {
      const id = result.mediaItem?.id ?? ids[i];
      if (id === undefined) return;
      const code = result.status?.code;
      if (result.mediaItem?.baseUrl) {
        out.set(id, result.mediaItem);
        fresh.push(result.mediaItem);
      } else if (code === undefined || code === NOT_FOUND || code === INVALID_ARGUMENT) {
        out.set(id, goneError(id, result.status?.message ?? 'no baseUrl returned'));
      } else {
        // Any other per-item code (INTERNAL, UNAVAILABLE…) says nothing about the item being gone.
        out.set(id, new RemoteError(`batchGet failed for ${id}: ${result.status?.message ?? `code ${code}`}`, { retryable: true }));
      }
    });
    this.#opts.onFresh?.(fresh);
    return out;
  }
}

function isWireItem(v: unknown): v is WireMediaItem {
  return typeof v === 'object' && v !== null && !(v instanceof Error);
}

function goneError(id: string, why: string): RemoteError {
  return new RemoteError(`Item ${id} no longer exists in Google Photos (${why})`, {
    status: 404,
    retryable: false,
    hint: 'It was deleted or is no longer visible to gphotos; nothing to download.',
  });
}
