// `gphotos import DIR TAKEOUT...`: add Google Takeout exports (.zip, .tgz, folders) to the archive.
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { compileLayout } from '../../core/layout.js';
import { validateTimeZone } from '../../core/local-time.js';
import type { ImportEvent, ImportSummary } from '../../engine/import-events.js';
import { runImport } from '../../engine/import-run.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_LIMITS } from '../../sources/takeout/input.js';
import { EXIT } from '../exit-codes.js';
import { withInterrupt } from '../interrupt.js';
import { formatBytes, formatDuration } from '../render/format.js';

interface ImportArgs {
  dir: string;
  takeout: string[];
  'dry-run': boolean;
  json: boolean;
  layout: string;
  tz: string;
  'set-mtime': boolean;
  albums: 'links' | 'none';
  'include-trashed': boolean;
  transfers: number;
  'max-entry-size': number;
  quiet: boolean;
  xmp: boolean;
}

export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <dir> <takeout..>',
  describe: 'Add Google Takeout exports (.zip, .tgz or extracted folders) to the archive',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'The archive folder (created if missing)' })
      .positional('takeout', { type: 'string', array: true, demandOption: true, describe: 'Takeout .zip/.tgz files or folders; give every part of an export at once' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Show what would be imported and change nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'Print NDJSON events; the last line is the summary' })
      .option('layout', { type: 'string', default: '{yyyy}/{mm}', describe: 'Folder template: {yyyy}, {mm}, {dd}' })
      .option('tz', { type: 'string', default: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', describe: 'Time zone for capture times without an EXIF offset' })
      .option('xmp', { type: 'boolean', default: true, describe: 'Write an XMP sidecar (NAME.EXT.xmp) beside each file for other photo tools (--no-xmp: none); the archive remembers the choice' })
      .option('set-mtime', { type: 'boolean', default: true, describe: "Set each file's mtime to its capture time" })
      .option('albums', { choices: ['links', 'none'] as const, default: 'links' as const, describe: 'Album views as relative symlinks under albums/, or none' })
      .option('include-trashed', { type: 'boolean', default: false, describe: 'Also import items from the trash folder' })
      .option('transfers', { type: 'number', default: 16, describe: 'Entries read in parallel (zip and folders)' })
      .option('max-entry-size', { type: 'number', default: DEFAULT_LIMITS.maxEntryBytes / 2 ** 20, describe: 'Refuse archive entries larger than this many MiB' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only problems and the summary' }),
  handler: async (args) => {
    validateTimeZone(args.tz);
    compileLayout(args.layout);
    if (!Number.isInteger(args.transfers) || args.transfers < 1 || args.transfers > 64) {
      throw new UsageError(`--transfers must be a whole number from 1 to 64, not ${String(args.transfers)}.`);
    }
    if (!(args['max-entry-size'] > 0)) throw new UsageError('--max-entry-size must be a positive number of MiB.');
    const render = args.json ? jsonRenderer() : textRenderer(args.quiet, args.dir);
    const summary = await withInterrupt((signal) =>
      runImport(
        {
          archiveDir: resolve(args.dir),
          inputs: args.takeout.map((t) => resolve(t)),
          dryRun: args['dry-run'],
          layout: args.layout,
          tz: args.tz,
          setMtime: args['set-mtime'],
          xmp: args.xmp,
          albums: args.albums,
          includeTrashed: args['include-trashed'],
          transfers: args.transfers,
          limits: { ...DEFAULT_LIMITS, maxEntryBytes: Math.floor(args['max-entry-size'] * 2 ** 20) },
        },
        { now: () => new Date(), signal, onEvent: render },
      ),
    );
    render({ event: 'summary', summary });
    if (summary.stoppedBy === 'interrupt') process.exitCode = EXIT.interrupted;
    else if (summary.failed > 0 || summary.archiveProblems > 0) process.exitCode = EXIT.incomplete;
  },
};

function jsonRenderer(): (e: ImportEvent) => void {
  // Byte ticks would flood the stream; 'imported' events carry each file's size.
  return (e) => {
    if (e.event !== 'progress') process.stdout.write(JSON.stringify(e) + '\n');
  };
}

function textRenderer(quiet: boolean, label: string): (e: ImportEvent) => void {
  const out = (s: string): boolean => process.stdout.write(s + '\n');
  const err = (s: string): boolean => process.stderr.write(s + '\n');
  const tty = process.stderr.isTTY === true && !quiet;
  let total = 0;
  let done = 0;
  const tick = (): void => {
    done++;
    if (tty) process.stderr.write(`\r\x1b[2K${done}/${total} entries`);
  };
  const clear = (): void => {
    if (tty) process.stderr.write('\r\x1b[2K');
  };
  const handlers: { [K in ImportEvent['event']]: (e: Extract<ImportEvent, { event: K }>) => void } = {
    indexed: (e) => {
      total = e.toImport;
      if (!quiet) out(`Found ${e.media} media files, ${e.sidecars} sidecars and ${e.albums} albums in ${e.inputs} inputs; ${e.toImport} to read.`);
    },
    imported: (e) => {
      tick();
      if (e.dateSource === 'none') {
        clear();
        err(`no date: ${e.entry} -> ${e.path}`);
      } else if (!tty && !quiet) out(`imported ${e.path} (${formatBytes(e.bytes)}, date from ${e.dateSource})`);
    },
    upgraded: (e) => {
      tick();
      if (!quiet) out(`upgraded ${e.path} to the original (${formatBytes(e.bytes)})`);
    },
    duplicate: (e) => {
      tick();
      if (!tty && !quiet) out(`duplicate ${e.entry} (already ${e.path})`);
    },
    skipped: (e) => {
      if (e.reason !== 'trashed') tick();
      if (!quiet || e.reason === 'ambiguous-identity') out(`skipped ${e.entry}: ${e.reason}${e.detail ? ` (${e.detail})` : ''}`);
    },
    problem: (e) => {
      clear();
      err(`problem: ${e.input ? `${e.input}: ` : ''}${e.entry ?? ''} ${e.reason}: ${e.detail}`);
    },
    plan: (e) => {
      if (!quiet) {
        const c = e.counts;
        out(`Plan: ${c.download} to import, ${c.upgrade} to upgrade to the original, ${c.present} already here` +
          (c.annotate ? `, ${c.annotate} with new metadata` : '') + (c.ambiguous ? `, ${c.ambiguous} ambiguous` : '') + '.');
      }
    },
    'planned-action': (e) => {
      const action = e.action === 'download' ? 'import' : e.action;
      if (!quiet) out(`would ${action}: ${e.path ?? e.filename ?? ''} (${e.reason}${e.detail ? `: ${e.detail}` : ''})`);
    },
    annotated: (e) => {
      if (!tty && !quiet) out(`updated ${e.fields.join(', ')} of ${e.path}`);
    },
    failed: (e) => {
      tick();
      clear();
      err(`failed: ${e.entry}: ${e.error}`);
    },
    progress: () => {},
    warning: (e) => {
      clear();
      err(`warning: ${e.message}`);
    },
    summary: (e) => {
      clear();
      process.stdout.write(renderImportSummary(e.summary, label));
    },
  };
  return (e) => (handlers[e.event] as (e: ImportEvent) => void)(e);
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
