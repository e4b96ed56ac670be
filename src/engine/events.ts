// Progress is a typed event stream. Renderers (text, JSON) must handle every kind: the compiler checks.
import type { DateSource } from '../core/dating.js';
import type { PlanCounts } from '../core/plan-types.js';
import type { Quality, SourceName } from '../core/types.js';

export interface SyncSummary {
  dryRun: boolean;
  listed: number;
  downloaded: number;
  bytes: number;
  alreadyPresent: number;
  restamped: number;
  linked: number;
  /** API copies replaced in place by originals. */
  upgraded: number;
  /** Originals replaced by a lesser copy, because --allow-downgrade asked for it. */
  downgraded: number;
  /** Items whose bytes the archive held already under another ref (recorded, not stored twice). */
  sameBytes: number;
  /** Items whose caption, favorite, people or albums were updated. */
  annotated: number;
  pendingVideos: number;
  failed: number;
  /** Items still to do when the run stopped early (quota, interrupt). */
  remaining: number;
  drift: {
    remoteGone: number;
    changedOnDisk: number;
    ambiguous: number;
    failedVideos: number;
    /** Originals missing on disk that this source can give back only as a lesser copy (not fetched). */
    originalMissing: number;
  };
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
  | { event: 'plan'; source: SourceName; counts: PlanCounts; totalBytesKnown: false }
  | { event: 'planned-action'; action: string; reason: string; path?: string; filename?: string; detail?: string }
  | { event: 'downloaded'; path: string; bytes: number; filename: string; timeSource: 'exif' | 'api'; dateSource: DateSource }
  | { event: 'upgraded'; path: string; bytes: number; filename: string }
  | { event: 'downgraded'; path: string; filename: string; quality: Quality }
  | { event: 'same-bytes'; path: string; filename: string; ref: string }
  | { event: 'annotated'; path: string; fields: string[] }
  | { event: 'progress'; bytes: number }
  | { event: 'failed'; path: string; filename: string; error: string; ref?: string }
  | { event: 'retry'; what: string; attempt: number; delayMs: number; status?: number }
  | { event: 'restamped'; path: string }
  | { event: 'linked'; path: string; ref: string }
  | { event: 'drift'; reason: string; path?: string; filename?: string; detail?: string }
  | { event: 'warning'; message: string }
  | { event: 'adopted'; adopted: number; alreadyArchived: number; ambiguous: number; unmatched: number; failed: number }
  | { event: 'summary'; summary: SyncSummary };

export type EventSink = (e: SyncEvent) => void;

export const noopSink: EventSink = () => {};
