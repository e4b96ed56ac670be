// Apply a plan: download with a bounded pool, restamp mtimes, link references; per-item failures
// become data in the result, while a spent daily quota or an interrupt stops the run cleanly.
import { utimes } from 'node:fs/promises';
import { resolveInside } from '../archive/paths.js';
import type { Action, DownloadAction } from '../core/plan-types.js';
import { refKey } from '../core/types.js';
import { GphotosError, LocalError, QuotaError, messageOf } from '../errors.js';
import { downloadItem, type DownloadContext, type Placement } from './download-item.js';
import type { EventSink } from './events.js';
import { runPool } from './pool.js';

/** What one download needs, plus how the whole run is paced and reported. */
export interface ApplyOptions extends Omit<DownloadContext, 'onBytes'> {
  transfers: number;
  /** Attempts per item for failures that may pass (truncated bodies, resets, 5xx). */
  itemAttempts: number;
  sleep: (ms: number) => Promise<void>;
  onEvent: EventSink;
}

export interface ApplyResult {
  downloaded: number;
  bytes: number;
  restamped: number;
  linked: number;
  failures: { path: string; filename: string; error: string }[];
  remaining: number;
  stoppedBy?: 'quota' | 'interrupt';
  /** A fatal error (authentication, the archive) that stopped the run. */
  fatal?: GphotosError;
}

export async function applyPlan(actions: readonly Action[], o: ApplyOptions): Promise<ApplyResult> {
  const result: ApplyResult = { downloaded: 0, bytes: 0, restamped: 0, linked: 0, failures: [], remaining: 0 };
  let stop: 'quota' | 'interrupt' | 'fatal' | undefined;
  const stopped = (): boolean => {
    if (stop === undefined && o.signal.aborted) stop = 'interrupt';
    return stop !== undefined;
  };

  for (const a of actions) {
    if (stopped()) break;
    if (a.kind === 'link') {
      const entry = o.manifest.get(a.key);
      if (!entry) continue;
      await o.manifest.put({ ...entry, refs: [...entry.refs, a.ref] });
      result.linked++;
      o.onEvent({ event: 'linked', path: entry.path, ref: refKey(a.ref) });
    } else if (a.kind === 'restamp') {
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
    }
  }

  // In path order, so that downloads running together land in one folder and share its fsync.
  const downloads = actions
    .filter((a): a is DownloadAction => a.kind === 'download')
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let finished = 0;
  await runPool(
    downloads,
    o.transfers,
    async (action) => {
      const placed: { current?: Placement } = {};
      for (let attempt = 1; ; attempt++) {
        try {
          const r = await downloadItem(action, { ...o, onBytes: (n) => o.onEvent({ event: 'progress', bytes: n }) }, placed);
          result.downloaded++;
          result.bytes += r.size;
          o.onEvent({ event: 'downloaded', path: r.path, bytes: r.size, filename: action.item.filename, timeSource: r.timeSource });
          break;
        } catch (e) {
          if (e instanceof QuotaError) {
            stop ??= 'quota';
            if (stop === 'quota') result.stoppedBy = 'quota';
            return;
          }
          if (o.signal.aborted) {
            stop ??= 'interrupt';
            return;
          }
          const fatal = fatalError(e);
          if (fatal) {
            stop ??= 'fatal';
            result.fatal ??= fatal;
            return;
          }
          if (isRetryable(e) && attempt < o.itemAttempts) {
            const delayMs = Math.min(8000, 250 * 2 ** (attempt - 1));
            o.onEvent({ event: 'retry', what: action.item.filename, attempt, delayMs });
            await o.sleep(delayMs);
            continue;
          }
          const path = placed.current?.path ?? action.path;
          result.failures.push({ path, filename: action.item.filename, error: messageOf(e) });
          o.onEvent({ event: 'failed', path, filename: action.item.filename, error: messageOf(e) });
          break;
        }
      }
      finished++;
    },
    stopped,
  );
  if (stop === 'interrupt') result.stoppedBy = 'interrupt';
  result.remaining = downloads.length - finished;
  return result;
}

function isRetryable(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'retryable' in e && e.retryable === true;
}

const DISK_FATAL = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/**
 * Errors that no other item can escape either stop the run: a refused login, a full or read-only disk.
 * Everything else (one odd name, one broken item) fails only that item.
 */
function fatalError(e: unknown): GphotosError | undefined {
  if (e instanceof GphotosError && (e.kind === 'auth' || e.kind === 'internal')) return e;
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    const code = (c as NodeJS.ErrnoException).code;
    if (code !== undefined && DISK_FATAL.has(code)) {
      return new LocalError(`The archive disk refused a write (${code}).`, {
        hint: 'Free some space or make the archive writable, then run the same command again.',
        cause: e,
      });
    }
  }
  return undefined;
}
