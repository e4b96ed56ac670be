// Signing in to the emulator never touches a real Google login: `gphotos emulator` prints a config dir of its own,
// and even in the same config dir the emulator's tokens go to their own file (per OAuth client and endpoint).
import { readFile, readdir, mkdir, mkdtemp, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { CLI, ROOT, assertBuilt, gphotos } from '../helpers/cli.js';

const BROWSER = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'dist/demo/browser.js'))}`;
// What a Google login looks like on disk (written before token_url was recorded): fake values, same shape.
const REAL_TOKENS = JSON.stringify({ refresh_token: '1//real-google-refresh-token', access_token: 'ya29.real', expiry_date: 1, client_id: '1234-real.apps.googleusercontent.com' }, null, 2) + '\n';

let home: string;
beforeAll(async () => {
  assertBuilt();
  home = await mkdtemp(join(tmpdir(), 'gphotos-emu-login-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

async function realLogin(configDir: string): Promise<string> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  const path = join(configDir, 'tokens.json');
  await writeFile(path, REAL_TOKENS, { mode: 0o600 });
  return path;
}

describe('the emulator and a real login in the same config dir', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ items: 12, seed: 8 });
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it('login, sync, status and logout against the emulator leave tokens.json byte for byte', async () => {
    const configDir = join(home, 'shared-config');
    const real = await realLogin(configDir);
    const secret = join(home, 'emulator-secret.json');
    await writeFile(secret, JSON.stringify(emulator.clientSecretJson));
    const env = { PATH: process.env.PATH ?? '', HOME: home, ...emulator.env, GPHOTOS_CONFIG_DIR: configDir, GPHOTOS_CLIENT_SECRET: secret, BROWSER };

    const login = await gphotos(['auth', 'login'], env);
    expect(login.exitCode, String(login.stderr)).toBe(0);
    expect(await readFile(real, 'utf8')).toBe(REAL_TOKENS);
    const own = (await readdir(configDir)).filter((n) => /^tokens-[0-9a-f]{16}\.json$/.test(n));
    expect(own).toHaveLength(1);
    expect(String(login.stdout)).toContain(`Tokens saved to ${join(configDir, own[0]!)}`);
    expect((await stat(join(configDir, own[0]!))).mode & 0o777).toBe(0o600);

    const status = await gphotos(['auth', 'status', '--json'], env);
    expect(JSON.parse(String(status.stdout))).toMatchObject({ loggedIn: true, tokensPath: join(configDir, own[0]!), problems: [] });
    const sync = await gphotos(['sync', join(home, 'Photos'), '--tz', 'UTC', '--quiet'], env);
    expect(sync.exitCode, String(sync.stderr)).toBe(0);
    expect(await readFile(real, 'utf8')).toBe(REAL_TOKENS);

    const logout = await gphotos(['auth', 'logout'], env);
    expect(logout.exitCode).toBe(0);
    expect(await readdir(configDir)).not.toContain(own[0]);
    expect(await readFile(real, 'utf8')).toBe(REAL_TOKENS);
  });
});

describe('gphotos emulator prints its own GPHOTOS_CONFIG_DIR', () => {
  it('the printed environment signs in under the emulator\'s dir; the user\'s config dir is untouched', async () => {
    const userConfig = join(home, 'xdg', 'gphotos');
    const real = await realLogin(userConfig);
    const baseEnv = { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'xdg'), BROWSER };
    const child = execa(process.execPath, [CLI, 'emulator', '--items', '5'], { reject: false, buffer: false, env: baseEnv, extendEnv: false });
    let printed = '';
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => ((printed += d.toString()), printed.includes('Press Ctrl-C') && resolve())));
    const env: Record<string, string> = { ...baseEnv };
    for (const m of printed.matchAll(/^export (GPHOTOS_\w+)=(.*)$/gm)) env[m[1]!] = m[2]!.replace(/^'|'$/g, '');
    expect(env.GPHOTOS_CONFIG_DIR).toBeDefined();
    expect(env.GPHOTOS_CONFIG_DIR).not.toBe(userConfig);
    expect(dirname(env.GPHOTOS_CONFIG_DIR!)).toBe(dirname(env.GPHOTOS_CLIENT_SECRET!)); // the emulator's temp dir

    const login = await gphotos(['auth', 'login'], env);
    expect(login.exitCode, String(login.stderr)).toBe(0);
    expect(String(login.stdout)).toContain(`Tokens saved to ${env.GPHOTOS_CONFIG_DIR}`);
    expect(await readdir(userConfig)).toEqual(['tokens.json']);
    expect(await readFile(real, 'utf8')).toBe(REAL_TOKENS);

    child.kill('SIGINT');
    expect((await child).exitCode).toBe(0);
    await expect(stat(env.GPHOTOS_CONFIG_DIR!)).rejects.toThrow(); // removed with the emulator
  });
});
