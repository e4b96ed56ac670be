// A plan as the events and rows a user sees: its counts, a suspect listing, its drift reports, and one row per
// action for --dry-run.
import type { Action, Plan } from '../core/plan-types.js';
import type { SourceName } from '../core/types.js';
import type { EventSink } from './events.js';

export function emitPlan(plan: Plan, source: SourceName, onEvent: EventSink): void {
  onEvent({ event: 'plan', source, counts: plan.counts, totalBytesKnown: false });
  if (plan.suspectListing) {
    const { listed, remembered } = plan.suspectListing;
    onEvent({
      event: 'warning',
      message: `Google listed ${listed} items but the archive remembers ${remembered}: the listing looks incomplete, so nothing is reported as gone. Run again later, or pass --force if items really were removed.`,
    });
  }
  for (const action of plan.actions) {
    if (action.kind === 'report') {
      onEvent({
        event: 'drift',
        reason: action.reason,
        ...(action.path === undefined ? {} : { path: action.path }),
        ...(action.item === undefined ? {} : { filename: action.item.filename }),
        ...(action.detail === undefined ? {} : { detail: action.detail }),
      });
    }
  }
}

export function describeAction(action: Action): { action: string; reason: string; path?: string; filename?: string; detail?: string } {
  switch (action.kind) {
    case 'download':
      return { action: action.downgrade === true ? 'download-downgrade' : 'download', reason: action.reason, path: action.path, filename: action.item.filename };
    case 'upgrade':
      return { action: 'upgrade', reason: action.reason, path: action.path, filename: action.item.filename };
    case 'annotate':
      return { action: 'annotate', reason: action.reason, detail: Object.keys(action.meta).sort().join(', ') };
    case 'restamp':
      return { action: 'restamp', reason: action.reason, path: action.path };
    case 'link':
      return { action: 'link', reason: action.reason, detail: `${action.ref.source}:${action.ref.id}` };
    case 'report':
      return {
        action: 'report',
        reason: action.reason,
        ...(action.path === undefined ? {} : { path: action.path }),
        ...(action.item === undefined ? {} : { filename: action.item.filename }),
        ...(action.detail === undefined ? {} : { detail: action.detail }),
      };
  }
}
