// The end of a sync-like run (sync, pick): the dry-run plan, the summary, and the exit code it implies.
import { describeAction } from '../engine/plan-events.js';
import type { SyncOutcome } from '../engine/sync-run.js';
import type { EventSink } from '../engine/events.js';
import { EXIT } from './exit-codes.js';

export function reportOutcome(outcome: SyncOutcome, sink: EventSink, dryRun: boolean): void {
  if (dryRun) {
    for (const a of outcome.plan.actions) if (a.kind !== 'report') sink({ event: 'planned-action', ...describeAction(a) });
  }
  sink({ event: 'summary', summary: outcome.summary });
  const s = outcome.summary;
  if (s.stoppedBy === 'quota') process.exitCode = EXIT.quota;
  else if (s.stoppedBy === 'interrupt') process.exitCode = EXIT.interrupted;
  else if (s.failed > 0) process.exitCode = EXIT.incomplete;
}
