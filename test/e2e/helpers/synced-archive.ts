// The setup the e2e tests of an existing archive share: an emulator, a config dir signed in to it, and one archive synced from it.
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../../src/emulator/api.js';
import { startEmulator } from '../../../src/emulator/server.js';
import { archiveFiles, gphotos, signedIn, type CliEnv } from '../../helpers/cli.js';

export interface SyncedArchive {
  emulator: Emulator;
  cli: CliEnv;
  /** The archive: `folder` under cli.home. */
  archive: string;
  /** archiveFiles(archive) right after the first sync. */
  files: string[];
  /** stdout of that first `gphotos sync --json` (NDJSON). */
  syncStdout: string;
}

/**
 * Call inside a describe(): its beforeAll starts an emulator with `options`, signs in and runs
 * `gphotos sync <home>/<folder> --tz UTC --json`, which must exit 0; its afterAll stops the emulator and
 * removes the config dir. The returned object's fields are set once beforeAll has run (read them in tests and hooks).
 */
export function syncedArchive(options: EmulatorOptions, folder = 'Photos'): SyncedArchive {
  const fx = {} as SyncedArchive; // filled in by beforeAll
  beforeAll(async () => {
    fx.emulator = await startEmulator(options);
    fx.cli = await signedIn(fx.emulator);
    fx.archive = join(fx.cli.home, folder);
    const sync = await gphotos(['sync', fx.archive, '--tz', 'UTC', '--json'], fx.cli.env);
    expect(sync.exitCode).toBe(0);
    fx.syncStdout = String(sync.stdout);
    fx.files = await archiveFiles(fx.archive);
  });
  afterAll(async () => {
    await fx.emulator.stop();
    await fx.cli.cleanup();
  });
  return fx;
}
