// `gphotos import DIR TAKEOUT...`: add Google Takeout exports (.zip, .tgz, folders) to the archive.
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { runImport } from '../../engine/import-run.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_LIMITS } from '../../sources/takeout/input.js';
import { EXIT } from '../exit-codes.js';
import { withInterrupt } from '../interrupt.js';
import { globalFlags } from '../global-flags.js';
import { createImportText } from '../render/import-text.js';
import { createImportJsonRenderer } from '../render/json.js';
import {
  archiveDirPositional, dryRunOption, filingOptions, jsonOption, NDJSON_WITH_SUMMARY, quietOption, transfersOption,
  type ArchiveArgs, type DryRunArgs, type FilingArgs, type JsonArgs, type QuietArgs, type TransfersArgs,
} from '../shared-options.js';

interface ImportArgs extends ArchiveArgs, DryRunArgs, JsonArgs, FilingArgs, TransfersArgs, QuietArgs {
  takeout: string[];
  albums: 'links' | 'none';
  'include-trashed': boolean;
  'max-entry-size': number;
}

export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <dir> <takeout..>',
  describe: 'Add Google Takeout exports (.zip, .tgz or extracted folders) to the archive',
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('create'))
      .positional('takeout', { type: 'string', array: true, demandOption: true, describe: 'Takeout .zip/.tgz files or folders; give every part of an export at once' })
      .options({
        ...dryRunOption('Show what would be imported and change nothing'),
        ...jsonOption(NDJSON_WITH_SUMMARY),
        ...filingOptions('Time zone for capture times without an EXIF offset'),
        albums: { choices: ['links', 'none'] as const, default: 'links' as const, describe: 'Album views as relative symlinks under albums/, or none' },
        'include-trashed': { type: 'boolean', default: false, describe: 'Also import items from the trash folder' },
        ...transfersOption('Entries read in parallel (zip and folders)', 16),
        'max-entry-size': { type: 'number', default: DEFAULT_LIMITS.maxEntryBytes / 2 ** 20, describe: 'Refuse archive entries larger than this many MiB' },
        ...quietOption('Print nothing when all is well; problems, and the summary of a run that had them, still show'),
      }),
  handler: async (args) => {
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
