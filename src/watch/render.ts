// Renderers for watch events: plain lines (journald adds the time) or NDJSON with an ISO time on each line.
import { formatBytes, formatDuration } from '../cli/render/format.js';
import { formatMs } from './duration.js';
import type { WatchEvent, WatchSink } from './events.js';

export function jsonWatchRenderer(write: (line: string) => void, now: () => Date = () => new Date()): WatchSink {
  return (e) => write(JSON.stringify({ ...e, at: now().toISOString() }) + '\n');
}

export function textWatchRenderer(out: (line: string) => void, err: (line: string) => void, quiet: boolean): WatchSink {
  const handlers: { [K in WatchEvent['event']]: (e: Extract<WatchEvent, { event: K }>) => void } = {
    'watch-started': (e) =>
      out(`watching ${e.archive}: a sync every ${formatMs(e.intervalMs)}${e.localWatch ? ' and on local changes' : ''}; daily budget ${e.budget.api} API requests, ${e.budget.bytes} downloads${e.takeoutInbox ? `; Takeout inbox ${e.takeoutInbox}` : ''}`),
    'cycle-started': (e) => {
      if (!quiet) out(`cycle ${e.cycle} (${e.reason})`);
    },
    'cycle-finished': (e) =>
      out(
        `cycle ${e.cycle} done in ${formatDuration(e.elapsedMs)}: ${e.listed} listed, ${e.downloaded} downloaded (${formatBytes(e.bytes)}), ${e.failed} failed, ${e.remaining} remaining; ${e.apiCalls} API + ${e.byteCalls} byte requests` +
          (e.drift.remoteGone + e.drift.changedOnDisk + e.drift.ambiguous > 0 ? `; drift: ${e.drift.remoteGone} gone, ${e.drift.changedOnDisk} changed, ${e.drift.ambiguous} ambiguous` : '') +
          (e.stoppedBy ? `; stopped by ${e.stoppedBy}` : ''),
      ),
    'cycle-skipped': (e) => err(`cycle ${e.cycle} skipped: ${e.message}`),
    'local-change': (e) => err(`${e.change}: ${e.path}${e.detail ? ` (${e.detail})` : ''}`),
    'moved-aside': (e) => out(`moved damaged ${e.path} to ${e.to}; fetching it again`),
    'quota-wait': (e) =>
      err(`${e.why === 'quota' ? "Google's daily quota is spent" : 'the daily budget is spent'} (${e.apiCalls}/${e.budget.api} API, ${e.byteCalls}/${e.budget.bytes} downloads today); sleeping until ${e.until}`),
    'takeout-waiting': (e) => {
      if (!quiet) out(`takeout ${e.set}: ${e.why}`);
    },
    'takeout-imported': (e) =>
      out(`imported Takeout ${e.files.join(' ')}: ${e.imported} new, ${e.upgraded} upgraded, ${e.duplicates} duplicates, ${e.failed} failed, ${e.problems} problems${e.stoppedBy ? ' (interrupted)' : ''}`),
    'takeout-skipped': (e) => err(`Takeout ${e.files.join(' ')} not imported: ${e.reason}`),
    error: (e) => err(`error (${e.kind}): ${e.message}${e.hint ? ` ${e.hint}` : ''}`),
    'watch-stopped': (e) => out(`stopped after ${e.cycles} cycles (${e.reason})`),
    downloaded: (e) => {
      if (!quiet) out(`downloaded ${e.path} (${formatBytes(e.bytes)})`);
    },
    failed: (e) => err(`failed: ${e.path}: ${e.error}`),
    drift: (e) => {
      if (!quiet) out(`drift ${e.reason}: ${e.path ?? e.filename ?? ''}${e.detail ? ` (${e.detail})` : ''}`);
    },
    warning: (e) => err(`warning: ${e.message}`),
    retry: () => {},
  };
  return (e) => (handlers[e.event] as (e: WatchEvent) => void)(e);
}
