// Rendering of `gphotos watch`'s events (the loop in src/watch emits them; the CLI renders them): plain lines
// (journald adds the time); NDJSON is render/json.ts's. On a terminal a cycle's downloads show in
// the progress line; drift is folded per cycle, and a cycle that finds the same reports as the one before says
// nothing more about them (no 38 pending videos every hour). --quiet prints only trouble.
import { formatMs } from '../../watch/duration.js';
import type { WatchEvent, WatchSink } from '../../watch/events.js';
import { foldReports, type Report } from './fold.js';
import { formatBytes, formatDuration } from './format.js';
import type { Progress } from './progress.js';
import { driftLine } from './text.js';

export interface WatchTextOptions {
  out: (line: string) => void;
  err: (line: string) => void;
  quiet: boolean;
  verbose: boolean;
  /** Draws on a terminal (and not under --quiet); a line per file where it does not draw. */
  progress: Progress;
  tty: boolean;
}

export function textWatchRenderer(o: WatchTextOptions): WatchSink {
  const { quiet } = o;
  const out = (s: string): void => o.progress.print(o.out, s);
  const err = (s: string): void => o.progress.print(o.err, s);
  const perFile = (!o.tty || o.verbose) && !quiet;
  const drift = new Map<string, Report[]>();
  // What the last cycle reported of each kind, as a short signature: memory stays flat over months.
  let before = new Map<string, string>();
  const flushDrift = (): void => {
    const now = new Map<string, string>();
    for (const [kind, reports] of drift) {
      const sig = signature(reports);
      now.set(kind, sig);
      if (before.get(kind) !== sig) for (const l of foldReports(reports)) out(l);
    }
    before = now;
    drift.clear();
  };

  const handlers: { [K in WatchEvent['event']]: (e: Extract<WatchEvent, { event: K }>) => void } = {
    'watch-started': (e) => {
      if (!quiet) {
        out(`watching ${e.archive}: a sync every ${formatMs(e.intervalMs)}${e.localWatch ? ' and on local changes' : ''}; daily budget ${e.budget.api} API requests, ${e.budget.bytes} downloads${e.takeoutInbox ? `; Takeout inbox ${e.takeoutInbox}` : ''}`);
      }
    },
    'cycle-started': (e) => {
      if (!quiet) out(`cycle ${e.cycle} (${e.reason})`);
      o.progress.restart({ ...o.progress.state, label: `cycle ${e.cycle}`, done: 0, bytes: 0 });
    },
    'cycle-finished': (e) => {
      o.progress.clear();
      if (!quiet) flushDrift();
      drift.clear();
      // Stopped by the budget or by a signal (systemctl stop) is watch working as meant.
      if (quiet && e.failed === 0 && e.stoppedBy !== 'quota') return;
      out(
        `cycle ${e.cycle} done in ${formatDuration(e.elapsedMs)}: ${e.listed} listed, ${e.downloaded} downloaded (${formatBytes(e.bytes)}), ${e.failed} failed, ${e.remaining} remaining; ${e.apiCalls} API + ${e.byteCalls} byte requests` +
          (e.drift.remoteGone + e.drift.changedOnDisk + e.drift.ambiguous > 0 ? `; drift: ${e.drift.remoteGone} gone, ${e.drift.changedOnDisk} changed, ${e.drift.ambiguous} ambiguous` : '') +
          (e.stoppedBy ? `; stopped by ${e.stoppedBy}` : ''),
      );
    },
    'cycle-skipped': (e) => err(`cycle ${e.cycle} skipped: ${e.message}`),
    'local-change': (e) => err(`${e.change}: ${e.path}${e.detail ? ` (${e.detail})` : ''}`),
    'moved-aside': (e) => out(`moved damaged ${e.path} to ${e.to}; fetching it again`),
    'quota-wait': (e) => {
      // The daily budget is watch doing its job; Google's own quota spent is worth a look.
      if (quiet && e.why === 'budget') return;
      err(`${e.why === 'quota' ? "Google's daily quota is spent" : 'the daily budget is spent'} (${e.apiCalls}/${e.budget.api} API, ${e.byteCalls}/${e.budget.bytes} downloads today); sleeping until ${e.until}`);
    },
    'takeout-waiting': (e) => {
      if (!quiet) out(`takeout ${e.set}: ${e.why}`);
    },
    'takeout-imported': (e) => {
      if (quiet && e.failed === 0 && e.problems === 0) return;
      out(`imported Takeout ${e.files.join(' ')}: ${e.imported} new, ${e.upgraded} upgraded, ${e.duplicates} duplicates, ${e.failed} failed, ${e.problems} problems${e.stoppedBy ? ' (interrupted)' : ''}`);
    },
    'takeout-skipped': (e) => err(`Takeout ${e.files.join(' ')} not imported: ${e.reason}`),
    error: (e) => err(`error (${e.kind}): ${e.message}${e.hint ? ` ${e.hint}` : ''}`),
    'watch-stopped': (e) => {
      o.progress.end();
      if (!quiet) out(`stopped after ${e.cycles} ${e.cycles === 1 ? 'cycle' : 'cycles'} (${e.reason})`);
    },
    downloaded: (e) => {
      o.progress.update({ done: o.progress.state.done + 1, bytes: (o.progress.state.bytes ?? 0) + e.bytes });
      if (perFile) out(`downloaded ${e.path} (${formatBytes(e.bytes)})`);
    },
    failed: (e) => err(`failed: ${e.path}: ${e.error}`),
    drift: (e) => {
      if (quiet) return;
      if (o.verbose) out(driftLine(e));
      else drift.set(e.reason, [...(drift.get(e.reason) ?? []), { kind: e.reason, line: driftLine(e) }]);
    },
    warning: (e) => err(`warning: ${e.message}`),
    retry: () => {},
  };
  return (e) => (handlers[e.event] as (e: WatchEvent) => void)(e);
}

/** The same reports in any order give the same signature (FNV-1a over the sorted lines, and their count). */
function signature(reports: readonly Report[]): string {
  let h = 0x811c9dc5;
  for (const line of reports.map((r) => r.line).sort()) {
    for (let i = 0; i < line.length; i++) h = Math.imul(h ^ line.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 10, 0x01000193) >>> 0;
  }
  return `${reports.length}:${h.toString(16)}`;
}
