// `gphotos sync DIR`: bring the archive up to date with every source it is set up with: the Takeout folders it
// remembers (originals first), then the Library API.
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv, CommandModule } from 'yargs';
import { makeFilter } from '../../core/filters.js';
import { compileLayout } from '../../core/layout.js';
import { validateTimeZone } from '../../core/local-time.js';
import { adopt } from '../../engine/adopt.js';
import { runSync } from '../../engine/sync-run.js';
import type { RemoteItem } from '../../core/types.js';
import { UsageError } from '../../errors.js';
import { connectLibrary } from '../connect.js';
import { reportOutcome } from '../report-outcome.js';
import { createOutput } from '../output.js';
import { withInterrupt } from '../interrupt.js';
import { takeoutFromFolders } from '../takeout-folders.js';

interface SyncArgs {
  dir: string;
  'dry-run': boolean;
  json: boolean;
  layout: string;
  tz: string;
  'set-mtime': boolean;
  from?: string;
  to?: string;
  'skip-dates'?: string[];
  media: 'all' | 'photos' | 'videos';
  transfers: number;
  force: boolean;
  'forget-token': boolean;
  quiet: boolean;
  adopt?: string[];
  'allow-downgrade': boolean;
  xmp: boolean;
  'takeout-folder'?: string[];
  'forget-takeout-folder'?: string[];
}

export const DEFAULT_TRANSFERS = 32;

export const syncCommand: CommandModule<object, SyncArgs> = {
  command: 'sync <dir>',
  describe: 'Download what the archive is missing from the Library API',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'The archive folder (created if missing)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan and change nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'Print NDJSON events; the last line is the summary' })
      .option('layout', { type: 'string', default: '{yyyy}/{mm}', describe: 'Folder template: {yyyy}, {mm}, {dd}' })
      .option('tz', { type: 'string', default: localZone(), describe: 'Time zone for capture times without EXIF (IANA name or UTC)' })
      .option('xmp', { type: 'boolean', default: true, describe: 'Write an XMP sidecar (NAME.EXT.xmp) beside each file for other photo tools (--no-xmp: none); the archive remembers the choice' })
      .option('set-mtime', { type: 'boolean', default: true, describe: 'Set each file\'s mtime to its capture time (--no-set-mtime to keep download time)' })
      .option('from', { type: 'string', describe: 'Only items captured on or after YYYY-MM-DD' })
      .option('to', { type: 'string', describe: 'Only items captured on or before YYYY-MM-DD' })
      .option('skip-dates', { type: 'string', array: true, describe: 'Skip items captured in A..B (YYYY-MM-DD..YYYY-MM-DD); repeatable' })
      .option('media', { choices: ['all', 'photos', 'videos'] as const, default: 'all' as const, describe: 'Which media to archive' })
      .option('transfers', { type: 'number', default: DEFAULT_TRANSFERS, describe: 'Downloads in parallel' })
      .option('force', { type: 'boolean', default: false, describe: 'Trust a listing much smaller than the archive remembers' })
      .option('takeout-folder', { type: 'string', array: true, describe: 'Also reconcile the takeout-*.zip/.tgz exports in this folder, now and in every later sync (remembered); repeatable' })
      .option('forget-takeout-folder', { type: 'string', array: true, describe: 'Stop reconciling a remembered Takeout folder' })
      .option('allow-downgrade', { type: 'boolean', default: false, describe: 'Fetch the API copy of a Takeout original that is missing on disk (reported; otherwise only reported)' })
      .option('forget-token', { type: 'boolean', default: false, describe: 'Delete the stored login when the run ends' })
      .option('adopt', { type: 'string', array: true, describe: 'First record files another tool downloaded into these folders (see `gphotos adopt`); repeatable' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing when all is well; warnings, failures and a troubled run\'s summary still show' }) as unknown as Argv<SyncArgs>,
  handler: async (args) => {
    const tz = args.tz;
    validateTimeZone(tz);
    compileLayout(args.layout);
    const filter = makeFilter({
      ...(args.from === undefined ? {} : { from: args.from }),
      ...(args.to === undefined ? {} : { to: args.to }),
      skipDates: args['skip-dates'] ?? [],
      media: args.media,
    });
    if (!Number.isInteger(args.transfers) || args.transfers < 1 || args.transfers > 64) {
      throw new UsageError(`--transfers must be a whole number from 1 to 64, not ${String(args.transfers)}.`);
    }
    const archiveDir = resolve(args.dir);
    const output = createOutput({ json: args.json, quiet: args.quiet, archiveLabel: args.dir });
    const conn = await connectLibrary(process.env);
    try {
      const from = args.adopt ?? [];
      if (from.length > 0 && !args['dry-run']) {
        // Files that match a listed item are recorded (and moved into the layout) so the sync below skips them.
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

function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
