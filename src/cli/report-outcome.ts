// The end of a sync-like run (sync, pick): the dry-run plan, the summary, and the exit code it implies.
import type { Plan } from '../core/plan-types.js';
import { describeAction } from '../engine/plan-events.js';
import type { EventSink, SyncSummary } from '../engine/events.js';
import { EXIT } from './exit-codes.js';

/** `plan` is left out by a run that planned nothing (a pick of nothing). */
export function reportOutcome(outcome: { summary: SyncSummary; plan?: Plan | undefined }, sink: EventSink, dryRun: boolean): void {
  if (dryRun) {
    for (const a of outcome.plan?.actions ?? []) if (a.kind !== 'report') sink({ event: 'planned-action', ...describeAction(a) });
  }
  sink({ event: 'summary', summary: outcome.summary });
  const s = outcome.summary;
  if (s.stoppedBy === 'quota') process.exitCode = EXIT.quota;
  else if (s.stoppedBy === 'interrupt') process.exitCode = EXIT.interrupted;
  else if (s.failed > 0) process.exitCode = EXIT.incomplete;
}
