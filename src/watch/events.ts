// What `gphotos watch` reports: one line per event (text), or one JSON object per line (--json), for journald.
// Nothing is kept: each event is written and forgotten, so memory stays flat over months.
import type { SyncEvent } from '../engine/events.js';
import type { LocalChange } from './local-check.js';

export type CycleReason = 'start' | 'interval' | 'change' | 'quota-reset';

export type WatchEvent =
  | { event: 'watch-started'; archive: string; intervalMs: number; budget: { api: number; bytes: number }; takeoutInbox?: string; localWatch: boolean }
  | { event: 'cycle-started'; cycle: number; reason: CycleReason }
  | {
      event: 'cycle-finished';
      cycle: number;
      listed: number;
      downloaded: number;
      bytes: number;
      failed: number;
      remaining: number;
      drift: { remoteGone: number; changedOnDisk: number; ambiguous: number };
      apiCalls: number;
      byteCalls: number;
      elapsedMs: number;
      stoppedBy?: 'quota' | 'interrupt' | 'budget';
    }
  | { event: 'cycle-skipped'; cycle: number; reason: 'locked' | 'remote-error'; message: string }
  | { event: 'local-change'; change: LocalChange; path: string; detail?: string }
  | { event: 'moved-aside'; path: string; to: string }
  | { event: 'quota-wait'; until: string; why: 'budget' | 'quota'; apiCalls: number; byteCalls: number; budget: { api: number; bytes: number } }
  | { event: 'takeout-waiting'; set: string; why: string }
  | {
      event: 'takeout-imported';
      files: string[];
      imported: number;
      duplicates: number;
      upgraded: number;
      failed: number;
      problems: number;
      stoppedBy?: 'interrupt';
    }
  | { event: 'takeout-skipped'; files: string[]; reason: string }
  | { event: 'error'; kind: string; message: string; hint?: string }
  | { event: 'watch-stopped'; cycles: number; reason: 'signal' | 'max-cycles' }
  | Extract<SyncEvent, { event: 'downloaded' | 'failed' | 'drift' | 'warning' | 'retry' }>;

export type WatchSink = (e: WatchEvent) => void;
