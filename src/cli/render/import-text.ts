// Human output of `gphotos import`: the progress line on a terminal, a line per entry elsewhere or with -v,
// repeated skips and undated entries folded into one line each, and the summary (under --quiet only when
// something went wrong).
import type { ImportEvent, ImportSummary } from '../../engine/import-events.js';
import { createFolder } from './fold.js';
import { formatBytes, formatDuration } from './format.js';
import { stderrProgress, type Progress } from './progress.js';

export interface ImportTextOptions {
  out: (s: string) => void;
  err: (s: string) => void;
  /** stderr is a terminal: draw the progress line instead of a line per entry. */
  tty: boolean;
  quiet: boolean;
  verbose: boolean;
  archiveLabel: string;
  /** The progress display (tests give their own). */
  progress?: Progress;
}

/** An import someone should look at: what --quiet still prints the summary of (its exit code is not 0 either). */
export function importTroubled(s: ImportSummary): boolean {
  return s.failed > 0 || s.archiveProblems > 0 || s.stoppedBy !== undefined;
}

export function createImportText(o: ImportTextOptions): { sink: (e: ImportEvent) => void; close: () => void } {
  const progress = o.progress ?? stderrProgress(o.tty && !o.quiet, { label: 'import', done: 0, unit: 'entries', bytes: 0 });
  const folder = createFolder(o.verbose);
  const perEntry = (!o.tty || o.verbose) && !o.quiet;
  const out = (s: string): void => progress.print(o.out, s);
  const err = (s: string): void => progress.print(o.err, s);
  const tick = (): void => progress.update({ done: progress.state.done + 1 });
  const report = (kind: string, line: string, to: (s: string) => void): void => {
    if (o.quiet) return;
    const now = folder.add({ kind, line });
    if (now !== undefined) to(now);
  };
  const flushFolded = (): void => {
    for (const l of folder.take()) out(l);
  };

  const handlers: { [K in ImportEvent['event']]: (e: Extract<ImportEvent, { event: K }>) => void } = {
    indexed: (e) => {
      if (!o.quiet) out(`Found ${e.media} media files, ${e.sidecars} sidecars and ${e.albums} albums in ${e.inputs} inputs; ${e.toImport} to read.`);
      progress.update({ total: e.toImport }, true);
    },
    imported: (e) => {
      tick();
      if (e.dateSource === 'none') report('no-date', `no date: ${e.entry} -> ${e.path}`, err);
      else if (perEntry) out(`imported ${e.path} (${formatBytes(e.bytes)}, date from ${e.dateSource})`);
    },
    upgraded: (e) => {
      tick();
      if (perEntry) out(`upgraded ${e.path} to the original (${formatBytes(e.bytes)})`);
    },
    // Counted against `toImport`: what is read and stored (duplicates and skips are found outside that count).
    duplicate: (e) => {
      if (perEntry) out(`duplicate ${e.entry} (already ${e.path})`);
    },
    skipped: (e) => {
      report(`skipped:${e.reason}`, `skipped ${e.entry}: ${e.reason}${e.detail ? ` (${e.detail})` : ''}`, out);
    },
    problem: (e) => err(`problem: ${e.input ? `${e.input}: ` : ''}${e.entry ?? ''} ${e.reason}: ${e.detail}`),
    plan: (e) => {
      if (!o.quiet) {
        const c = e.counts;
        out(`Plan: ${c.download} to import, ${c.upgrade} to upgrade to the original, ${c.present} already here` +
          (c.annotate ? `, ${c.annotate} with new metadata` : '') + (c.ambiguous ? `, ${c.ambiguous} ambiguous` : '') + '.');
      }
    },
    'planned-action': (e) => {
      const action = e.action === 'download' ? 'import' : e.action;
      if (!o.quiet) out(`would ${action}: ${e.path ?? e.filename ?? ''} (${e.reason}${e.detail ? `: ${e.detail}` : ''})`);
    },
    annotated: (e) => {
      if (perEntry) out(`updated ${e.fields.join(', ')} of ${e.path}`);
    },
    failed: (e) => {
      tick();
      err(`failed: ${e.entry}: ${e.error}`);
    },
    progress: (e) => progress.update({ bytes: (progress.state.bytes ?? 0) + e.bytes }),
    warning: (e) => err(`warning: ${e.message}`),
    summary: (e) => {
      flushFolded();
      progress.end();
      if (!o.quiet || importTroubled(e.summary)) o.out(renderImportSummary(e.summary, o.archiveLabel));
    },
  };
  return {
    sink: (e) => (handlers[e.event] as (e: ImportEvent) => void)(e),
    close: () => {
      flushFolded();
      progress.end();
    },
  };
}

export function renderImportSummary(s: ImportSummary, archive: string): string {
  const rows: [string, string][] = [
    [s.dryRun ? 'would import' : 'imported', `${s.imported}${s.dryRun ? '' : ` (${formatBytes(s.bytes)})`}`],
    ['duplicates skipped', String(s.duplicates)],
    ['upgraded to original', String(s.upgraded)],
    ['unknown date', s.unknownDate ? `${s.unknownDate} (in unknown-date/)` : '0'],
  ];
  if (s.annotated) rows.push(['metadata updated', String(s.annotated)]);
  if (s.trashed) rows.push(['in trash, skipped', `${s.trashed} (--include-trashed imports them)`]);
  if (s.skipped) rows.push(['other media skipped', `${s.skipped} (named above, with the reason)`]);
  if (s.ambiguous) rows.push(['ambiguous, skipped', String(s.ambiguous)]);
  if (s.albumLinks) rows.push(['album links made', String(s.albumLinks)]);
  if (s.badSidecars) rows.push(['unreadable sidecars', String(s.badSidecars)]);
  if (s.archiveProblems) rows.push(['archive problems', `${s.archiveProblems} (damaged or refused entries; see above)`]);
  rows.push(['errors', String(s.failed)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const head = s.dryRun ? `Dry run for ${archive}: nothing was changed.` : `Imported into ${archive} in ${formatDuration(s.elapsedMs)}.`;
  let text = head + '\n' + rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n') + '\n';
  if (s.failures.length) text += 'Failed entries:\n' + s.failures.map((f) => `  ${f.entry}: ${f.error}\n`).join('');
  if (s.stoppedBy === 'interrupt') text += 'Interrupted; run the same command again to continue.\n';
  return text;
}
