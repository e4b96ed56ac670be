// Human output: a progress bar on a terminal, plain lines otherwise, and a closing summary.
import type { SyncEvent, SyncSummary } from '../../engine/events.js';
import { formatBytes, formatDuration, progressLine } from './format.js';

export interface TextOutput {
  out: (s: string) => void;
  err: (s: string) => void;
  /** stderr is a terminal: draw a live progress bar instead of a line per file. */
  tty: boolean;
  columns: number;
  /** Print nothing when all is well (cron mails only on trouble): problems, and the summary of a troubled run. */
  quiet: boolean;
  /** -v: a line per file even under the progress bar. */
  verbose?: boolean;
  now: () => number;
  archiveLabel: string;
}

const DRIFT_TEXT: Record<string, string> = {
  'video-pending': 'video still processing at Google; a later sync fetches it',
  'video-failed': 'video failed processing at Google; it has no bytes to fetch',
  'remote-gone': 'no longer listed by Google; kept here',
  'changed-on-disk': 'file on disk differs from what was archived; left alone (see gphotos verify)',
  'ambiguous-identity': 'matches more than one archived item; not linked',
  'duplicate-remote-id': 'listed twice by Google; fetched once',
  'original-missing': 'the original is missing and this source has only an API copy; not replaced (re-import it from Takeout, or --allow-downgrade)',
};

export function createTextRenderer(o: TextOutput): { sink: (e: SyncEvent) => void; close: () => void } {
  const started = o.now();
  let total = 0;
  let done = 0;
  let bytes = 0;
  let lastDraw = 0;
  let barShown = false;

  const clearBar = (): void => {
    if (barShown) o.err('\r\x1b[2K');
    barShown = false;
  };
  const draw = (force = false): void => {
    if (!o.tty || o.quiet) return;
    const t = o.now();
    if (!force && t - lastDraw < 100) return;
    lastDraw = t;
    o.err('\r\x1b[2K' + progressLine({ done, total, bytes, elapsedMs: t - started, width: o.columns }));
    barShown = true;
  };
  // One line per file where no bar shows progress, or when asked for with -v.
  const perFile = (!o.tty || o.verbose === true) && !o.quiet;
  const line = (s: string, toErr = false): void => {
    clearBar();
    (toErr ? o.err : o.out)(s + '\n');
    draw(true);
  };

  const handlers: { [K in SyncEvent['event']]: (e: Extract<SyncEvent, { event: K }>) => void } = {
    listing: (e) => {
      if (o.tty && !o.quiet) {
        o.err(`\r\x1b[2KListing… ${e.items} items (${e.pages} pages)`);
        barShown = true;
      }
    },
    plan: (e) => {
      total += e.counts.download + e.counts.upgrade;
      clearBar();
      if (!o.quiet) {
        const who = e.source === 'takeout' ? 'The Takeout exports hold' : e.source === 'picker' ? 'You picked' : 'Google lists';
        o.out(`${who} ${e.counts.remote} items: ${e.counts.present} already here, ${e.counts.download} to download` +
          (e.counts.upgrade ? `, ${e.counts.upgrade} to upgrade to the original` : '') +
          (e.counts.restamp ? `, ${e.counts.restamp} to restamp` : '') + (e.counts.link ? `, ${e.counts.link} to link` : '') + '.\n');
      }
      draw(true);
    },
    'planned-action': (e) => {
      if (!o.quiet) line(`would ${e.action}: ${e.path ?? e.filename ?? ''} (${e.reason}${e.detail ? `: ${e.detail}` : ''})`);
    },
    downloaded: (e) => {
      done++;
      if (perFile) line(`downloaded ${e.path} (${formatBytes(e.bytes)})`);
      else draw();
    },
    upgraded: (e) => {
      done++;
      if (!o.quiet) line(`upgraded ${e.path} to the original (${formatBytes(e.bytes)})`);
    },
    downgraded: (e) => line(`downgraded: ${e.path} is now an ${e.quality} (the original was damaged or missing and --allow-downgrade was given)`, true),
    'same-bytes': (e) => {
      done++;
      if (!o.tty && !o.quiet) o.out(`same bytes as ${e.path}: ${e.filename} (${e.ref}) recorded, not stored twice\n`);
      draw();
    },
    annotated: (e) => {
      if (!o.tty && !o.quiet) o.out(`updated ${e.fields.join(', ')} of ${e.path}\n`);
    },
    progress: (e) => {
      bytes += e.bytes;
      draw();
    },
    failed: (e) => {
      done++;
      line(`failed: ${e.path} (${e.filename}): ${e.error}`, true);
    },
    retry: () => {},
    restamped: (e) => {
      if (perFile) line(`restamped ${e.path}`);
    },
    linked: (e) => {
      if (!o.quiet) line(`linked ${e.path} to ${e.ref}`);
    },
    drift: (e) => {
      if (!o.quiet) line(`${e.reason}: ${e.path ?? e.filename ?? ''} — ${DRIFT_TEXT[e.reason] ?? e.detail ?? ''}`);
    },
    warning: (e) => line(`warning: ${e.message}`, true),
    adopted: (e) => {
      if (o.quiet && e.ambiguous === 0 && e.failed === 0) return;
      line(
        `Adopted ${e.adopted} files already on disk; ${e.alreadyArchived} already archived, ${e.ambiguous} ambiguous (left where they are), ` +
          `${e.unmatched} match no listed item, ${e.failed} failed. Nothing was deleted.`,
      );
    },
    summary: (e) => {
      clearBar();
      if (!o.quiet || troubled(e.summary)) o.out(renderSummary(e.summary, o.archiveLabel));
    },
  };
  return {
    sink: (e) => (handlers[e.event] as (e: SyncEvent) => void)(e),
    close: clearBar,
  };
}

/** A run someone should look at: what --quiet still reports (the exit code is not 0 either). */
export function troubled(s: SyncSummary): boolean {
  return s.failed > 0 || s.stoppedBy !== undefined || s.suspectListing !== undefined;
}

export function renderSummary(s: SyncSummary, archive: string): string {
  const rows: [string, string][] = [
    ['downloaded', `${s.downloaded} (${formatBytes(s.bytes)})`],
    ['already present', String(s.alreadyPresent)],
  ];
  if (s.restamped) rows.push(['mtimes restamped', String(s.restamped)]);
  if (s.linked) rows.push(['linked to other sources', String(s.linked)]);
  if (s.upgraded) rows.push(['upgraded to original', String(s.upgraded)]);
  if (s.sameBytes) rows.push(['same bytes, recorded', String(s.sameBytes)]);
  if (s.annotated) rows.push(['metadata updated', String(s.annotated)]);
  if (s.downgraded) rows.push(['DOWNGRADED', `${s.downgraded} originals replaced by API copies (--allow-downgrade)`]);
  if (s.pendingVideos) rows.push(['pending videos', `${s.pendingVideos} (still processing at Google; a later sync picks them up)`]);
  rows.push(['failed', String(s.failed)]);
  if (s.remaining && !s.dryRun) rows.push(['not yet done', String(s.remaining)]);
  const d = s.drift;
  const drift = [
    d.remoteGone && `${d.remoteGone} gone from Google (kept here)`,
    d.changedOnDisk && `${d.changedOnDisk} changed on disk`,
    d.ambiguous && `${d.ambiguous} ambiguous`,
    d.failedVideos && `${d.failedVideos} videos Google failed to process`,
    d.originalMissing && `${d.originalMissing} originals missing (re-import them from Takeout: gphotos verify --fix --takeout FILE)`,
  ].filter(Boolean);
  rows.push(['drift', drift.length ? drift.join(', ') : 'none']);
  const width = Math.max(...rows.map(([k]) => k.length));
  const head = s.dryRun ? `Dry run for ${archive}: nothing was changed. Would download ${s.remaining}.` : `Synced ${archive} in ${formatDuration(s.elapsedMs)}.`;
  let text = head + '\n' + rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n') + '\n';
  text += `  ${'requests'.padEnd(width)}  ${s.apiCalls} API, ${s.byteCalls} downloads, ${s.retries} retried\n`;
  if (s.failures.length) text += 'Failed items:\n' + s.failures.map((f) => `  ${f.path} (${f.filename}): ${f.error}\n`).join('');
  if (s.stoppedBy === 'quota') {
    text += `Stopped: Google's daily quota is spent. ${s.remaining} items remain; the quota resets daily (midnight Pacific time). Run the same command again then; nothing already downloaded is fetched twice.\n`;
  } else if (s.stoppedBy === 'interrupt') {
    text += `Interrupted. ${s.remaining} items remain; run the same command again to continue.\n`;
  }
  if (s.suspectListing) {
    text += `Note: Google listed ${s.suspectListing.listed} items but the archive remembers ${s.suspectListing.remembered}; nothing was marked gone (use --force if items really were removed).\n`;
  }
  return text;
}
