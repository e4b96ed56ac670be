// An archive belongs to one Google account: the first sync records it, another account's login is refused before
// anything is listed or written, `gphotos config DIR --account` re-binds on purpose; `--profile` keeps a family's
// logins side by side. The built CLI against the emulator over HTTP, as a user runs it.
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { archiveFiles, gphotos, signedIn, type CliEnv } from '../helpers/cli.js';

let emulator: Emulator;
let cli: CliEnv;
let photos: string; // alice's, then bob's after the re-bind
let annas: string; // synced with --profile anna
beforeAll(async () => {
  emulator = await startEmulator({ items: 8, seed: 17 });
  cli = await signedIn(emulator); // the consent screen's first account: alice
  photos = join(cli.home, 'Photos');
  annas = join(cli.home, 'Anna');
});
afterAll(async () => {
  await emulator.stop();
  await cli.cleanup();
});

const ALICE = { sub: '110000000000000000001', email: 'alice@example.com' };
const BOB = { sub: '110000000000000000002', email: 'bob@example.com' };
type Settings = { account?: unknown };
const settingsOf = async (dir: string): Promise<Settings> => JSON.parse(await readFile(join(dir, '.gphotos/settings.json'), 'utf8')) as Settings;
const state = async (dir: string) => ({
  manifest: await readFile(join(dir, '.gphotos/manifest.json'), 'utf8'),
  journal: await readFile(join(dir, '.gphotos/manifest.journal'), 'utf8').catch(() => ''),
  files: await archiveFiles(dir),
});

async function loginAs(email: string, extra: string[] = []): Promise<void> {
  emulator.oauth.signInAs = email;
  const r = await gphotos(['auth', 'login', ...extra], cli.env);
  expect(r.exitCode, String(r.stderr)).toBe(0);
  expect(String(r.stdout)).toContain(`Signed in as ${email}.`);
}

describe('an archive bound to its account', () => {
  it('the first sync records the account signed in', async () => {
    const r = await gphotos(['sync', photos, '--tz', 'UTC', '--quiet'], cli.env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect((await settingsOf(photos)).account).toEqual(ALICE);
  });

  it('an archive made before accounts were recorded adopts the account of its next run', async () => {
    const { account: _dropped, ...rest } = await settingsOf(photos);
    await writeFile(join(photos, '.gphotos/settings.json'), JSON.stringify(rest));
    const r = await gphotos(['sync', photos, '--quiet'], cli.env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect((await settingsOf(photos)).account).toEqual(ALICE);
  });

  it("another account's login (same profile) is refused before anything is listed or written", async () => {
    await loginAs(BOB.email);
    emulator.addItem({ filename: 'BOBS_NEW.jpg', creationTime: '2024-02-02T10:00:00Z' });
    const before = await state(photos);
    const requests = emulator.stats().requests;
    const sessions = emulator.pickerSessions().length;

    const sync = await gphotos(['sync', photos], cli.env);
    expect(sync.exitCode).toBe(3);
    const err = String(sync.stderr);
    expect(err).toContain(`${photos} belongs to the Google account alice@example.com, but the login in use is bob@example.com`);
    expect(err).toContain(`gphotos config ${photos} --account bob@example.com`);
    expect(err).not.toMatch(/ya29\.|1\/\/0g|eyJ/); // no token of any kind
    const pick = await gphotos(['pick', photos, '--no-browser'], cli.env);
    expect(pick.exitCode).toBe(3);
    const watch = await gphotos(['watch', photos], cli.env); // refused at once, before its first cycle
    expect([watch.exitCode, String(watch.stderr)]).toEqual([3, expect.stringContaining('alice@example.com')]);

    expect(emulator.stats().requests).toEqual(requests); // nothing listed, no session, not even a token refresh
    expect(emulator.pickerSessions()).toHaveLength(sessions);
    expect(await state(photos)).toEqual(before);
    expect((await settingsOf(photos)).account).toEqual(ALICE);
  });

  it('re-binding needs the login of the account named; then the archive follows bob', async () => {
    const wrong = await gphotos(['config', photos, '--account', 'carol@example.com'], cli.env);
    expect(wrong.exitCode).toBe(2);
    expect(String(wrong.stderr)).toContain('signed in as bob@example.com, not carol@example.com');
    expect((await settingsOf(photos)).account).toEqual(ALICE);

    const rebind = await gphotos(['config', photos, '--account', 'BOB@example.com'], cli.env);
    expect(rebind.exitCode, String(rebind.stderr)).toBe(0);
    expect(String(rebind.stdout)).toContain(`account bob@example.com (id ${BOB.sub})`);
    expect((await settingsOf(photos)).account).toEqual(BOB);
    const sync = await gphotos(['sync', photos, '--quiet'], cli.env);
    expect(sync.exitCode, String(sync.stderr)).toBe(0);
    expect((await archiveFiles(photos)).some((f) => f.endsWith('BOBS_NEW.jpg'))).toBe(true);
  });
});

describe('a login made before accounts were recorded', () => {
  it('is refused by a bound archive (sign in again), and a new login fixes it', async () => {
    const name = (await readdir(cli.configDir)).find((n) => /^tokens.*\.json$/.test(n))!;
    const path = join(cli.configDir, name);
    const { account: _old, ...legacy } = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify(legacy), { mode: 0o600 });
    const before = await state(photos);
    const r = await gphotos(['sync', photos], cli.env);
    expect(r.exitCode).toBe(3);
    expect(String(r.stderr)).toContain('was made before gphotos recorded accounts');
    expect(String(r.stderr)).toContain('gphotos auth login');
    expect(await state(photos)).toEqual(before);
    await loginAs(BOB.email);
    expect((await gphotos(['sync', photos, '--quiet'], cli.env)).exitCode).toBe(0);
  });
});

describe('--profile: a family side by side', () => {
  it("anna's profile has its own login (the default profile's OAuth client) and its own archive", async () => {
    // No --client-secret: the default profile's is shared. --json: stdout is one object, the URL goes to stderr.
    // --login-hint preselects the account on the consent page (the knob still says bob).
    const login = await gphotos(['auth', 'login', '--profile', 'anna', '--login-hint', ALICE.email, '--json'], cli.env);
    expect(login.exitCode, String(login.stderr)).toBe(0);
    expect(String(login.stderr)).toContain(emulator.urls.authUrl);
    const own = join(cli.configDir, 'profiles', 'anna');
    expect(JSON.parse(String(login.stdout))).toMatchObject({ v: 1, event: 'auth-login', loggedIn: true, account: ALICE, configDir: own, missingScopes: [] });
    const tokens = (await readdir(own)).filter((n) => /^tokens.*\.json$/.test(n));
    expect(tokens).toHaveLength(1);
    expect((await stat(join(own, tokens[0]!))).mode & 0o777).toBe(0o600);
    expect((await stat(own)).mode & 0o777).toBe(0o700);

    const status = await gphotos(['auth', 'status', '--profile', 'anna', '--json'], cli.env);
    expect(JSON.parse(String(status.stdout))).toMatchObject({ loggedIn: true, profile: 'anna', account: ALICE, configDir: own });
    const dflt = await gphotos(['auth', 'status', '--json'], cli.env);
    expect(JSON.parse(String(dflt.stdout))).toMatchObject({ profile: 'default', account: BOB });

    const a = await gphotos(['sync', annas, '--tz', 'UTC', '--quiet', '--profile', 'anna'], cli.env);
    expect(a.exitCode, String(a.stderr)).toBe(0);
    expect((await settingsOf(annas)).account).toEqual(ALICE);
    const b = await gphotos(['sync', photos, '--quiet'], cli.env);
    expect(b.exitCode, String(b.stderr)).toBe(0);
    expect((await archiveFiles(annas)).length).toBeGreaterThan(0);
  });

  it("anna's archive refuses the default profile's login (bob), naming the profile to use", async () => {
    const before = await state(annas);
    const r = await gphotos(['sync', annas], cli.env);
    expect(r.exitCode).toBe(3);
    expect(String(r.stderr)).toContain('belongs to the Google account alice@example.com, but the login in use is bob@example.com');
    expect(String(r.stderr)).toContain('--profile NAME');
    expect(await state(annas)).toEqual(before);
    const bad = await gphotos(['sync', annas, '--profile', '../x'], cli.env);
    expect([bad.exitCode, String(bad.stderr)]).toEqual([2, expect.stringContaining('not a usable profile name')]);
  });
});

describe('gphotos doctor and auth status --check', () => {
  it('a working login and a healthy archive: exit 0, every check ok', async () => {
    const r = await gphotos(['doctor', photos], cli.env);
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
    expect(String(r.stdout)).toContain('All is well.');
    const j = await gphotos(['doctor', photos, '--json'], cli.env);
    const out = JSON.parse(String(j.stdout)) as { v: number; event: string; ok: boolean; checks: { check: string; status: string }[] };
    expect([out.v, out.event, out.ok]).toEqual([1, 'doctor', true]);
    expect(out.checks.map((c) => [c.check, c.status])).toEqual([['login', 'ok'], ['settings', 'ok'], ['account', 'ok'], ['manifest', 'ok'], ['lock', 'ok']]);
    const check = await gphotos(['auth', 'status', '--check'], cli.env);
    expect(check.exitCode).toBe(0);
    expect(String(check.stdout)).toContain('yes (checked: a token refresh just worked)');
  });

  it("an archive of another account fails doctor's account check (exit 3)", async () => {
    const r = await gphotos(['doctor', annas, '--json'], cli.env);
    expect(r.exitCode).toBe(3);
    const out = JSON.parse(String(r.stdout)) as { ok: boolean; checks: { check: string; status: string; message: string }[] };
    const account = out.checks.find((c) => c.check === 'account');
    expect(account?.status).toBe('fail');
    expect(account?.message).toContain('alice@example.com');
  });

  it('a revoked login: plain status still sees saved tokens, --check and doctor say not logged in, exit 3', async () => {
    emulator.revokeAllGrants(); // the user removed the app at myaccount.google.com/permissions
    const plain = await gphotos(['auth', 'status'], cli.env);
    expect(plain.exitCode).toBe(0);
    expect(String(plain.stdout)).toContain('--check');

    const check = await gphotos(['auth', 'status', '--check', '--json'], cli.env);
    expect(check.exitCode).toBe(3);
    const checked = JSON.parse(String(check.stdout)) as { loggedIn: boolean; check: { ok: boolean; reason: string; hint: string } };
    expect([checked.loggedIn, checked.check.ok, checked.check.reason]).toEqual([false, false, 'invalid-grant']);
    expect(checked.check.hint).toContain('gphotos auth login');
    const text = await gphotos(['auth', 'status', '--check'], cli.env);
    expect(text.exitCode).toBe(3);
    expect(String(text.stdout)).toMatch(/Logged in: +no/);

    const doctor = await gphotos(['doctor', photos], cli.env);
    expect(doctor.exitCode).toBe(3);
    expect(String(doctor.stdout)).toMatch(/FAIL +login +Google refused the saved refresh token/);
    expect(String(doctor.stdout)).toMatch(/skip +account/);
    expect(String(doctor.stdout)).toMatch(/ok +manifest/);

    const logout = await gphotos(['auth', 'logout', '--profile', 'anna', '--json'], cli.env);
    expect(logout.exitCode).toBe(0);
    expect(JSON.parse(String(logout.stdout))).toMatchObject({ revoked: false, deleted: true }); // already revoked
    const gone = await gphotos(['doctor', '--profile', 'anna'], cli.env);
    expect([gone.exitCode, String(gone.stdout)]).toEqual([3, expect.stringContaining('Not logged in')]);
  });
});
