// `gphotos watch DIR`: keep the archive in sync for months: a sync at start, every --interval and on local
// changes; a Takeout inbox; a daily request budget. Stopped by SIGINT/SIGTERM: the in-flight cycle is aborted
// like a sync (files cleaned up, manifest flushed, lock released) and the exit code is 0 (see docs/exit-codes.md).
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { makeFilter } from '../../core/filters.js';
import { UsageError } from '../../errors.js';
import { checkReportTarget, writeReport } from '../../report/write-report.js';
import { DEFAULT_LIMITS } from '../../sources/takeout/input.js';
import { parseDuration } from '../../watch/duration.js';
import { DEFAULT_BUDGET, parseBudget } from '../../watch/quota-ledger.js';
import { runWatch } from '../../watch/watch-loop.js';
import { connectLibrary } from '../connect.js';
import { globalFlags } from '../global-flags.js';
import { stderrProgress } from '../render/progress.js';
import { createWatchJsonRenderer } from '../render/json.js';
import { textWatchRenderer } from '../render/watch.js';
import { withInterrupt } from '../interrupt.js';
import {
  archiveDirPositional, filingOptions, jsonOption, mediaOption, quietOption, transfersOption,
  type ArchiveArgs, type FilingArgs, type JsonArgs, type MediaArgs, type QuietArgs, type TransfersArgs,
} from '../shared-options.js';

interface WatchArgs extends ArchiveArgs, JsonArgs, FilingArgs, MediaArgs, TransfersArgs, QuietArgs {
  interval: string;
  'takeout-inbox'?: string;
  'takeout-stable': string;
  'daily-budget': string;
  'local-watch': boolean;
  debounce: string;
  'max-cycles'?: number;
  report?: string;
}

export const watchCommand: CommandModule<object, WatchArgs> = {
  command: 'watch <dir>',
  describe: 'Keep the archive in sync: a sync every --interval and on local changes, plus a Takeout inbox',
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('create'))
      .options({
        interval: { type: 'string', default: '1h', describe: 'Time between syncs: 30s, 15m, 1h…' },
        'takeout-inbox': { type: 'string', describe: 'Import Google Takeout archives that appear in this folder' },
        'takeout-stable': { type: 'string', default: '1m', describe: 'An inbox archive is complete when unchanged this long' },
        'daily-budget': { type: 'string', default: `${DEFAULT_BUDGET.api},${DEFAULT_BUDGET.bytes}`, describe: 'API requests,downloads per Pacific day (Google allows 10000,75000)' },
        'local-watch': { type: 'boolean', default: true, describe: 'Notice files deleted or changed in the archive (--no-local-watch: only the interval)' },
        ...jsonOption('Print NDJSON events, one per line'),
        ...filingOptions('Time zone for capture times without EXIF'),
        ...mediaOption(),
        ...transfersOption(),
        report: { type: 'string', describe: 'Write `gphotos report` to this file after the first cycle and each one that changed something' },
        ...quietOption('Print nothing when all is well; failures, local damage, warnings and errors still show'),
        debounce: { type: 'string', default: '2s', hidden: true },
        'max-cycles': { type: 'number', hidden: true },
      }) as unknown as Argv<WatchArgs>,
  handler: async (args) => {
    const intervalMs = parseDuration(args.interval, '--interval');
    const debounceMs = parseDuration(args.debounce, '--debounce');
    const stableMs = parseDuration(args['takeout-stable'], '--takeout-stable');
    const budget = parseBudget(args['daily-budget']);
    if (budget === undefined) throw new UsageError(`--daily-budget must be API,DOWNLOADS such as 9000,70000, not ${JSON.stringify(args['daily-budget'])}.`);
    const maxCycles = args['max-cycles'];
    if (maxCycles !== undefined && (!Number.isInteger(maxCycles) || maxCycles < 1)) throw new UsageError('--max-cycles must be a whole number above 0.');
    const archiveDir = resolve(args.dir);
    const onEvent = args.json
      ? createWatchJsonRenderer((l) => process.stdout.write(l))
      : textWatchRenderer({
          out: (s) => void process.stdout.write(s),
          err: (s) => void process.stderr.write(s),
          quiet: args.quiet,
          verbose: globalFlags.verbose,
          tty: process.stderr.isTTY === true,
          progress: stderrProgress(!args.quiet, { label: 'watch', done: 0, unit: 'downloaded', bytes: 0 }),
        });
    const report = args.report === undefined ? undefined : resolve(args.report);
    if (report !== undefined) await checkReportTarget(archiveDir, report, true);
    if (args['takeout-inbox'] !== undefined) await mkdir(resolve(args['takeout-inbox']), { recursive: true });
    const conn = await connectLibrary(process.env);
    await withInterrupt((signal) =>
      runWatch(
        {
          archiveDir,
          intervalMs,
          debounceMs,
          budget,
          localWatch: args['local-watch'],
          ...(maxCycles === undefined ? {} : { maxCycles }),
          ...(report === undefined ? {} : { afterChange: async () => void (await writeReport({ archiveDir, archiveLabel: args.dir, out: report, outGiven: true, now: () => new Date() })) }),
          sync: {
            layout: args.layout,
            tz: args.tz,
            filter: makeFilter({ skipDates: [], media: args.media }),
            setMtime: args['set-mtime'],
            xmp: args.xmp,
            force: false,
            transfers: args.transfers,
          },
          ...(args['takeout-inbox'] === undefined
            ? {}
            : {
                takeout: {
                  inbox: resolve(args['takeout-inbox']),
                  stableMs,
                  import: {
                    layout: args.layout, tz: args.tz, setMtime: args['set-mtime'], xmp: args.xmp, albums: 'links' as const, includeTrashed: false, transfers: 8, limits: DEFAULT_LIMITS,
                  },
                },
              }),
        },
        { source: conn.source, counters: () => conn.counters(), now: () => new Date(), signal, onEvent },
      ),
    );
  },
};
