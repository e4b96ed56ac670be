// `gphotos pick DIR`: the user picks photos in Google Photos (Picker API); gphotos archives them through the
// same plan/apply/manifest as sync, then deletes the picking session (also after Ctrl-C or a failure).
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv, CommandModule } from 'yargs';
import { openBrowser } from '../../auth/browser.js';
import { SCOPES, resolveEndpoints } from '../../config/endpoints.js';
import { NO_FILTER } from '../../core/filters.js';
import type { SyncSummary } from '../../engine/events.js';
import { runSync, type SyncOutcome } from '../../engine/sync-run.js';
import { AuthError, UsageError } from '../../errors.js';
import { GoogleApiClient } from '../../google/api-client.js';
import { PickerSource } from '../../sources/picker/picker-source.js';
import { MAX_PICK, PickerSessionApi } from '../../sources/picker/session.js';
import { connectTokens } from '../connect.js';
import { withInterrupt } from '../interrupt.js';
import { createJsonRenderer } from '../render/json.js';
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
    const tokens = await connectTokens(env);
    const granted = tokens.grantedScopes();
    if (granted.length > 0 && !granted.includes(SCOPES.picker)) {
      throw new AuthError('Your login does not allow the Google Photos Picker (scope photospicker.mediaitems.readonly).', {
        hint: 'Run `gphotos auth login` again and grant access to the photos you pick.',
      });
    }
    const client = new GoogleApiClient({ tokens });
    const baseUrl = resolveEndpoints(env).picker;
    const api = new PickerSessionApi({ client, baseUrl, accessToken: () => tokens.getAccessToken() });
    const output = createOutput({ json: args.json, quiet: args.quiet, archiveLabel: args.dir, label: 'pick' });
    const json = createJsonRenderer((l) => process.stdout.write(l));
    const say = (line: string): void => {
      if (args.json) json({ event: 'picker', message: line });
      else process.stderr.write(`${line}\n`);
    };
    try {
      const outcome = await withInterrupt(async (signal): Promise<SyncOutcome | undefined> => {
        const session = await api.create(args.max, signal);
        try {
          if (args.json) json({ event: 'picker-session', sessionId: session.id, pickerUri: session.pickerUri });
          else process.stderr.write(`Pick your photos in Google Photos, then press Done:\n  ${session.pickerUri}\n`);
          // The QR code goes to stderr with the link, so --json's stdout stays NDJSON.
          if (args.qr) process.stderr.write(renderQr(session.pickerUri));
          if (args.browser) {
            const warning = await openBrowser(session.pickerUri, env);
            if (warning !== undefined) output.sink({ event: 'warning', message: warning });
          }
          if (!args.json && !args.quiet) process.stderr.write('Waiting for you to finish picking (Ctrl-C to give up)…\n');
          await api.waitForPicking(session, {
            sleep: (ms) => sleep(ms, undefined, { signal }).catch(() => {}),
            now: Date.now,
            signal,
            ...(pollTimeout === undefined ? {} : { pollTimeoutMs: pollTimeout * 1000 }),
          });
          const source = new PickerSource({ client, baseUrl, sessionId: session.id });
          const picked = await source.load((info) => output.sink({ event: 'listing', items: info.items, pages: info.pages }), signal);
          if (picked.length === 0) {
            say('You picked nothing; nothing changed.');
            return undefined;
          }
          return await runSync(
            {
              archiveDir: resolve(args.dir),
              dryRun: args['dry-run'],
              layout: args.layout,
              tz: args.tz,
              filter: NO_FILTER,
              setMtime: true,
              xmp: args.xmp,
              force: false,
              transfers: args.transfers,
              command: 'pick',
            },
            {
              source,
              now: () => new Date(),
              sleep: (ms) => sleep(ms, undefined, { signal }).catch(() => {}),
              signal,
              onEvent: output.sink,
              counters: () => ({ ...client.counters }),
            },
          );
        } finally {
          // Google asks clients to delete sessions when done; a stale one counts against the user's open sessions.
          if (!(await api.delete(session.id))) output.sink({ event: 'warning', message: `Could not delete picking session ${session.id}; it expires on its own.` });
        }
      });
      if (outcome === undefined) {
        output.sink({ event: 'summary', summary: emptySummary(args['dry-run'], client.counters) });
        return;
      }
      reportOutcome(outcome, output.sink, args['dry-run']);
    } finally {
      output.close();
    }
  },
};

function emptySummary(dryRun: boolean, c: { apiCalls: number; byteCalls: number; retries: number }): SyncSummary {
  return {
    dryRun,
    listed: 0,
    downloaded: 0,
    bytes: 0,
    alreadyPresent: 0,
    restamped: 0,
    linked: 0,
    upgraded: 0,
    downgraded: 0,
    sameBytes: 0,
    annotated: 0,
    pendingVideos: 0,
    failed: 0,
    remaining: 0,
    drift: { remoteGone: 0, changedOnDisk: 0, ambiguous: 0, failedVideos: 0, originalMissing: 0 },
    apiCalls: c.apiCalls,
    byteCalls: c.byteCalls,
    retries: c.retries,
    elapsedMs: 0,
    failures: [],
  };
}
