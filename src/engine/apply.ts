// Apply a plan, whatever the source: link references, restamp mtimes, merge metadata, then transfer bytes (new
// items, missing files, upgrades to originals) with a bounded pool, or in the order a streaming source hands them
// over. Per-item failures become data in the result; a spent quota, an interrupt or a fatal error stop the run
// cleanly. What each error means is decided once, in failure.ts.
import { setMaxListeners } from 'node:events';
import { utimes } from 'node:fs/promises';
import { resolveInside } from '../archive/paths.js';
import { withMeta } from '../core/item-meta.js';
import type { Action, TransferAction } from '../core/plan-types.js';
import { runPool } from '../core/pool.js';
import { refKey, type RemoteItem } from '../core/types.js';
import type { GphotosError } from '../errors.js';
import { messageOf } from '../errors.js';
import type { ItemBytes, Source } from '../sources/source.js';
import { nextDelayMs } from '../google/backoff.js';
import { transferItem, type DownloadContext, type Placement, type TransferOutcome } from './download-item.js';
import type { EventSink } from './events.js';
import { classifyFailure } from './failure.js';
import type { ItemRecords } from './item-records.js';

/** Between attempts of one item: the same backoff as API calls, with full jitter. */
const ITEM_BACKOFF = { baseMs: 250, maxMs: 8000 };

/** What one transfer needs, plus how the whole run is paced and reported. */
export interface ApplyOptions extends Omit<DownloadContext, 'onBytes'> {
  source: Source;
  transfers: number;
  /** Attempts per item for failures that may pass (truncated bodies, resets, 5xx). */
  itemAttempts: number;
  sleep: (ms: number) => Promise<void>;
  onEvent: EventSink;
  /** In the transfer's lane, right after a file was renamed into place at `path` (its record already written). */
  onFileStored?: (path: string) => void;
}

export interface ApplyFailure {
  path: string;
  filename: string;
  error: string;
  /** The source's bytes were damaged (a corrupt archive entry), not the network or the disk. */
  corrupt?: true;
  /** The item's reference, 'source:id'. */
  ref?: string;
}

export interface ApplyResult {
  downloaded: number;
  upgraded: number;
  /** Originals replaced by a lesser copy because it was asked for (allowDowngrade). */
  downgraded: number;
  /** Items whose bytes were archived already under another ref: recorded, not stored twice. */
  sameBytes: number;
  bytes: number;
  restamped: number;
  linked: number;
  annotated: number;
  failures: ApplyFailure[];
  remaining: number;
  stoppedBy?: 'quota' | 'interrupt';
  /** A fatal error (authentication, the archive) that stopped the run. */
  fatal?: GphotosError;
  /** Keys of the items whose records this run wrote (their sidecars need refreshing). */
  touched: string[];
}

export async function applyPlan(actions: readonly Action[], o: ApplyOptions): Promise<ApplyResult> {
  const result: ApplyResult = {
    downloaded: 0, upgraded: 0, downgraded: 0, sameBytes: 0, bytes: 0, restamped: 0, linked: 0, annotated: 0, failures: [], remaining: 0, touched: [],
  };
  // Every record this run writes goes through here, so the run knows which sidecars to refresh.
  const touched = new Set<string>();
  const store = o.manifest;
  const records: ItemRecords = {
    get: (key) => store.get(key),
    put: (item) => {
      touched.add(item.key);
      return store.put(item);
    },
    delete: (key) => {
      touched.delete(key);
      return store.delete(key);
    },
  };
  o = { ...o, manifest: records };
  let stop: 'quota' | 'interrupt' | 'fatal' | undefined;
  const stopped = (): boolean => {
    if (stop === undefined && o.signal.aborted) stop = 'interrupt';
    return stop !== undefined;
  };

  for (const a of actions) {
    if (stopped()) break;
    await applyRecordAction(a, o, result);
  }

  // In path order, so that transfers running together land in one folder and share its fsync.
  const transfers = actions
    .filter((a): a is TransferAction => a.kind === 'download' || a.kind === 'upgrade')
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let finished = 0;

  /** An item is done: written, or its bytes were archived already. */
  const settle = (action: TransferAction, r: TransferOutcome): void => {
    finished++;
    if (r.kind === 'same-bytes') {
      result.sameBytes++;
      o.onEvent({ event: 'same-bytes', path: r.path, filename: action.item.filename, ref: refKey(action.item.ref) });
      return;
    }
    result.bytes += r.size;
    o.onFileStored?.(r.path);
    if (action.kind === 'upgrade') {
      result.upgraded++;
      o.onEvent({ event: 'upgraded', path: r.path, bytes: r.size, filename: action.item.filename });
      return;
    }
    result.downloaded++;
    if (action.downgrade === true) {
      result.downgraded++;
      o.onEvent({ event: 'downgraded', path: r.path, filename: action.item.filename, quality: o.quality });
    }
    o.onEvent({ event: 'downloaded', path: r.path, bytes: r.size, filename: action.item.filename, timeSource: r.timeSource, dateSource: r.dateSource });
  };
  /** Whether to try again; otherwise the failure is recorded (or stops the run). */
  const failed = (action: TransferAction, e: unknown, attempt: number, placed: { current?: Placement }): 'again' | 'done' => {
    const f = classifyFailure(e, o.signal);
    switch (f.kind) {
      case 'interrupted':
        stop ??= 'interrupt';
        return 'done';
      case 'quota':
        stop ??= 'quota';
        if (stop === 'quota') result.stoppedBy = 'quota';
        return 'done';
      case 'stop':
        stop ??= 'fatal';
        result.fatal ??= f.error;
        return 'done';
      case 'busy':
      case 'retry':
      case 'item':
        if (f.kind === 'retry' && attempt < o.itemAttempts) return 'again';
        finished++;
        {
          const path = placed.current?.path ?? action.path;
          result.failures.push({
            path, filename: action.item.filename, error: messageOf(e), ref: refKey(action.item.ref), ...(f.kind === 'item' && f.corrupt ? { corrupt: true as const } : {}),
          });
          o.onEvent({ event: 'failed', path, filename: action.item.filename, error: messageOf(e), ref: refKey(action.item.ref) });
        }
        return 'done';
    }
  };
  const ctx = (): DownloadContext => ({ ...o, onBytes: (n) => o.onEvent({ event: 'progress', bytes: n }) });

  if (o.source.access === 'random') {
    const source = o.source;
    await runPool(
      transfers,
      o.transfers,
      async (action) => {
        const placed: { current?: Placement } = {};
        for (let attempt = 1; ; attempt++) {
          try {
            settle(action, await transferItem(action, await source.open(action.item, o.signal), ctx(), placed));
            return;
          } catch (e) {
            if (failed(action, e, attempt, placed) === 'done') return;
            const delayMs = nextDelayMs(attempt, ITEM_BACKOFF, Math.random);
            o.onEvent({ event: 'retry', what: action.item.filename, attempt, delayMs });
            await o.sleep(delayMs);
          }
        }
      },
      stopped,
    );
  } else {
    // The source reads its inputs in its own order; each item gets one attempt (its bytes cannot be asked again).
    const byRef = new Map(transfers.map((a) => [refKey(a.item.ref), a]));
    const stopAll = new AbortController();
    const signal = AbortSignal.any([o.signal, stopAll.signal]);
    setMaxListeners(o.transfers * 2 + 10, signal); // one listener per entry in flight
    const seen = new Set<string>();
    const take = (item: RemoteItem): TransferAction | undefined => {
      const k = refKey(item.ref);
      if (seen.has(k)) return undefined;
      seen.add(k);
      return byRef.get(k);
    };
    await o.source.stream(
      transfers.map((a) => a.item),
      async (item, bytes: ItemBytes) => {
        const action = take(item);
        if (action === undefined || stopped()) return;
        const placed: { current?: Placement } = {};
        try {
          settle(action, await transferItem(action, bytes, { ...ctx(), signal }, placed));
        } catch (e) {
          failed(action, e, o.itemAttempts, placed);
          if (stopped()) stopAll.abort();
        }
      },
      (item, error) => {
        const action = take(item);
        if (action !== undefined) failed(action, error, o.itemAttempts, {});
      },
      { concurrency: o.transfers, signal },
    );
    if (!stopped()) {
      for (const a of transfers) {
        if (seen.has(refKey(a.item.ref))) continue;
        failed(a, new Error('the input no longer holds this entry (was it changed or cut short since it was listed?)'), o.itemAttempts, {});
      }
    }
  }
  if (stop === 'interrupt') result.stoppedBy = 'interrupt';
  result.remaining = transfers.length - finished;
  result.touched = [...touched];
  return result;
}

/** The actions that only change records or mtimes, applied one after another before any transfer. */
async function applyRecordAction(a: Action, o: ApplyOptions, result: ApplyResult): Promise<void> {
  switch (a.kind) {
    case 'link': {
      const entry = o.manifest.get(a.key);
      if (!entry) return;
      await o.manifest.put({ ...entry, refs: [...entry.refs, a.ref] });
      result.linked++;
      o.onEvent({ event: 'linked', path: entry.path, ref: refKey(a.ref) });
      return;
    }
    case 'annotate': {
      const entry = o.manifest.get(a.key);
      if (!entry) return;
      await o.manifest.put(withMeta(entry, a.meta));
      result.annotated++;
      o.onEvent({ event: 'annotated', path: entry.path, fields: Object.keys(a.meta).sort() });
      return;
    }
    case 'restamp': {
      const entry = o.manifest.get(a.key);
      try {
        const t = new Date(a.mtimeMs);
        await utimes(resolveInside(o.archiveDir, a.path), t, t);
        if (entry) await o.manifest.put({ ...entry, mtimeStamped: true });
        result.restamped++;
        o.onEvent({ event: 'restamped', path: a.path });
      } catch (e) {
        result.failures.push({ path: a.path, filename: entry?.filename ?? a.path, error: messageOf(e) });
        o.onEvent({ event: 'failed', path: a.path, filename: entry?.filename ?? a.path, error: messageOf(e) });
      }
      return;
    }
    case 'download':
    case 'upgrade':
    case 'report':
      return;
  }
}
