// `sync --quiet` is for cron, which mails whatever a job prints: nothing at all when the run went well, the
// summary (and the problems on stderr) when it did not. -v is accepted by every command.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { gphotos, signedIn, type CliEnv } from '../helpers/cli.js';

let emulator: Emulator;
let cli: CliEnv;
beforeAll(async () => {
  // The library's usual oddities (videos still processing, failed videos, gone items) are drift, not trouble.
  emulator = await startEmulator({ items: 40, seed: 2 });
  cli = await signedIn(emulator);
});
afterAll(async () => {
  await emulator.stop();
  await cli.cleanup();
});

describe('sync --quiet', () => {
  it('prints nothing, on stdout or stderr, when the first sync and a no-op sync go well', async () => {
    const archive = join(cli.home, 'Photos');
    for (let run = 0; run < 2; run++) {
      const r = await gphotos(['sync', archive, '--tz', 'UTC', '--quiet'], cli.env);
      expect(r.exitCode).toBe(0);
      expect(String(r.stdout)).toBe('');
      expect(String(r.stderr)).toBe('');
    }
    // Without --quiet the same no-op run reports itself.
    const loud = await gphotos(['sync', archive, '--tz', 'UTC'], cli.env);
    expect(String(loud.stdout)).toContain(`Synced ${archive}`);
  });

  it('still prints the summary when the run is in trouble (quota spent: exit 75)', async () => {
    const small = await startEmulator({ items: 40, seed: 2, quota: { apiPerDay: 10_000, bytesPerDay: 5 } });
    const env = await signedIn(small);
    try {
      const r = await gphotos(['sync', join(env.home, 'Photos'), '--tz', 'UTC', '--quiet'], env.env);
      expect(r.exitCode).toBe(75);
      expect(String(r.stdout)).toContain("Stopped: Google's daily quota is spent.");
    } finally {
      await small.stop();
      await env.cleanup();
    }
  });
});

describe('-v / --verbose', () => {
  it('is accepted before or after any command', async () => {
    const archive = join(cli.home, 'Photos');
    expect((await gphotos(['-v', 'status', archive], cli.env)).exitCode).toBe(0);
    const sync = await gphotos(['sync', archive, '--tz', 'UTC', '--verbose'], cli.env);
    expect(sync.exitCode).toBe(0);
    expect((await gphotos(['auth', 'status', '-v'], cli.env)).exitCode).toBe(0);
  });
});
