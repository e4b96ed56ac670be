// `gphotos watch`: a sync cycle at start, then every interval and whenever the archive changes; Takeout archives
// dropped in an inbox are imported. Each cycle is runSync / runImport unchanged: they take the archive lock for
// the cycle only and release it, so `gphotos status` and a manual `gphotos sync` work between cycles.
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SyncEvent } from '../engine/events.js';
import { runSync, type SyncOptions } from '../engine/sync-run.js';
import type { Damage } from '../engine/verify.js';
import { classifyFailure } from '../engine/failure.js';
import { isGphotosError, messageOf } from '../errors.js';
import type { Source } from '../sources/source.js';
import type { CycleReason, WatchSink } from './events.js';
import { IdleGc } from './idle-gc.js';
import { startInbox, type TakeoutInboxOptions } from './inbox-import.js';
import { checkPaths } from './local-check.js';
import { watchArchive, type LocalWatch } from './local-watch.js';
import { nextPacificMidnight } from './pacific.js';
import { QuotaLedger, type Budget } from './quota-ledger.js';
import { queueChanged, restoreAside } from './restore-aside.js';
import { Wakeup } from './wakeup.js';

export interface WatchOptions {
  archiveDir: string;
  intervalMs: number;
  /** Quiet time after the last local change before it is checked (default 2 s). */
  debounceMs: number;
  budget: Budget;
  /** Watch the tree's folders for local changes (local-watch.ts). */
  localWatch: boolean;
  /** Stop after this many sync cycles (tests and benchmarks). */
  maxCycles?: number;
  sync: Omit<SyncOptions, 'archiveDir' | 'dryRun' | 'command'>;
  takeout?: TakeoutInboxOptions;
  /** Run after the first cycle and each one that changed the archive (watch --report); a failure is a warning. */
  afterChange?: () => Promise<void>;
}

export interface WatchDeps {
  source: Source;
  counters: () => { apiCalls: number; byteCalls: number; retries: number };
  now: () => Date;
  signal: AbortSignal;
  onEvent: WatchSink;
}

export interface WatchResult {
  cycles: number;
  stoppedBy: 'signal' | 'max-cycles';
}

/** The sync events a watch passes on as its own (WatchEvent includes them). */
type Forwarded = Extract<SyncEvent, { event: 'downloaded' | 'failed' | 'drift' | 'warning' | 'retry' }>;

function isForwarded(e: SyncEvent): e is Forwarded {
  return e.event === 'downloaded' || e.event === 'failed' || e.event === 'drift' || e.event === 'warning' || e.event === 'retry';
}

export async function runWatch(o: WatchOptions, d: WatchDeps): Promise<WatchResult> {
  const wake = new Wakeup();
  const idleGc = new IdleGc();
  const ledger = await QuotaLedger.load(o.archiveDir, d.now());
  let cycles = 0;
  let localDirty = false;
  let debounce: NodeJS.Timeout | undefined;
  /** Files our own cycle wrote: their change events are not the user's. */
  let ours = new Set<string>();
  /** Damaged files to move aside and fetch again on the next cycle. */
  let toRestore = new Map<string, Damage>();
  /** API requests the last full cycle cost: a cycle is postponed when the budget cannot cover another. */
  let lastCycleApi = 1;
  /** What ended the inbox's imports (it runs beside the loop): the loop rethrows it at its next step. */
  let fatal: Error | undefined;
  const throwIfFatal = (): void => {
    if (fatal !== undefined) throw fatal;
  };

  let local: LocalWatch | undefined;
  if (o.localWatch) {
    local = watchArchive(
      o.archiveDir,
      () => {
        clearTimeout(debounce);
        debounce = setTimeout(() => {
          localDirty = true;
          wake.wake();
        }, o.debounceMs);
      },
      (e) => d.onEvent({ event: 'warning', message: `watching ${o.archiveDir}: ${messageOf(e)}` }),
    );
    await local.ready;
  }
  const inbox = o.takeout === undefined ? undefined : startInbox(o.archiveDir, o.takeout, d, wake, (e) => (fatal ??= e instanceof Error ? e : new Error(String(e))));
  d.onEvent({
    event: 'watch-started', archive: o.archiveDir, intervalMs: o.intervalMs, budget: o.budget, localWatch: o.localWatch,
    ...(o.takeout === undefined ? {} : { takeoutInbox: o.takeout.inbox }),
  });

  const quotaWait = async (why: 'budget' | 'quota'): Promise<void> => {
    const now = d.now();
    const until = nextPacificMidnight(now);
    const today = ledger.today(now);
    d.onEvent({ event: 'quota-wait', why, until: until.toISOString(), apiCalls: today.apiCalls, byteCalls: today.byteCalls, budget: o.budget });
    idleGc.collect();
    // Local changes and inbox arrivals stay pending: nothing can be fetched before the reset anyway.
    while (!d.signal.aborted && d.now().getTime() < until.getTime()) {
      await wake.wait(until.getTime() - d.now().getTime() + 1000, d.signal, true);
    }
  };

  const afterChange = async (): Promise<void> => {
    await o.afterChange?.().catch((e: unknown) => d.onEvent({ event: 'warning', message: `cannot refresh the report: ${messageOf(e)}` }));
  };

  const settle = async (): Promise<void> => {
    if (local !== undefined && ours.size > 0) {
      // The last renames and mtime stamps of a cycle reach inotify within milliseconds: let them arrive, then
      // drop them, so that only changes made by someone else are checked.
      await sleep(250);
      local.forget(ours);
    }
    ours = new Set();
  };

  const cycle = async (reason: CycleReason): Promise<void> => {
    cycles++;
    const n = cycles;
    const left = ledger.left(d.now(), o.budget);
    if (left.exhausted || left.api < lastCycleApi || left.bytes <= 0) return quotaWait(left.exhausted ? 'quota' : 'budget');
    d.onEvent({ event: 'cycle-started', cycle: n, reason });
    const before = d.counters();
    const used = (): { apiCalls: number; byteCalls: number; retries: number } => {
      const c = d.counters();
      return { apiCalls: c.apiCalls - before.apiCalls, byteCalls: c.byteCalls - before.byteCalls, retries: c.retries - before.retries };
    };
    const budgetStop = new AbortController();
    const signal = AbortSignal.any([d.signal, budgetStop.signal]);
    setMaxListeners(0, signal);
    let quotaHit = false;
    let changed = n === 1;
    try {
      if (toRestore.size > 0) {
        const damaged = [...toRestore.values()];
        toRestore = new Map();
        await restoreAside(o.archiveDir, damaged, d.onEvent, ours);
      }
      const outcome = await runSync(
        { ...o.sync, archiveDir: o.archiveDir, dryRun: false, command: 'watch' },
        {
          source: d.source,
          now: d.now,
          sleep: (ms) => sleep(ms, undefined, { signal }).catch(() => {}),
          signal,
          counters: used,
          onEvent: (e) => {
            if (e.event === 'downloaded' || e.event === 'restamped') ours.add(e.path);
            if (e.event === 'drift' && e.reason === 'changed-on-disk' && e.path !== undefined) toRestoreLater.add(e.path);
            if (isForwarded(e)) d.onEvent(e);
            if (e.event === 'downloaded' && !budgetStop.signal.aborted) {
              const u = used();
              const spent = ledger.today(d.now());
              if (spent.apiCalls + u.apiCalls >= o.budget.api || spent.byteCalls + u.byteCalls >= o.budget.bytes) budgetStop.abort();
            }
          },
        },
      );
      await settle();
      const s = outcome.summary;
      const stoppedBy = s.stoppedBy === 'interrupt' && budgetStop.signal.aborted && !d.signal.aborted ? 'budget' : s.stoppedBy;
      quotaHit = s.stoppedBy === 'quota';
      if (stoppedBy === undefined) lastCycleApi = Math.max(1, s.apiCalls);
      changed ||= s.downloaded + s.restamped + s.linked + s.upgraded + s.downgraded + s.sameBytes + s.annotated + s.drift.changedOnDisk > 0;
      d.onEvent({
        event: 'cycle-finished', cycle: n, listed: s.listed, downloaded: s.downloaded, bytes: s.bytes, failed: s.failed, remaining: s.remaining,
        drift: { remoteGone: s.drift.remoteGone, changedOnDisk: s.drift.changedOnDisk, ambiguous: s.drift.ambiguous },
        apiCalls: s.apiCalls, byteCalls: s.byteCalls, elapsedMs: s.elapsedMs, ...(stoppedBy === undefined ? {} : { stoppedBy }),
      });
    } catch (e) {
      // What a failed cycle means is decided where apply and import decide it; a Google that keeps failing is
      // tried again next cycle, anything that needs a person (login, disk, bug) ends the watch.
      const f = classifyFailure(e);
      if (f.kind === 'busy') d.onEvent({ event: 'cycle-skipped', cycle: n, reason: 'locked', message: f.error.message });
      else if (f.kind === 'quota') quotaHit = true;
      else if ((f.kind === 'retry' || f.kind === 'item') && isGphotosError(e) && e.kind === 'remote') {
        d.onEvent({ event: 'cycle-skipped', cycle: n, reason: 'remote-error', message: `${e.message} (trying again next cycle)` });
      } else if (f.kind !== 'interrupted') throw f.kind === 'stop' ? f.error : e;
    } finally {
      const u = used();
      ledger.add(d.now(), u.apiCalls, u.byteCalls, quotaHit);
      await ledger.save().catch((e: unknown) => d.onEvent({ event: 'warning', message: `cannot save the quota ledger: ${messageOf(e)}` }));
    }
    await settle();
    if (toRestoreLater.size > 0) await queueChanged(o.archiveDir, toRestoreLater, toRestore, d.onEvent);
    if (changed) await afterChange();
    if (quotaHit) await quotaWait('quota');
  };
  const toRestoreLater = new Set<string>();

  const checkLocal = async (): Promise<boolean> => {
    if (local === undefined || !localDirty) return false;
    localDirty = false;
    const changed = local.drain();
    const check = await checkPaths(o.archiveDir, changed);
    for (const f of check.findings) d.onEvent({ event: 'local-change', ...f });
    for (const r of check.restore) toRestore.set(r.path, r);
    return check.actionable;
  };

  let stoppedBy: WatchResult['stoppedBy'] = 'signal';
  try {
    let reason: CycleReason = 'start';
    for (;;) {
      await cycle(reason);
      throwIfFatal();
      if (d.signal.aborted) break;
      if (o.maxCycles !== undefined && cycles >= o.maxCycles) {
        stoppedBy = 'max-cycles';
        break;
      }
      const due = d.now().getTime() + o.intervalMs;
      reason = 'interval';
      for (;;) {
        if ((await inbox?.importReady()) === true) await afterChange();
        throwIfFatal();
        const actionable = await checkLocal();
        if (actionable || toRestore.size > 0) {
          reason = 'change';
          break;
        }
        const left = due - d.now().getTime();
        if (left <= 0 || d.signal.aborted) break;
        // Going idle: drop the cycle's garbage now rather than keep it the whole interval (see idle-gc.ts).
        idleGc.collect();
        const why = await wake.wait(left, d.signal);
        if (why !== 'change') break;
      }
      if (d.signal.aborted) break;
    }
  } finally {
    clearTimeout(debounce);
    await inbox?.stop();
    await local?.close();
  }
  d.onEvent({ event: 'watch-stopped', cycles, reason: stoppedBy });
  return { cycles, stoppedBy };
}
