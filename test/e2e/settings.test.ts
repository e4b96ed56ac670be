// Archive settings: the first sync stores its layout and time zone in .gphotos/settings.json; later commands use
// them without the flags, refuse a different value, and `gphotos config DIR --layout …` changes them.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { archiveFiles, gphotos, signedIn, type CliEnv } from '../helpers/cli.js';

let emulator: Emulator;
let cli: CliEnv;
let archive: string;
beforeAll(async () => {
  emulator = await startEmulator({ items: 30, seed: 6 });
  cli = await signedIn(emulator);
  archive = join(cli.home, 'Photos');
});
afterAll(async () => {
  await emulator.stop();
  await cli.cleanup();
});

// The first sync also records the account signed in (the emulator's first: alice), see accounts.test.ts.
const ALICE = { sub: '110000000000000000001', email: 'alice@example.com' };
const settings = async (): Promise<unknown> => JSON.parse(await readFile(join(archive, '.gphotos/settings.json'), 'utf8'));

describe('archive settings', () => {
  it('a dry run stores nothing; the first sync stores its layout and time zone', async () => {
    const dry = await gphotos(['sync', archive, '--dry-run', '--layout', '{yyyy}/{mm}/{dd}', '--tz', 'Europe/Rome'], cli.env);
    expect(dry.exitCode).toBe(0);
    expect(await readdir(archive).catch(() => [])).not.toContain('.gphotos');
    const r = await gphotos(['sync', archive, '--layout', '{yyyy}/{mm}/{dd}', '--tz', 'Europe/Rome', '--quiet'], cli.env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(await settings()).toEqual({ schema: 1, layout: '{yyyy}/{mm}/{dd}', tz: 'Europe/Rome', xmp: 'on', account: ALICE });
  });

  it('a later sync without the flags uses them: a new item is filed in its day folder', async () => {
    const item = emulator.addItem({ filename: 'NEW_ONE.jpg', kind: 'photo', creationTime: '2021-06-15T10:00:00Z' });
    expect(item.id).toBeTruthy();
    const r = await gphotos(['sync', archive, '--quiet'], cli.env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect((await archiveFiles(archive)).filter((f) => f.endsWith('NEW_ONE.jpg'))).toEqual([expect.stringMatching(/^2021\/06\/\d{2}\/NEW_ONE\.jpg$/)]);
    const shown = await gphotos(['config', archive, '--json'], cli.env);
    expect(JSON.parse(String(shown.stdout))).toEqual({ v: 1, event: 'config', layout: '{yyyy}/{mm}/{dd}', tz: 'Europe/Rome', xmp: 'on', account: ALICE });
  });

  it('a different value on the command line is refused (exit 2) with the way to change it, for sync, watch and adopt', async () => {
    for (const args of [
      ['sync', archive, '--layout', '{yyyy}/{mm}'],
      ['sync', archive, '--dry-run', '--tz', 'UTC'],
      ['watch', archive, '--layout={yyyy}', '--max-cycles', '1'],
      ['adopt', archive, cli.home, '--tz', 'UTC'],
    ]) {
      const r = await gphotos(args, cli.env);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(String(r.stderr)).toMatch(/was set up with --(layout \{yyyy\}\/\{mm\}\/\{dd\}|tz Europe\/Rome); this command says/);
      expect(String(r.stderr)).toContain(`gphotos config ${archive} --`);
    }
    // The same value as stored is fine.
    expect((await gphotos(['sync', archive, '--tz', 'Europe/Rome', '--quiet'], cli.env)).exitCode).toBe(0);
  });

  it('gphotos config DIR --layout changes it (validated); the next sync files new items with it', async () => {
    const bad = await gphotos(['config', archive, '--layout', '{nope}'], cli.env);
    expect(bad.exitCode).toBe(2);
    const r = await gphotos(['config', archive, '--layout', '{yyyy}/{mm}'], cli.env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout)).toContain('layout  {yyyy}/{mm}');
    expect(await settings()).toEqual({ schema: 1, layout: '{yyyy}/{mm}', tz: 'Europe/Rome', xmp: 'on', account: ALICE });
    expect((await gphotos(['sync', archive, '--layout', '{yyyy}/{mm}', '--quiet'], cli.env)).exitCode).toBe(0);
    const refused = await gphotos(['sync', archive, '--layout', '{yyyy}/{mm}/{dd}'], cli.env);
    expect(refused.exitCode).toBe(2);
  });
});
