// `gphotos pick DIR`: the user picks photos in Google Photos (Picker API); the engine's pick workflow
// (engine/pick-run.ts) archives them through the same plan/apply/manifest as sync.
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv, CommandModule } from 'yargs';
import { openBrowser } from '../../auth/browser.js';
import type { PickEvent } from '../../engine/pick-events.js';
import { runPick } from '../../engine/pick-run.js';
import { UsageError } from '../../errors.js';
import { MAX_PICK } from '../../sources/picker/session.js';
import { connectPicker } from '../connect.js';
import { withInterrupt } from '../interrupt.js';
import { renderQr } from '../render/qr.js';
import { reportOutcome } from '../report-outcome.js';
import { createOutput } from '../output.js';
import {
  archiveDirPositional, dryRunOption, jsonOption, layoutOption, NDJSON_WITH_SUMMARY, quietOption, transfersOption, tzOption, xmpOption,
  type ArchiveArgs, type DryRunArgs, type JsonArgs, type QuietArgs, type TransfersArgs,
} from '../shared-options.js';

interface PickArgs extends ArchiveArgs, DryRunArgs, JsonArgs, TransfersArgs, QuietArgs {
  max?: number;
  browser: boolean;
  qr: boolean;
  'poll-timeout'?: number;
  layout: string;
  tz: string;
  xmp: boolean;
}

export const pickCommand: CommandModule<object, PickArgs> = {
  command: 'pick <dir>',
  describe: 'Pick photos in Google Photos (Picker) and archive them',
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('create'))
      .options({
        max: { type: 'number', describe: `At most this many items (1..${MAX_PICK}; default ${MAX_PICK})` },
        browser: { type: 'boolean', default: true, describe: 'Open the picker in a browser (--no-browser only prints the link)' },
        qr: { type: 'boolean', default: false, describe: 'Also draw the link as a QR code, to pick on a phone' },
        'poll-timeout': { type: 'number', describe: 'Stop waiting for the picking after this many seconds (default: as long as Google allows)' },
        ...dryRunOption(),
        ...jsonOption(NDJSON_WITH_SUMMARY),
        ...xmpOption(),
        ...layoutOption(),
        ...tzOption('Time zone for capture times without EXIF'),
        ...transfersOption(),
        ...quietOption('Print only the picker link, warnings, failures and the summary'),
      }) as unknown as Argv<PickArgs>,
  handler: async (args) => {
    if (args.max !== undefined && (!Number.isInteger(args.max) || args.max < 1 || args.max > MAX_PICK)) {
      throw new UsageError(`--max must be a whole number from 1 to ${MAX_PICK}, not ${String(args.max)}.`);
    }
    const pollTimeout = args['poll-timeout'];
    if (pollTimeout !== undefined && !(pollTimeout > 0)) throw new UsageError(`--poll-timeout must be a number of seconds above 0, not ${String(pollTimeout)}.`);

    const env = process.env;
    const picker = await connectPicker(env);
    const output = createOutput({ json: args.json, quiet: args.quiet, archiveLabel: args.dir, label: 'pick' });
    const onEvent = (e: PickEvent): void => {
      output.sink(e);
      // The QR code goes to stderr under the link, so --json's stdout stays NDJSON.
      if (e.event === 'picker-session' && args.qr) process.stderr.write(renderQr(e.pickerUri));
    };
    try {
      const outcome = await withInterrupt((signal) =>
        runPick(
          {
            archiveDir: resolve(args.dir),
            dryRun: args['dry-run'],
            layout: args.layout,
            tz: args.tz,
            xmp: args.xmp,
            transfers: args.transfers,
            ...(args.max === undefined ? {} : { max: args.max }),
            ...(pollTimeout === undefined ? {} : { pollTimeoutMs: pollTimeout * 1000 }),
          },
          {
            ...picker,
            ...(args.browser ? { openLink: (uri: string) => openBrowser(uri, env) } : {}),
            now: () => new Date(),
            sleep: (ms) => sleep(ms, undefined, { signal }).catch(() => {}),
            signal,
            onEvent,
          },
        ),
      );
      reportOutcome(outcome, output.sink, args['dry-run']);
    } finally {
      output.close();
    }
  },
};
