// `gphotos pick` end to end: the built CLI against the emulator, whose autoPick knob plays the user.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator, EmulatorItem } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { archiveFiles, events, gphotos, hashIndex, sha256, signedIn, summaryOf, type CliEnv } from '../helpers/cli.js';

const LIBRARY_SCOPE = 'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata';

interface Manifest {
  items: Record<string, { refs: { source: string; id: string }[]; path: string; quality: string; captureTime: string }>;
}

function expectedDir(i: EmulatorItem): string {
  if (i.kind === 'photo' && i.exifDateTimeOriginal) return i.exifDateTimeOriginal.slice(0, 7).replace(':', '/');
  return i.creationTime.slice(0, 7).replace('-', '/');
}

const readManifest = async (archive: string): Promise<Manifest> => JSON.parse(await readFile(join(archive, '.gphotos/manifest.json'), 'utf8')) as Manifest;

let emulator: Emulator;
let cli: CliEnv;
/** Plain photos and READY videos with unambiguous names (the library's front-loaded oddities are sync's business). */
let plain: EmulatorItem[];

const pick = (archive: string, ...more: string[]) => gphotos(['pick', archive, '--tz', 'UTC', '--no-browser', '--json', ...more], cli.env);
const openSessions = (): number => emulator.pickerSessions().filter((s) => !s.deleted).length;

beforeAll(async () => {
  emulator = await startEmulator({ items: 80, seed: 13 });
  cli = await signedIn(emulator);
  plain = emulator.items.filter((i) => /^(IMG|VID|PXL|DSC)[_\d]+\.(jpg|mp4)$/i.test(i.filename) && (i.kind === 'photo' || i.videoStatus === 'READY')).slice(10);
});
afterAll(async () => {
  await emulator.stop();
  await cli.cleanup();
});
beforeEach(() => {
  Object.assign(emulator.picker, { autoPick: null, pollsBeforeDone: 1, pollIntervalSec: 0.05, timeoutSec: 20, sessionTtlSec: 3600 });
  emulator.faults.latencyMs = 0;
});

describe('pick: the picked items reach the archive once', () => {
  let chosen: EmulatorItem[] = [];
  it('downloads the picked items into YYYY/MM with the =d / =dv bytes, records picker refs, and deletes the session', async () => {
    const archive = join(cli.home, 'picked');
    chosen = [...plain.filter((i) => i.kind === 'photo').slice(0, 6), ...plain.filter((i) => i.kind === 'video').slice(0, 2)];
    emulator.picker.autoPick = chosen.map((i) => i.id);
    const r = await pick(archive);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const session = events(r.stdout).find((e) => e.event === 'picker-session');
    expect(String(session?.pickerUri)).toMatch(/^https:\/\/photos\.google\.com\/picker\//);
    expect(summaryOf(r.stdout)).toMatchObject({ downloaded: chosen.length, failed: 0, drift: { remoteGone: 0 } });
    const index = await hashIndex(archive);
    for (const item of chosen) {
      const paths = index.get(sha256(emulator.downloadBytes(item.id)));
      expect(paths, item.filename).toHaveLength(1);
      expect(paths![0]!.startsWith(`${expectedDir(item)}/`), `${paths![0]} in ${expectedDir(item)}`).toBe(true);
    }
    expect(await archiveFiles(archive)).toHaveLength(chosen.length);
    const manifest = await readManifest(archive);
    const refs = Object.values(manifest.items).map((m) => m.refs);
    expect(refs.flat().map((r) => r.id).sort()).toEqual(chosen.map((i) => emulator.pickerIdOf(i.id)).sort());
    expect(refs.every((rs) => rs.length === 1 && rs[0]!.source === 'picker')).toBe(true);
    expect(Object.values(manifest.items).every((m) => m.quality === 'api-copy')).toBe(true);
    expect(openSessions()).toBe(0);
    expect(emulator.pickerSessions().at(-1)?.polls).toBeGreaterThanOrEqual(2);
  });

  it('downloads nothing when the same items are picked again, and calls nothing gone when fewer are picked', async () => {
    const archive = join(cli.home, 'picked');
    emulator.picker.autoPick = chosen.map((i) => i.id);
    const again = await pick(archive);
    expect(again.exitCode).toBe(0);
    expect(summaryOf(again.stdout)).toMatchObject({ downloaded: 0, byteCalls: 0, alreadyPresent: chosen.length });
    emulator.picker.autoPick = chosen.slice(0, 2).map((i) => i.id);
    const fewer = await pick(archive);
    expect(summaryOf(fewer.stdout)).toMatchObject({ downloaded: 0, drift: { remoteGone: 0 } });
  });

  it('links an item `gphotos sync` already archived instead of downloading it', async () => {
    const archive = join(cli.home, 'synced');
    const synced = await gphotos(['sync', archive, '--tz', 'UTC', '--json', '--media', 'photos'], cli.env);
    expect(synced.exitCode).toBe(0);
    const filesBefore = await archiveFiles(archive);
    const linked = plain.filter((i) => i.kind === 'photo').slice(0, 3);
    emulator.picker.autoPick = linked.map((i) => i.id);
    const r = await pick(archive);
    expect(r.exitCode).toBe(0);
    expect(summaryOf(r.stdout)).toMatchObject({ downloaded: 0, linked: 3, byteCalls: 0, drift: { remoteGone: 0 } });
    expect(await archiveFiles(archive)).toEqual(filesBefore);
    const manifest = await readManifest(archive);
    for (const item of linked) {
      const entry = Object.values(manifest.items).find((m) => m.refs.some((ref) => ref.source === 'library' && ref.id === item.id));
      expect(entry?.refs).toEqual([
        { source: 'library', id: item.id },
        { source: 'picker', id: emulator.pickerIdOf(item.id) },
      ]);
    }
  });

  it('prints the picker link in text mode', async () => {
    emulator.picker.autoPick = [plain[0]!.id];
    const r = await gphotos(['pick', join(cli.home, 'text'), '--tz', 'UTC', '--no-browser', '--max', '5'], cli.env);
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr)).toMatch(/https:\/\/photos\.google\.com\/picker\/\S+/);
    expect(emulator.pickerSessions().at(-1)?.maxItemCount).toBe(5);
  });

  it('--qr draws the link as a QR code beside it, and --json stdout stays NDJSON', async () => {
    emulator.picker.autoPick = [plain[0]!.id];
    const r = await gphotos(['pick', join(cli.home, 'qr'), '--tz', 'UTC', '--no-browser', '--qr', '--json'], cli.env);
    expect(r.exitCode).toBe(0);
    const art = String(r.stderr).split('\n').filter((l) => /^[█▀▄ ]+$/.test(l) && l.includes('█'));
    expect(art.length).toBeGreaterThan(10);
    expect(new Set(art.map((l) => [...l].length)).size).toBe(1); // a square block of equal-width lines
    expect(() => events(r.stdout)).not.toThrow();
  });
});

describe('pick: nothing to archive', () => {
  it('a session that times out says so, changes nothing and exits 4', async () => {
    const archive = join(cli.home, 'timeout');
    emulator.picker.timeoutSec = 0.3;
    const r = await pick(archive);
    expect(r.exitCode).toBe(4);
    expect(String(r.stderr)).toMatch(/the picking session timed out; nothing changed/);
    expect(existsSync(archive)).toBe(false);
    expect(openSessions()).toBe(0);
  });

  it('--poll-timeout gives up sooner than Google would', async () => {
    const started = Date.now();
    const r = await pick(join(cli.home, 'timeout'), '--poll-timeout', '0.3');
    expect(r.exitCode).toBe(4);
    expect(String(r.stderr)).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a session that expires says so, changes nothing and exits 4', async () => {
    const archive = join(cli.home, 'expired');
    emulator.picker.sessionTtlSec = 0.3;
    const r = await pick(archive);
    expect(r.exitCode).toBe(4);
    expect(String(r.stderr)).toMatch(/the picking session expired; nothing changed/);
    expect(existsSync(archive)).toBe(false);
    expect(openSessions()).toBe(0);
  });

  it('a user who picks nothing is told so, and nothing changes', async () => {
    const archive = join(cli.home, 'nothing');
    emulator.picker.autoPick = [];
    const r = await pick(archive);
    expect(r.exitCode).toBe(0);
    expect(events(r.stdout).some((e) => e.event === 'picker' && /picked nothing/.test(String(e.message)))).toBe(true);
    expect(summaryOf(r.stdout)).toMatchObject({ downloaded: 0, listed: 0 });
    expect(existsSync(archive)).toBe(false);
  });

  it('a login without the Picker scope stops with exit 3 and says to log in again', async () => {
    emulator.oauth.grantScopes = [LIBRARY_SCOPE];
    const narrow = await signedIn(emulator);
    delete emulator.oauth.grantScopes;
    try {
      emulator.picker.autoPick = [plain[0]!.id];
      const r = await gphotos(['pick', join(narrow.home, 'x'), '--no-browser'], narrow.env);
      expect(r.exitCode).toBe(3);
      expect(String(r.stderr)).toMatch(/Picker/);
      expect(String(r.stderr)).toMatch(/auth login/);
    } finally {
      await narrow.cleanup();
    }
  });

  it('rejects bad options with exit 2', async () => {
    for (const args of [['--max', '0'], ['--max', '2001'], ['--poll-timeout', '0'], ['--transfers', '0']]) {
      const r = await gphotos(['pick', join(cli.home, 'bad'), '--no-browser', ...args], cli.env);
      expect(r.exitCode, args.join(' ')).toBe(2);
    }
    expect(openSessions()).toBe(0);
  });
});

describe('pick: Ctrl-C', () => {
  it('deletes the session, leaves no .part, and a re-run completes', async () => {
    const archive = join(cli.home, 'interrupted');
    const chosen = plain.slice(0, 30);
    emulator.picker.autoPick = chosen.map((i) => i.id);
    emulator.faults.latencyMs = 150;
    const before = emulator.stats().requests['picker.bytes'] ?? 0;
    const child = pick(archive, '--transfers', '2');
    while ((emulator.stats().requests['picker.bytes'] ?? 0) - before < 4) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(summaryOf(r.stdout).stoppedBy).toBe('interrupt');
    expect(openSessions()).toBe(0);
    expect((await archiveFiles(archive)).filter((f) => f.endsWith('.part'))).toEqual([]);
    const done = Number(summaryOf(r.stdout).downloaded);
    expect(done).toBeLessThan(chosen.length);

    emulator.faults.latencyMs = 0;
    const again = await pick(archive);
    expect(again.exitCode).toBe(0);
    expect(summaryOf(again.stdout)).toMatchObject({ downloaded: chosen.length - done, alreadyPresent: done });
    const index = await hashIndex(archive);
    for (const item of chosen) expect(index.get(sha256(emulator.downloadBytes(item.id))), item.filename).toHaveLength(1);
    expect(Object.keys((await readManifest(archive)).items)).toHaveLength(chosen.length);
  });
});
