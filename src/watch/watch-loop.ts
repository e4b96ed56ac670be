// `gphotos watch`: a sync cycle at start, then every interval and whenever the archive changes; Takeout archives
// dropped in an inbox are imported. Each cycle is runSync / runImport unchanged: they take the archive lock for
// the cycle only and release it, so `gphotos status` and a manual `gphotos sync` work between cycles.
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireLock } from '../archive/lock.js';
import type { ManifestItem } from '../core/types.js';
import type { ImportOptions } from '../engine/import-run.js';
import { runImport } from '../engine/import-run.js';
import type { SyncEvent } from '../engine/events.js';
import { runSync, type SyncOptions } from '../engine/sync-run.js';
import { loadManifestItems, moveAside, splitFixable, verifyItems, type Damage } from '../engine/verify.js';
import { classifyFailure } from '../engine/failure.js';
import { isGphotosError, messageOf } from '../errors.js';
import type { Source } from '../sources/source.js';
import type { CycleReason, WatchSink } from './events.js';
import { IdleGc } from './idle-gc.js';
import { checkPaths } from './local-check.js';
import { watchArchive, type LocalWatch } from './local-watch.js';
import { nextPacificMidnight } from './pacific.js';
import { QuotaLedger, type Budget } from './quota-ledger.js';
import { InboxTracker, listInbox, zipLooksComplete } from './takeout-inbox.js';
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
  takeout?: { inbox: string; stableMs: number; import: Omit<ImportOptions, 'archiveDir' | 'inputs' | 'dryRun' | 'command'> };
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

const FORWARDED = new Set<SyncEvent['event']>(['downloaded', 'failed', 'drift', 'warning', 'retry']);

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
  let fatal: Error | undefined;

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
            if (FORWARDED.has(e.event)) d.onEvent(e as Extract<SyncEvent, { event: 'downloaded' }>);
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
      if (fatal !== undefined) throw fatal;
      if (d.signal.aborted) break;
      if (o.maxCycles !== undefined && cycles >= o.maxCycles) {
        stoppedBy = 'max-cycles';
        break;
      }
      const due = d.now().getTime() + o.intervalMs;
      reason = 'interval';
      for (;;) {
        if ((await inbox?.importReady()) === true) await afterChange();
        if (fatal !== undefined) throw fatal as Error;
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

/** Move damaged files aside under the archive lock (verify --fix's own code), so that the sync fetches them again. */
async function restoreAside(archiveDir: string, candidates: Damage[], onEvent: WatchSink, ours: Set<string>): Promise<void> {
  const lock = await acquireLock(archiveDir, { command: 'watch', warn: (m) => onEvent({ event: 'warning', message: m }) });
  try {
    // Judge again under the lock: the file may have been put back since it was seen.
    const items = await loadManifestItems(archiveDir);
    const wanted = new Set(candidates.map((c) => c.path));
    const subset = items.filter((i) => wanted.has(i.path));
    const { damaged } = await verifyItems({ archiveDir, deep: true, concurrency: 1 }, subset);
    const { refetch } = splitFixable(damaged, new Map<string, ManifestItem>(subset.map((i) => [i.key, i])));
    const aside = refetch.filter((x) => x.kind !== 'missing');
    const moved = await moveAside(archiveDir, aside);
    aside.forEach((x, i) => {
      ours.add(x.path);
      onEvent({ event: 'moved-aside', path: x.path, to: moved[i] ?? '' });
    });
  } finally {
    await lock.release();
  }
}

/** Files sync reported as changed on disk: restore them on the next cycle, like the ones the folder watches saw. */
async function queueChanged(archiveDir: string, paths: Set<string>, into: Map<string, Damage>, onEvent: WatchSink): Promise<void> {
  const check = await checkPaths(archiveDir, paths);
  paths.clear();
  for (const r of check.restore) {
    if (!into.has(r.path)) onEvent({ event: 'local-change', change: 'damaged', path: r.path, ...(r.detail === undefined ? {} : { detail: r.detail }) });
    into.set(r.path, r);
  }
}

interface Inbox {
  /** Whether anything was imported. */
  importReady(): Promise<boolean>;
  stop(): Promise<void>;
}

function startInbox(archiveDir: string, t: NonNullable<WatchOptions['takeout']>, d: WatchDeps, wake: Wakeup, onFatal: (e: unknown) => void): Inbox {
  const tracker = new InboxTracker(t.stableMs);
  const said = new Map<string, string>();
  let ready: string[][] = [];
  let polling: Promise<void> | undefined;
  const poll = async (): Promise<void> => {
    const files = await listInbox(t.inbox).catch((e: unknown) => {
      d.onEvent({ event: 'warning', message: `cannot read the Takeout inbox ${t.inbox}: ${messageOf(e)}` });
      return [];
    });
    const verdict = tracker.observe(files, d.now().getTime());
    const next: string[][] = [];
    for (const set of verdict.ready) {
      const zips = set.filter((f) => f.toLowerCase().endsWith('.zip'));
      const incomplete: string[] = [];
      for (const z of zips) if (!(await zipLooksComplete(join(t.inbox, z)).catch(() => false))) incomplete.push(z);
      if (incomplete.length > 0) verdict.waiting.push({ key: set[0] ?? '', why: `no end-of-central-directory record yet in ${incomplete.join(', ')}` });
      else next.push(set);
    }
    for (const w of verdict.waiting) {
      if (said.get(w.key) !== w.why) d.onEvent({ event: 'takeout-waiting', set: w.key, why: w.why });
      said.set(w.key, w.why);
    }
    if (said.size > 1000) said.clear();
    ready = next;
    if (ready.length > 0) wake.wake();
  };
  const timer = setInterval(() => {
    polling ??= poll().finally(() => (polling = undefined));
  }, Math.max(200, Math.min(5000, Math.floor(t.stableMs / 4))));
  return {
    async importReady() {
      const sets = ready;
      ready = [];
      let imported = false;
      for (const set of sets) {
        if (d.signal.aborted) return imported;
        const files = set.map((name) => tracker.current(name)).filter((f) => f !== undefined);
        // The inbox is polled while a set imports, and until then the set still looks ready: queued again, it
        // would be imported twice.
        if (tracker.isDone(files)) continue;
        try {
          const s = await runImport(
            { ...t.import, archiveDir, inputs: set.map((n) => join(t.inbox, n)), dryRun: false, command: 'watch' },
            {
              now: d.now,
              signal: d.signal,
              onEvent: (e) => {
                if (e.event === 'warning') d.onEvent(e);
                else if (e.event === 'problem') d.onEvent({ event: 'warning', message: `Takeout problem: ${e.input} ${e.entry ?? ''} ${e.reason}: ${e.detail}` });
                else if (e.event === 'failed') d.onEvent({ event: 'warning', message: `Takeout entry failed: ${e.entry}: ${e.error}` });
              },
            },
          );
          d.onEvent({
            event: 'takeout-imported', files: set, imported: s.imported, duplicates: s.duplicates, upgraded: s.upgraded,
            failed: s.failed, problems: s.archiveProblems, ...(s.stoppedBy === undefined ? {} : { stoppedBy: s.stoppedBy }),
          });
          if (s.stoppedBy === undefined) tracker.markDone(files);
          imported ||= s.imported + s.upgraded > 0;
        } catch (e) {
          if (!isGphotosError(e)) {
            onFatal(e);
            return imported;
          }
          if (e.kind === 'locked') d.onEvent({ event: 'takeout-skipped', files: set, reason: `${e.message} (trying again later)` });
          else if (e.kind === 'usage' || e.kind === 'local') {
            d.onEvent({ event: 'takeout-skipped', files: set, reason: e.message });
            tracker.markDone(files);
          } else if (e.kind !== 'interrupted') {
            onFatal(e);
            return imported;
          }
        }
      }
      return imported;
    },
    async stop() {
      clearInterval(timer);
      await polling;
    },
  };
}
