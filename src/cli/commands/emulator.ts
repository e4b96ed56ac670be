// `gphotos emulator`: run the local stand-in for Google (OAuth, Library API, byte host) until interrupted,
// printing the environment that points gphotos (or anything else) at it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { EmulatorOptions } from '../../emulator/api.js';
import { startEmulator } from '../../emulator/server.js';

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
      .option('pick', { type: 'number', default: 0, describe: 'Play the Picker user: pick the first N items of every session (0: never finish picking)' }),
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
    const emulator = await startEmulator(opts);
    if (args.pick > 0) {
      emulator.picker.autoPick = emulator.items.slice(0, args.pick).map((i) => i.id);
      emulator.picker.pollIntervalSec = 1;
    }
    const dir = mkdtempSync(join(tmpdir(), 'gphotos-emulator-'));
    const secretPath = join(dir, 'client_secret.json');
    writeFileSync(secretPath, JSON.stringify(emulator.clientSecretJson, null, 2) + '\n', { mode: 0o600 });

    const out = (line: string): void => void process.stdout.write(line + '\n');
    out(`gphotos emulator listening on http://127.0.0.1:${emulator.port} (${emulator.items.length} items, seed ${args.seed})`);
    for (const [name, url] of Object.entries(emulator.urls)) out(`  ${name.padEnd(9)} ${url}`);
    out('');
    out('# Point gphotos at it:');
    for (const [key, value] of Object.entries(emulator.env)) out(`export ${key}=${shellQuote(value)}`);
    out(`export GPHOTOS_CLIENT_SECRET=${shellQuote(secretPath)}`);
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
