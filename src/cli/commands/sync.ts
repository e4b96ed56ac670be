// `gphotos sync DIR`: bring the archive up to date with every source it is set up with: the Takeout folders it
// remembers (originals first), then the Library API.
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv, CommandModule } from 'yargs';
import { makeFilter } from '../../core/filters.js';
import { runSync } from '../../engine/sync-run.js';
import type { RemoteItem } from '../../core/types.js';
import { connectLibrary } from '../connect.js';
import { reportOutcome } from '../report-outcome.js';
import { createOutput } from '../output.js';
import { withInterrupt } from '../interrupt.js';
import { takeoutFromFolders } from '../takeout-folders.js';
import {
  archiveDirPositional, dryRunOption, filingOptions, jsonOption, mediaOption, NDJSON_WITH_SUMMARY, quietOption, transfersOption,
  type ArchiveArgs, type DryRunArgs, type FilingArgs, type JsonArgs, type MediaArgs, type QuietArgs, type TransfersArgs,
} from '../shared-options.js';

interface SyncArgs extends ArchiveArgs, DryRunArgs, JsonArgs, FilingArgs, MediaArgs, TransfersArgs, QuietArgs {
  from?: string;
  to?: string;
  'skip-dates'?: string[];
  force: boolean;
  'forget-token': boolean;
  adopt?: string[];
  'allow-downgrade': boolean;
  'takeout-folder'?: string[];
  'forget-takeout-folder'?: string[];
}

export const syncCommand: CommandModule<object, SyncArgs> = {
  command: 'sync <dir>',
  describe: 'Download what the archive is missing from the Library API',
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('create'))
      .options({
        ...dryRunOption(),
        ...jsonOption(NDJSON_WITH_SUMMARY),
        ...filingOptions('Time zone for capture times without EXIF (IANA name or UTC)'),
        from: { type: 'string', describe: 'Only items captured on or after YYYY-MM-DD' },
        to: { type: 'string', describe: 'Only items captured on or before YYYY-MM-DD' },
        'skip-dates': { type: 'string', array: true, describe: 'Skip items captured in A..B (YYYY-MM-DD..YYYY-MM-DD); repeatable' },
        ...mediaOption(),
        ...transfersOption(),
        force: { type: 'boolean', default: false, describe: 'Trust a listing much smaller than the archive remembers' },
        'takeout-folder': { type: 'string', array: true, describe: 'Also reconcile the takeout-*.zip/.tgz exports in this folder, now and in every later sync (remembered); repeatable' },
        'forget-takeout-folder': { type: 'string', array: true, describe: 'Stop reconciling a remembered Takeout folder' },
        'allow-downgrade': { type: 'boolean', default: false, describe: 'Fetch the API copy of a Takeout original that is missing on disk (reported; otherwise only reported)' },
        'forget-token': { type: 'boolean', default: false, describe: 'Delete the stored login when the run ends' },
        adopt: { type: 'string', array: true, describe: 'First record files another tool downloaded into these folders (see `gphotos adopt`); repeatable' },
        ...quietOption("Print nothing when all is well; warnings, failures and a troubled run's summary still show"),
      }) as unknown as Argv<SyncArgs>,
  handler: async (args) => {
    const tz = args.tz;
    const filter = makeFilter({
      ...(args.from === undefined ? {} : { from: args.from }),
      ...(args.to === undefined ? {} : { to: args.to }),
      skipDates: args['skip-dates'] ?? [],
      media: args.media,
    });
    const archiveDir = resolve(args.dir);
    const output = createOutput({ json: args.json, quiet: args.quiet, archiveLabel: args.dir });
    const conn = await connectLibrary(process.env);
    try {
      const from = args.adopt ?? [];
      if (from.length > 0 && !args['dry-run']) {
        // Files that match a listed item are recorded (and moved into the layout) so the sync below skips them.
        const { adopt } = await import('../../engine/adopt.js'); // its scanner is needed only here
        const r = await adopt({
          archiveDir,
          from,
          inPlace: false,
          xmp: args.xmp,
          layout: args.layout,
          tz,
          now: () => new Date(),
          listRemote: async () => {
            const items: RemoteItem[] = [];
            for await (const item of conn.source.list()) items.push(item);
            return items;
          },
        });
        output.sink({
          event: 'adopted',
          adopted: r.adopted.length,
          alreadyArchived: r.alreadyArchived.length,
          ambiguous: r.ambiguous.length,
          unmatched: r.unmatched.length,
          failed: r.failed.length,
        });
      }
      const takeout = await takeoutFromFolders({
        archiveDir, add: args['takeout-folder'] ?? [], forget: args['forget-takeout-folder'] ?? [], dryRun: args['dry-run'], tz, sink: output.sink,
      });
      let outcome;
      try {
        outcome = await withInterrupt((signal) =>
          runSync(
            {
              archiveDir,
              dryRun: args['dry-run'],
              layout: args.layout,
              tz,
              filter,
              setMtime: args['set-mtime'],
              xmp: args.xmp,
              force: args.force,
              transfers: args.transfers,
              allowDowngrade: args['allow-downgrade'],
              albumLinks: takeout.sources.length > 0,
            },
            {
              source: conn.source,
              first: takeout.sources,
              now: () => new Date(),
              sleep: (ms) => sleep(ms, undefined, { signal }).catch(() => {}),
              signal,
              onEvent: output.sink,
              counters: () => conn.counters(),
            },
          ),
        );
      } finally {
        await takeout.close();
      }
      reportOutcome(outcome, output.sink, args['dry-run']);
    } finally {
      output.close();
      if (args['forget-token']) await conn.forgetToken();
    }
  },
};
