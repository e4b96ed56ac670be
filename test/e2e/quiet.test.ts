// `--quiet` is for cron, which mails whatever a job prints: nothing at all when the run went well, the
// summary (and the problems on stderr) when it did not; for sync, import, verify and watch. -v is accepted by every command.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { archiveFiles, gphotos, signedIn, type CliEnv } from '../helpers/cli.js';

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

describe('import, verify and watch --quiet', () => {
  it('import: nothing when the Takeout goes in well (the summary shows without --quiet)', async () => {
    const out = join(cli.home, 'Downloads');
    const w = await gphotos(['emulator', '--items', '40', '--seed', '2', '--takeout-out', out, '--takeout-part-mb', '0.5', '--no-serve'], cli.env);
    expect(w.exitCode, String(w.stderr)).toBe(0);
    const parts = [...String(w.stdout).matchAll(/^ {2}(\S+\.zip)$/gm)].map((m) => m[1]!);
    expect(parts.length).toBeGreaterThan(1);
    const quiet = await gphotos(['import', join(cli.home, 'FromTakeout'), ...parts, '--tz', 'UTC', '--quiet'], cli.env);
    expect(quiet.exitCode, String(quiet.stderr)).toBe(0);
    expect(String(quiet.stdout)).toBe('');
    expect(String(quiet.stderr)).toBe('');
    const loud = await gphotos(['import', join(cli.home, 'FromTakeout'), ...parts, '--tz', 'UTC'], cli.env);
    expect(String(loud.stdout)).toContain('Imported into');
  });

  it('verify: nothing when the archive is complete; the damage when it is not', async () => {
    const archive = join(cli.home, 'Photos');
    const ok = await gphotos(['verify', archive, '--deep', '--quiet'], cli.env);
    expect([ok.exitCode, String(ok.stdout), String(ok.stderr)]).toEqual([0, '', '']);
    const [victim] = (await archiveFiles(archive)).filter((f) => f.endsWith('.jpg'));
    await rm(join(archive, victim!));
    const bad = await gphotos(['verify', archive, '--quiet'], cli.env);
    expect(bad.exitCode).toBe(1);
    expect(String(bad.stdout)).toContain(`missing       ${victim!}`);
    await gphotos(['sync', archive, '--tz', 'UTC', '--quiet'], cli.env); // puts it back for the tests below
  });

  it('watch: nothing for cycles that go well, though each finds the same pending videos', { timeout: 60_000 }, async () => {
    const archive = join(cli.home, 'Photos');
    const quiet = await gphotos(['watch', archive, '--tz', 'UTC', '--interval', '1s', '--no-local-watch', '--max-cycles', '3', '--quiet'], cli.env);
    expect(quiet.exitCode, String(quiet.stderr)).toBe(0);
    expect([String(quiet.stdout), String(quiet.stderr)]).toEqual(['', '']);
    // Without --quiet: each cycle's result, and the pending videos named once (folded), not once per cycle.
    const loud = await gphotos(['watch', archive, '--tz', 'UTC', '--interval', '1s', '--no-local-watch', '--max-cycles', '3'], cli.env);
    const lines = String(loud.stdout).split('\n');
    expect(lines.filter((l) => /^cycle \d+ done/.test(l))).toHaveLength(3);
    // The library's one pending video: named by the first cycle, not again by the two that find it unchanged.
    expect(lines.filter((l) => l.includes('still processing'))).toHaveLength(1);
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
