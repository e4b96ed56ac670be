// Human output of a sync-like run (sync, pick): the progress line on a terminal, a line per file elsewhere or
// with -v, repeated reports folded into one line each (all of them with -v), pick's link and notes, and the
// closing summary.
import type { SyncEvent } from '../../engine/events.js';
import type { PickEvent } from '../../engine/pick-events.js';
import { createFolder } from './fold.js';
import { formatBytes } from './format.js';
import { createProgress } from './progress.js';
import { renderSummary, troubled } from './sync-summary.js';

export { renderSummary, troubled } from './sync-summary.js';

export interface TextOutput {
  out: (s: string) => void;
  err: (s: string) => void;
  /** stderr is a terminal: draw the progress line instead of a line per file. */
  tty: boolean;
  /** The terminal's width (read at every draw, so a resized window is followed). */
  columns: number | (() => number);
  /** Print nothing when all is well (cron mails only on trouble): problems, and the summary of a troubled run. */
  quiet: boolean;
  /** -v: a line per file and per report, even under the progress line. */
  verbose?: boolean;
  now: () => number;
  archiveLabel: string;
  /** The progress line's label (default `sync`). */
  label?: string;
  onResize?: (redraw: () => void) => () => void;
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

export function driftLine(e: Extract<SyncEvent, { event: 'drift' }>): string {
  return `${e.reason}: ${e.path ?? e.filename ?? ''} — ${DRIFT_TEXT[e.reason] ?? e.detail ?? ''}`;
}

export function createTextRenderer(o: TextOutput): { sink: (e: PickEvent) => void; close: () => void } {
  const columns = o.columns;
  const progress = createProgress(
    {
      write: o.err,
      draw: o.tty && !o.quiet,
      columns: typeof columns === 'number' ? () => columns : columns,
      now: o.now,
      ...(o.onResize === undefined ? {} : { onResize: o.onResize }),
    },
    { label: o.label ?? 'sync', done: 0, unit: 'items', bytes: 0 },
  );
  const folder = createFolder(o.verbose === true);
  // One line per file where no progress line shows progress, or when asked for with -v.
  const perFile = (!o.tty || o.verbose === true) && !o.quiet;
  const line = (s: string, toErr = false): void => progress.print(toErr ? o.err : o.out, s);
  const step = (bytes = 0): void => progress.update({ done: progress.state.done + 1, bytes: (progress.state.bytes ?? 0) + bytes });
  const flushFolded = (): void => {
    for (const l of folder.take()) line(l);
  };

  const handlers: { [K in PickEvent['event']]: (e: Extract<PickEvent, { event: K }>) => void } = {
    listing: (e) => progress.update({ note: `listing… ${e.items} items (${e.pages} pages)` }),
    plan: (e) => {
      const total = (progress.state.total ?? 0) + e.counts.download + e.counts.upgrade;
      if (!o.quiet) {
        const who = e.source === 'takeout' ? 'The Takeout exports hold' : e.source === 'picker' ? 'You picked' : 'Google lists';
        line(`${who} ${e.counts.remote} items: ${e.counts.present} already here, ${e.counts.download} to download` +
          (e.counts.upgrade ? `, ${e.counts.upgrade} to upgrade to the original` : '') +
          (e.counts.restamp ? `, ${e.counts.restamp} to restamp` : '') + (e.counts.link ? `, ${e.counts.link} to link` : '') + '.');
      }
      progress.update({ note: undefined, total }, true);
    },
    'planned-action': (e) => {
      if (!o.quiet) line(`would ${e.action}: ${e.path ?? e.filename ?? ''} (${e.reason}${e.detail ? `: ${e.detail}` : ''})`);
    },
    downloaded: (e) => {
      // The bytes came with the progress ticks.
      step();
      if (perFile) line(`downloaded ${e.path} (${formatBytes(e.bytes)})`);
    },
    upgraded: (e) => {
      step();
      if (perFile) line(`upgraded ${e.path} to the original (${formatBytes(e.bytes)})`);
    },
    downgraded: (e) => line(`downgraded: ${e.path} is now an ${e.quality} (the original was damaged or missing and --allow-downgrade was given)`, true),
    'same-bytes': (e) => {
      step();
      if (perFile) line(`same bytes as ${e.path}: ${e.filename} (${e.ref}) recorded, not stored twice`);
    },
    annotated: (e) => {
      if (perFile) line(`updated ${e.fields.join(', ')} of ${e.path}`);
    },
    progress: (e) => progress.update({ bytes: (progress.state.bytes ?? 0) + e.bytes }),
    failed: (e) => {
      step();
      line(`failed: ${e.path} (${e.filename}): ${e.error}`, true);
    },
    retry: () => {},
    restamped: (e) => {
      if (perFile) line(`restamped ${e.path}`);
    },
    linked: (e) => {
      if (perFile) line(`linked ${e.path} to ${e.ref}`);
    },
    drift: (e) => {
      if (o.quiet) return;
      const now = folder.add({ kind: e.reason, line: driftLine(e) });
      if (now !== undefined) line(now);
    },
    warning: (e) => line(`warning: ${e.message}`, true),
    adopted: (e) => {
      if (o.quiet && e.ambiguous === 0 && e.failed === 0) return;
      line(
        `Adopted ${e.adopted} files already on disk; ${e.alreadyArchived} already archived, ${e.ambiguous} ambiguous (left where they are), ` +
          `${e.unmatched} match no listed item, ${e.failed} failed. Nothing was deleted.`,
      );
    },
    // The link shows also with --quiet: without it there is nothing to pick.
    'picker-session': (e) => line(`Pick your photos in Google Photos, then press Done:\n  ${e.pickerUri}`, true),
    'picker-waiting': () => {
      if (!o.quiet) line('Waiting for you to finish picking (Ctrl-C to give up)…', true);
    },
    picker: (e) => line(e.message, true),
    summary: (e) => {
      flushFolded();
      progress.end();
      if (!o.quiet || troubled(e.summary)) o.out(renderSummary(e.summary, o.archiveLabel));
    },
  };
  return {
    sink: (e) => (handlers[e.event] as (e: PickEvent) => void)(e),
    close: () => {
      // A run that ended in an error has no summary: its folded reports still show.
      flushFolded();
      progress.end();
    },
  };
}
