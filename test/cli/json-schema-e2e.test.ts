// Every --json line of every command, run as a user would (the built CLI against the emulator, in temp dirs),
// happy and unhappy paths, is held to the schema (src/cli/render/json-schema.ts = docs/json-schema.json), and every
// event the schema documents is produced here, or is a rare path listed in RARE_EVENTS with a typed unit sample.
import { copyFile, mkdir, readFile, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_SCHEMA, STREAM_EVENTS, STREAM_OF_COMMAND } from '../../src/cli/render/json-schema.js';
import type { Emulator } from '../../src/emulator/api.js';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { startEmulator } from '../../src/emulator/server.js';
import { archiveFiles, gphotos, signedIn, type CliEnv } from '../helpers/cli.js';
import { GP, sidecarJson, writeZip } from '../helpers/takeout-fixture.js';
import { RARE_EVENTS } from './json-samples.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(JSON_SCHEMA, 'gphotos');

let emulator: Emulator;
let cli: CliEnv;
/** stream -> event names seen on stdout. */
const produced = new Map<string, Set<string>>();
const lines: { command: string; line: string }[] = [];

/** Runs `gphotos ARGS --json`, checks the exit code, and validates every stdout line against its command's stream. */
async function run(args: string[], exit: number, env?: Record<string, string>): Promise<Record<string, unknown>[]> {
  const r = await gphotos([...args, '--json'], env ?? cli.env);
  expect(r.exitCode, `gphotos ${args.join(' ')}: ${String(r.stderr)}`).toBe(exit);
  const command = args[0] === 'auth' ? `auth ${args[1]!}` : args[0]!;
  const stream = STREAM_OF_COMMAND[command];
  expect(stream, `${command} has a stream in the schema`).toBeDefined();
  const out: Record<string, unknown>[] = [];
  for (const line of String(r.stdout).split('\n').filter((l) => l !== '')) {
    lines.push({ command, line });
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`gphotos ${args.join(' ')} printed a line that is not JSON: ${line}`);
    }
    const ref = `gphotos#/$defs/${stream}.${String(e.event)}`;
    const validate = ajv.getSchema(ref);
    if (validate === undefined) throw new Error(`gphotos ${command} printed event ${String(e.event)}, which the schema's ${stream} stream does not have: ${line}`);
    if (!validate(e)) throw new Error(`gphotos ${command}: ${line}\n  does not match ${stream}.${String(e.event)}: ${ajv.errorsText(validate.errors)}`);
    expect(ajv.validate('gphotos', e), 'the top-level schema accepts it too').toBe(true);
    const seen = produced.get(stream!) ?? new Set<string>();
    produced.set(stream!, seen.add(String(e.event)));
    out.push(e);
  }
  if (out.at(-1)?.event === 'doctor' || out.at(-1)?.event === 'auth-status') {
    // These report a failed check in their own line (exit 3 for a refused login), never an error line after it.
    expect(out, `gphotos ${args.join(' ')}`).toHaveLength(1);
    if (exit !== 0) expect(out[0]!.ok ?? (out[0]!.check as { ok?: boolean } | undefined)?.ok, `gphotos ${args.join(' ')}`).toBe(false);
  } else if (exit !== 0 && exit !== 1 && exit !== 75 && exit !== 130) {
    // An error under --json ends stdout with an error event carrying the exit code.
    expect(out.at(-1), `gphotos ${args.join(' ')}`).toMatchObject({ event: 'error', exitCode: exit });
  }
  return out;
}

async function takeoutZip(dir: string, name: string, seed: number, extra: { path: string; data: string | Buffer }[] = []): Promise<string> {
  const zip = join(dir, name);
  await writeZip(zip, [
    { path: `${GP}/Photos from 2019/IMG_${seed}.jpg`, data: makeJpeg({ width: 16, height: 16, seed }) },
    { path: `${GP}/Photos from 2019/IMG_${seed}.jpg.supplemental-metadata.json`, data: sidecarJson({ title: `IMG_${seed}.jpg`, takenSec: 1_552_135_320 + seed, url: `https://photos.google.com/photo/${seed}` }) },
    ...extra,
  ]);
  return zip;
}

beforeAll(async () => {
  emulator = await startEmulator({ items: 30, seed: 21 });
  cli = await signedIn(emulator);
  Object.assign(emulator.picker, { pollsBeforeDone: 1, pollIntervalSec: 0.05 });
});
afterAll(async () => {
  await emulator.stop();
  await cli.cleanup();
});

describe('every --json line matches the schema', () => {
  it('sync: dry run, a run, a restamp and drift, a spent quota, --adopt and --takeout-folder, and errors', async () => {
    const archive = join(cli.home, 'Photos');
    await run(['sync', archive, '--dry-run', '--tz', 'UTC'], 0);
    await run(['sync', archive, '--tz', 'UTC'], 0);
    const files = await archiveFiles(archive);
    await utimes(join(archive, files[0]!), new Date(0), new Date(0));
    emulator.removeItem(emulator.items.find((i) => i.kind === 'photo')!.id);
    emulator.addItem({ filename: 'NEW_1.jpg', creationTime: '2024-05-05T05:05:05Z' });
    const again = await run(['sync', archive], 0);
    expect(again.map((e) => e.event)).toEqual(expect.arrayContaining(['restamped', 'drift', 'downloaded']));

    // --adopt: files another tool downloaded; --takeout-folder: originals through the same sync.
    const other = join(cli.home, 'OtherTool');
    await mkdir(other, { recursive: true });
    const item = emulator.addItem({ filename: 'ADOPT_1.jpg', creationTime: '2023-01-02T03:04:05Z' });
    await writeFile(join(other, 'ADOPT_1.jpg'), emulator.downloadBytes(item.id));
    const inbox = join(cli.home, 'TakeoutFolder');
    await mkdir(inbox, { recursive: true });
    await takeoutZip(inbox, 'takeout-20260101T000000Z-001.zip', 3);
    await run(['sync', archive, '--adopt', other, '--takeout-folder', inbox], 0);

    // Google's daily download quota spent after two files: the run stops with its summary (exit 75).
    emulator.resetQuotaDay();
    emulator.quota.bytesPerDay = 2;
    await run(['sync', join(cli.home, 'Quota'), '--transfers', '1'], 75);
    emulator.quota.bytesPerDay = 75_000;
    emulator.resetQuotaDay();

    await run(['sync', join(archive, files[0]!)], 2); // a file, not a folder
    await run(['sync', archive, '--transfers', '0'], 2); // refused by the command
    await run(['sync', archive, '--no-such-option'], 2); // refused by the parser
    await run(['sync', archive], 3, { ...cli.env, GPHOTOS_CONFIG_DIR: join(cli.home, 'nobody') }); // no login
  });

  it('pick: a pick, a pick of nothing', async () => {
    const photo = emulator.items.find((i) => i.kind === 'photo' && /^(IMG|PXL|DSC)[_\d]+\.jpg$/i.test(i.filename))!;
    emulator.picker.autoPick = [photo.id];
    await run(['pick', join(cli.home, 'Picked'), '--no-browser', '--tz', 'UTC'], 0);
    emulator.picker.autoPick = [];
    const none = await run(['pick', join(cli.home, 'Picked'), '--no-browser'], 0);
    expect(none.map((e) => e.event)).toContain('picker');
    await run(['pick', join(cli.home, 'Picked'), '--no-browser'], 3, { ...cli.env, GPHOTOS_CONFIG_DIR: join(cli.home, 'nobody') });
    await run(['pick', join(cli.home, 'Picked'), '--max', '0'], 2);
  });

  it('import: a run, a dry run, duplicates, a refused entry, a trashed item, and errors', async () => {
    const archive = join(cli.home, 'Imported');
    const zip = await takeoutZip(cli.home, 'takeout-20260102T000000Z-001.zip', 5, [
      { path: `${GP}/Summer/IMG_5.jpg`, data: makeJpeg({ width: 16, height: 16, seed: 5 }) },
      { path: '../../escape.jpg', data: makeJpeg({ width: 8, height: 8, seed: 9 }) },
      { path: `${GP}/Trash/IMG_77.jpg`, data: makeJpeg({ width: 8, height: 8, seed: 77 }) },
      { path: `${GP}/Trash/IMG_77.jpg.supplemental-metadata.json`, data: sidecarJson({ title: 'IMG_77.jpg', takenSec: 1_552_135_399, url: 'https://photos.google.com/photo/77', trashed: true }) },
    ]);
    await run(['import', archive, zip, '--dry-run', '--tz', 'UTC'], 1);
    await run(['import', archive, zip, '--tz', 'UTC'], 1);
    await run(['import', archive, zip], 1);
    await run(['import', archive, join(cli.home, 'nope.rar')], 2);
  });

  it('verify (plain, --deep, --fix), status, xmp, config, adopt and rebuild, each happy and unhappy', async () => {
    const archive = join(cli.home, 'Photos');
    await run(['verify', archive], 0);
    const files = await archiveFiles(archive);
    await truncate(join(archive, files[1]!), 3);
    await run(['verify', archive, '--deep'], 1);
    await run(['status', archive, '--remote'], 1);
    await run(['verify', archive, '--fix'], 0);
    await run(['verify', join(cli.home, 'NotThere')], 2);
    await run(['verify', archive, '--takeout', archive], 2);

    await run(['status', archive], 0);
    await run(['status', join(cli.home, 'NotThere')], 2);
    await run(['status', archive, '--remote'], 3, { ...cli.env, GPHOTOS_CONFIG_DIR: join(cli.home, 'nobody') });
    await run(['xmp', archive], 0);
    await run(['xmp', join(cli.home, 'NotThere')], 2);
    await run(['config', archive], 0);
    await run(['config', archive, '--tz', 'Europe/Rome'], 0);
    await run(['config', archive, '--tz', 'Mars/Olympus'], 2);

    const other = join(cli.home, 'Elsewhere');
    await mkdir(other, { recursive: true });
    const item = emulator.addItem({ filename: 'ELSE_1.jpg', creationTime: '2022-02-02T02:02:02Z' });
    await writeFile(join(other, 'ELSE_1.jpg'), emulator.downloadBytes(item.id));
    await writeFile(join(other, 'mine.jpg'), makeJpeg({ width: 8, height: 8, seed: 99 }));
    await run(['adopt', archive, other], 0);
    await run(['adopt', archive, join(cli.home, 'NoSuchFolder')], 2);

    await copyFile(join(archive, '.gphotos/manifest.json'), join(cli.home, 'manifest.bak'));
    await run(['rebuild', archive], 2);
    await run(['rebuild', archive, '--force'], 0);
    expect((await readFile(join(cli.home, 'manifest.bak'))).length).toBeGreaterThan(0);
  });

  it('watch: one cycle, and a refused option', async () => {
    // No Takeout inbox: when its first look comes depends on timers, and a test must not depend on that.
    await run(['watch', join(cli.home, 'Photos'), '--max-cycles', '1', '--no-local-watch'], 0);
    await run(['watch', join(cli.home, 'Photos'), '--interval', 'soon'], 2);
  });

  it('auth login, status (--check: good and revoked), doctor (healthy, revoked, not a folder), logout, and errors', async () => {
    const archive = join(cli.home, 'Photos');
    const [login] = await run(['auth', 'login'], 0);
    expect(login).toMatchObject({ loggedIn: true, configDir: cli.configDir, missingScopes: [] });
    await run(['auth', 'login', '--port', '70000'], 2);
    expect((await run(['auth', 'status'], 0))[0]).toMatchObject({ loggedIn: true, profile: 'default', problems: [] });
    expect((await run(['auth', 'status', '--check'], 0))[0]).toMatchObject({ loggedIn: true, check: { ok: true } });
    const [healthy] = await run(['doctor', archive], 0);
    expect(healthy).toMatchObject({ ok: true, archive });
    await run(['doctor', join(cli.home, 'NotThere')], 2);

    emulator.revokeAllGrants(); // the user removed the app at myaccount.google.com/permissions
    expect((await run(['auth', 'status', '--check'], 3))[0]).toMatchObject({ loggedIn: false, check: { ok: false, reason: 'invalid-grant' } });
    expect((await run(['doctor'], 3))[0]).toMatchObject({ ok: false, archive: null });
    expect((await run(['auth', 'logout'], 0))[0]).toMatchObject({ revoked: false, deleted: true });
    await run(['auth', 'status', '--check'], 3);
  });

  it('every event the schema documents was printed above, or is a rare path with a typed unit sample', () => {
    const missing: string[] = [];
    for (const [stream, names] of Object.entries(STREAM_EVENTS)) {
      for (const name of [...names, 'error']) {
        const key = `${stream}.${name}`;
        if (!produced.get(stream)?.has(name) && !(key in RARE_EVENTS)) missing.push(key);
      }
    }
    expect(missing, 'documented events no run printed (add a case above, or a sample to RARE_EVENTS)').toEqual([]);
    const notRare = Object.keys(RARE_EVENTS).filter((key) => produced.get(key.split('.')[0]!)?.has(key.split('.')[1]!));
    expect(notRare, 'listed in RARE_EVENTS but printed above: take them off the list').toEqual([]);
    // Every line of every command carries the version first.
    for (const { command, line } of lines) expect(line.startsWith('{"v":1,"event":'), `${command}: ${line}`).toBe(true);
  });
});
