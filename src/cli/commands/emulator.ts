// `gphotos emulator`: run the local stand-in for Google (OAuth, Library API, byte host) until interrupted,
// printing the environment that points gphotos (or anything else) at it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import type { EmulatorOptions } from '../../emulator/api.js';
import { startEmulator } from '../../emulator/server.js';
import { SIDECAR_STYLES, TAKEOUT_FORMATS, TakeoutExportError, writeTakeoutExport } from '../../emulator/takeout-export.js';
import type { TakeoutFormat } from '../../emulator/takeout-export.js';
import type { SidecarStyle } from '../../emulator/takeout-names.js';

interface EmulatorArgs {
  port: number;
  items: number;
  seed: number;
  latency: number;
  'rate-429': number;
  'rate-5xx': number;
  'rate-reset': number;
  'rate-truncate': number;
  'api-per-day': number;
  'bytes-per-day': number;
  'token-ttl': number;
  'base-url-ttl': number;
  pick: number;
  'takeout-out': string | undefined;
  'takeout-format': TakeoutFormat;
  'takeout-part-mb': number;
  'takeout-sidecars': SidecarStyle | 'mixed';
  'takeout-trashed': number;
  serve: boolean;
}

export const emulatorCommand: CommandModule<object, EmulatorArgs> = {
  command: 'emulator',
  describe: 'Run a local, faithful Google Photos emulator (for tests and demos)',
  builder: (y: Argv) =>
    y
      .option('port', { type: 'number', default: 0, describe: 'Port on 127.0.0.1 (0 picks a free one)' })
      .option('items', { type: 'number', default: 300, describe: 'Number of generated library items' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of the deterministic library and faults' })
      .option('latency', { type: 'number', default: 0, describe: 'Added delay per API/byte request, ms' })
      .option('rate-429', { type: 'number', default: 0, describe: 'Fraction of requests answered 429 with Retry-After' })
      .option('rate-5xx', { type: 'number', default: 0, describe: 'Fraction of requests answered 500/503' })
      .option('rate-reset', { type: 'number', default: 0, describe: 'Fraction of downloads reset mid-body' })
      .option('rate-truncate', { type: 'number', default: 0, describe: 'Fraction of downloads cut short' })
      .option('api-per-day', { type: 'number', default: 10_000, describe: 'Daily Library API request quota' })
      .option('bytes-per-day', { type: 'number', default: 75_000, describe: 'Daily media-bytes request quota' })
      .option('token-ttl', { type: 'number', default: 3599, describe: 'Access token lifetime, seconds' })
      .option('base-url-ttl', { type: 'number', default: 3600, describe: 'baseUrl lifetime, seconds' })
      .option('pick', { type: 'number', default: 0, describe: 'Play the Picker user: pick the first N items of every session (0: never finish picking)' })
      .option('takeout-out', { type: 'string', describe: 'Also write a Google Takeout export of the same library (originals, sidecars, albums) into this folder' })
      .option('takeout-format', { choices: TAKEOUT_FORMATS, default: 'zip' as const, describe: 'Takeout archive format (dir: an extracted Takeout folder)' })
      .option('takeout-part-mb', { type: 'number', default: 2000, describe: 'Split the Takeout into parts of at most this many MB (Takeout: 2 GB default)' })
      .option('takeout-sidecars', { choices: SIDECAR_STYLES, default: 'supplemental' as const, describe: 'Sidecar names: NAME.json (legacy), NAME.supplemental-metadata.json (2024+), or mixed' })
      .option('takeout-trashed', { type: 'number', default: 0, describe: 'Trashed items to add to the Takeout (in its Trash folder; the API never lists them)' })
      .option('serve', { type: 'boolean', default: true, describe: 'Serve the API after writing the Takeout (--no-serve: write it and exit)' }),
  handler: async (args) => {
    const opts: EmulatorOptions = {
      port: args.port,
      items: args.items,
      seed: args.seed,
      baseUrlTtlSec: args['base-url-ttl'],
      faults: { latencyMs: args.latency, rate429: args['rate-429'], rate5xx: args['rate-5xx'], rateReset: args['rate-reset'], rateTruncate: args['rate-truncate'] },
      quota: { apiPerDay: args['api-per-day'], bytesPerDay: args['bytes-per-day'] },
      oauth: { accessTokenTtlSec: args['token-ttl'] },
    };
    const out = (line: string): void => void process.stdout.write(line + '\n');
    if (!args.serve && args['takeout-out'] === undefined) throw new UsageError('--no-serve only makes sense with --takeout-out DIR.', { hint: 'Give --takeout-out DIR, or drop --no-serve.' });
    const emulator = await startEmulator(opts);
    if (args['takeout-out'] !== undefined) {
      try {
        const takeout = await writeTakeoutExport(emulator, {
          outDir: resolve(args['takeout-out']),
          format: args['takeout-format'],
          maxPartBytes: Math.round(args['takeout-part-mb'] * 1_000_000),
          sidecarStyle: args['takeout-sidecars'],
          trashed: args['takeout-trashed'],
        });
        out(`Takeout export of the same library (${takeout.items} items, ${takeout.trashed} trashed):`);
        for (const f of takeout.files) out(`  ${f}`);
        out('');
      } catch (err) {
        await emulator.stop();
        throw err instanceof TakeoutExportError ? new UsageError(err.message, err.hint === undefined ? {} : { hint: err.hint }) : err;
      }
      if (!args.serve) {
        await emulator.stop();
        return;
      }
    }
    if (args.pick > 0) {
      emulator.picker.autoPick = emulator.items.slice(0, args.pick).map((i) => i.id);
      emulator.picker.pollIntervalSec = 1;
    }
    const dir = mkdtempSync(join(tmpdir(), 'gphotos-emulator-'));
    const secretPath = join(dir, 'client_secret.json');
    writeFileSync(secretPath, JSON.stringify(emulator.clientSecretJson, null, 2) + '\n', { mode: 0o600 });

    out(`gphotos emulator listening on http://127.0.0.1:${emulator.port} (${emulator.items.length} items, seed ${args.seed})`);
    for (const [name, url] of Object.entries(emulator.urls)) out(`  ${name.padEnd(9)} ${url}`);
    out('');
    out('# Point gphotos at it:');
    for (const [key, value] of Object.entries(emulator.env)) out(`export ${key}=${shellQuote(value)}`);
    out(`export GPHOTOS_CLIENT_SECRET=${shellQuote(secretPath)}`);
    // A config dir of its own, removed with the emulator: signing in to it never touches the real login.
    out(`export GPHOTOS_CONFIG_DIR=${shellQuote(join(dir, 'config'))}`);
    out('');
    out('Press Ctrl-C to stop.');

    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write('gphotos emulator stopped\n');
  },
};

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
