// What a run did, added up over its passes (one per source): the summary every command prints.
import type { Plan } from '../core/plan-types.js';
import type { SourceName } from '../core/types.js';
import type { ApplyResult } from './apply.js';
import type { SyncSummary } from './events.js';

/** One source's part of a run. */
export interface SyncPass {
  source: SourceName;
  plan: Plan;
  apply?: ApplyResult;
  listed: number;
}

export interface RunTotals {
  dryRun: boolean;
  elapsedMs: number;
  /** The run's requests: the client counts them across passes. */
  counters: { apiCalls: number; byteCalls: number; retries: number };
}

/** Every pass added up; a stop and a suspect listing are the run's (the first pass that had one). */
export function summarizeRun(passes: readonly SyncPass[], totals: RunTotals): SyncSummary {
  const sum = (f: (p: SyncPass) => number): number => passes.reduce((n, p) => n + f(p), 0);
  const stoppedBy = passes.find((p) => p.apply?.stoppedBy !== undefined)?.apply?.stoppedBy;
  const suspect = passes.find((p) => p.plan.suspectListing !== undefined)?.plan.suspectListing;
  return {
    dryRun: totals.dryRun,
    listed: sum((p) => p.listed),
    downloaded: sum((p) => p.apply?.downloaded ?? 0),
    bytes: sum((p) => p.apply?.bytes ?? 0),
    alreadyPresent: sum((p) => p.plan.counts.present),
    restamped: sum((p) => p.apply?.restamped ?? 0),
    linked: sum((p) => p.apply?.linked ?? 0),
    upgraded: sum((p) => p.apply?.upgraded ?? 0),
    downgraded: sum((p) => p.apply?.downgraded ?? 0),
    sameBytes: sum((p) => p.apply?.sameBytes ?? 0),
    annotated: sum((p) => p.apply?.annotated ?? 0),
    pendingVideos: sum((p) => p.plan.counts.pending),
    failed: sum((p) => p.apply?.failures.length ?? 0),
    remaining: sum((p) => (p.apply ? p.apply.remaining : totals.dryRun ? p.plan.counts.download + p.plan.counts.upgrade : 0)),
    drift: {
      remoteGone: sum((p) => p.plan.counts.gone),
      changedOnDisk: sum((p) => p.plan.counts.changed),
      ambiguous: sum((p) => p.plan.counts.ambiguous),
      failedVideos: sum((p) => countReports(p.plan, 'video-failed')),
      originalMissing: sum((p) => p.plan.counts.originalMissing),
    },
    ...(stoppedBy === undefined ? {} : { stoppedBy }),
    ...(suspect === undefined ? {} : { suspectListing: suspect }),
    apiCalls: totals.counters.apiCalls,
    byteCalls: totals.counters.byteCalls,
    retries: totals.counters.retries,
    elapsedMs: totals.elapsedMs,
    failures: passes.flatMap((p) => p.apply?.failures ?? []),
  };
}

function countReports(plan: Plan, reason: string): number {
  return plan.actions.filter((a) => a.kind === 'report' && a.reason === reason).length;
}
