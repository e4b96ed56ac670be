// `gphotos import DIR TAKEOUT...`: add Google Takeout exports (.zip, .tgz, folders) to the archive.
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { compileLayout } from '../../core/layout.js';
import { validateTimeZone } from '../../core/local-time.js';
import { runImport } from '../../engine/import-run.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_LIMITS } from '../../sources/takeout/input.js';
import { EXIT } from '../exit-codes.js';
import { withInterrupt } from '../interrupt.js';
import { globalFlags } from '../global-flags.js';
import { createImportText } from '../render/import-text.js';
import { createImportJsonRenderer } from '../render/json.js';

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
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing when all is well; problems, and the summary of a run that had them, still show' }),
  handler: async (args) => {
    validateTimeZone(args.tz);
    compileLayout(args.layout);
    if (!Number.isInteger(args.transfers) || args.transfers < 1 || args.transfers > 64) {
      throw new UsageError(`--transfers must be a whole number from 1 to 64, not ${String(args.transfers)}.`);
    }
    if (!(args['max-entry-size'] > 0)) throw new UsageError('--max-entry-size must be a positive number of MiB.');
    const output = args.json
      ? { sink: createImportJsonRenderer((l) => process.stdout.write(l)), close: () => {} }
      : createImportText({
          out: (s) => void process.stdout.write(s),
          err: (s) => void process.stderr.write(s),
          tty: process.stderr.isTTY === true,
          quiet: args.quiet,
          verbose: globalFlags.verbose,
          archiveLabel: args.dir,
        });
    const render = output.sink;
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
    ).finally(output.close);
    render({ event: 'summary', summary });
    if (summary.stoppedBy === 'interrupt') process.exitCode = EXIT.interrupted;
    else if (summary.failed > 0 || summary.archiveProblems > 0) process.exitCode = EXIT.incomplete;
  },
};
