// An in-memory Source for engine tests, in either access mode (random: open(); stream: stream()), with faults per
// item (retryable failures, failures for good, truncated bodies, corrupt entries, a spent quota) and a hook that
// runs before each chunk of a body, so a test can pause or abort a transfer in the middle of its bytes.
import type { MediaKind, RemoteItem, SourceName } from '../../src/core/types.js';
import { QuotaError, RemoteError } from '../../src/errors.js';
import type {
  ItemBytes, ListOptions, OnItemError, RandomAccessSource, SourceFeatures, StreamingSource, StreamOptions,
} from '../../src/sources/source.js';
import { EntryReadError } from '../../src/sources/takeout/crc-check.js';

export interface ItemFaults {
  /** The first N attempts fail with a retryable RemoteError (503) before any byte. */
  failTimes?: number;
  /** Every attempt fails with a RemoteError that is not retryable (404). */
  failForGood?: boolean;
  /** The first N bodies end at half the bytes while contentLength announces them all. */
  truncateTimes?: number;
  /** The body ends with an EntryReadError (a corrupt archive entry: CRC-32 mismatch), every time. */
  corrupt?: boolean;
  /** Stream mode: the source never visits nor reports this item (its input no longer holds it). */
  neverVisited?: boolean;
}

export interface MemoryItem {
  id: string;
  bytes: Uint8Array;
  filename?: string;
  /** RFC 3339 UTC; default 2020-01-15T12:00:00Z */
  creationTime?: string;
  dating?: RemoteItem['dating'];
  kind?: MediaKind;
  mimeType?: string;
  width?: number;
  height?: number;
  faults?: ItemFaults;
}

/** Runs before chunk `index` (0-based) of an item's body; may await (a stalled transfer) or throw. */
export type ChunkHook = (item: RemoteItem, index: number, signal: AbortSignal | undefined) => Promise<void> | void;

export interface MemorySourceOptions {
  access: 'random' | 'stream';
  items: readonly MemoryItem[];
  /** Default 'library' for random access, 'takeout' for streaming. */
  name?: SourceName;
  /** Default: an API source (api-copy, complete listing, no shared bytes). */
  features?: Partial<SourceFeatures>;
  /** Every open (random) or visit (stream) after the first K fails with a QuotaError. */
  quotaAfter?: number;
  chunkSize?: number;
  /** Whether bodies announce their length (default true). */
  contentLength?: boolean;
  /** Milliseconds to wait between chunks, so that a run takes measurable time (kill tests). */
  chunkDelayMs?: number;
  beforeChunk?: ChunkHook;
}

interface Held {
  spec: MemoryItem;
  item: RemoteItem;
}

/** What the source was asked for, for assertions. */
export interface MemoryStats {
  /** Attempts per ref id: opens (random) or visits and reports (stream). */
  attempts: Map<string, number>;
  /** Bodies consumed to their end. */
  bodiesEnded: number;
  streamCalls: number;
}

export type MemorySource = (RandomAccessSource | StreamingSource) & { readonly stats: MemoryStats; readonly items: readonly RemoteItem[] };

export function memorySource(options: MemorySourceOptions): MemorySource {
  const name = options.name ?? (options.access === 'random' ? 'library' : 'takeout');
  const features: SourceFeatures = { quality: 'api-copy', selection: false, sameBytesSameItem: false, ...options.features };
  const held = new Map<string, Held>(options.items.map((spec) => [spec.id, { spec, item: toItem(spec, name) }]));
  const stats: MemoryStats = { attempts: new Map(), bodiesEnded: 0, streamCalls: 0 };
  let opens = 0;

  async function* list(options: ListOptions = {}): AsyncGenerator<RemoteItem> {
    await Promise.resolve(); // a listing is asynchronous for every real source
    options.onPage?.({ items: held.size, pages: 1 });
    // Copies: the engine may rewrite fields of what it is given (shared strings).
    for (const h of held.values()) yield { ...h.item, ref: { ...h.item.ref } };
  }

  /** One attempt at an item's bytes: the faults decide whether it fails now, and how its body behaves. */
  function attempt(item: RemoteItem, signal: AbortSignal | undefined): ItemBytes {
    const h = held.get(item.ref.id);
    if (h === undefined || item.ref.source !== name) throw new RemoteError(`memory source holds no ${item.ref.source}:${item.ref.id}`, { status: 404 });
    const n = (stats.attempts.get(item.ref.id) ?? 0) + 1;
    stats.attempts.set(item.ref.id, n);
    opens++;
    if (options.quotaAfter !== undefined && opens > options.quotaAfter) throw new QuotaError('memory source: daily quota spent');
    const f = h.spec.faults ?? {};
    if (f.failForGood === true) throw new RemoteError(`memory source: ${item.filename} is gone`, { status: 404, retryable: false });
    if (n <= (f.failTimes ?? 0)) throw new RemoteError(`memory source: ${item.filename} unavailable (attempt ${n})`, { status: 503, retryable: true });
    const all = h.spec.bytes;
    const cut = n <= (f.truncateTimes ?? 0) ? all.subarray(0, Math.floor(all.length / 2)) : all;
    const body = chunks(h.item, cut, f.corrupt === true, signal);
    return options.contentLength === false ? { body } : { body, contentLength: all.length };
  }

  async function* chunks(item: RemoteItem, bytes: Uint8Array, corrupt: boolean, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
    const size = options.chunkSize ?? 64 * 1024;
    for (let i = 0, off = 0; off < bytes.length; i++, off += size) {
      await options.beforeChunk?.(item, i, signal);
      if (options.chunkDelayMs !== undefined && i > 0) await new Promise((r) => setTimeout(r, options.chunkDelayMs));
      signal?.throwIfAborted();
      // A copy: the engine must not rely on chunks it was handed staying unchanged after the next one.
      yield bytes.slice(off, off + size);
    }
    if (corrupt) throw new EntryReadError(`memory source: ${item.filename}: CRC-32 mismatch (the archive is corrupt)`);
    stats.bodiesEnded++;
  }

  const base = { name, features, stats, items: [...held.values()].map((h) => h.item), list };
  if (options.access === 'random') {
    return { ...base, access: 'random', open: (item, signal) => Promise.resolve().then(() => attempt(item, signal)) };
  }
  return {
    ...base,
    access: 'stream',
    async stream(items, visit, onError: OnItemError, streamOptions: StreamOptions): Promise<void> {
      stats.streamCalls++;
      // Its own order (reverse of the engine's) and its own pool of `concurrency` workers.
      const queue = [...items].reverse().filter((i) => held.get(i.ref.id)?.spec.faults?.neverVisited !== true);
      const worker = async (): Promise<void> => {
        for (let item = queue.shift(); item !== undefined && !streamOptions.signal.aborted; item = queue.shift()) {
          let bytes: ItemBytes;
          try {
            bytes = attempt(item, streamOptions.signal);
          } catch (e) {
            onError(item, e instanceof Error ? e : new Error(String(e)));
            continue;
          }
          await visit(item, bytes);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, streamOptions.concurrency) }, worker));
    },
  };
}

function toItem(spec: MemoryItem, source: SourceName): RemoteItem {
  const kind = spec.kind ?? 'photo';
  return {
    ref: { source, id: spec.id },
    filename: spec.filename ?? `${spec.id}.${kind === 'photo' ? 'jpg' : 'mp4'}`,
    mimeType: spec.mimeType ?? (kind === 'photo' ? 'image/jpeg' : 'video/mp4'),
    kind,
    creationTime: spec.creationTime ?? '2020-01-15T12:00:00Z',
    ...(spec.dating === undefined ? {} : { dating: spec.dating }),
    ...(spec.width === undefined ? {} : { width: spec.width }),
    ...(spec.height === undefined ? {} : { height: spec.height }),
    ...(kind === 'video' ? { videoStatus: 'READY' as const } : {}),
  };
}
