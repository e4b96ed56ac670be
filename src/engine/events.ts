// Progress is a typed event stream. Renderers (text, JSON) must handle every kind: the compiler checks.
import type { PlanCounts } from '../core/plan-types.js';

export interface SyncSummary {
  dryRun: boolean;
  listed: number;
  downloaded: number;
  bytes: number;
  alreadyPresent: number;
  restamped: number;
  linked: number;
  pendingVideos: number;
  failed: number;
  /** Items still to do when the run stopped early (quota, interrupt). */
  remaining: number;
  drift: { remoteGone: number; changedOnDisk: number; ambiguous: number; failedVideos: number };
  stoppedBy?: 'quota' | 'interrupt';
  suspectListing?: { listed: number; remembered: number };
  apiCalls: number;
  byteCalls: number;
  retries: number;
  elapsedMs: number;
  failures: { path: string; filename: string; error: string }[];
}

export type SyncEvent =
  | { event: 'listing'; items: number; pages: number }
  | { event: 'plan'; counts: PlanCounts; totalBytesKnown: false }
  | { event: 'planned-action'; action: string; reason: string; path?: string; filename?: string; detail?: string }
  | { event: 'downloaded'; path: string; bytes: number; filename: string; timeSource: 'exif' | 'api' }
  | { event: 'progress'; bytes: number }
  | { event: 'failed'; path: string; filename: string; error: string }
  | { event: 'retry'; what: string; attempt: number; delayMs: number; status?: number }
  | { event: 'restamped'; path: string }
  | { event: 'linked'; path: string; ref: string }
  | { event: 'drift'; reason: string; path?: string; filename?: string; detail?: string }
  | { event: 'warning'; message: string }
  | { event: 'adopted'; adopted: number; alreadyArchived: number; ambiguous: number; unmatched: number; failed: number }
  | { event: 'summary'; summary: SyncSummary };

export type EventSink = (e: SyncEvent) => void;

export const noopSink: EventSink = () => {};
