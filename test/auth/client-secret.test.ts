// Where the config lives and which client_secret.json is used, and how a wrong one is explained.
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authStatus } from '../../src/auth/index.js';
import { installClientSecret, loadClientSecret } from '../../src/auth/client-secret.js';
import { splitCommand } from '../../src/auth/browser.js';
import { configDir, ensureConfigDir } from '../../src/config/paths.js';
import { UsageError } from '../../src/errors.js';

let tmp: string;
let cfg: string;

const installed = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({
    installed: {
      client_id: '123-abc.apps.googleusercontent.com',
      client_secret: 'GOCSPX-test',
      auth_uri: 'http://127.0.0.1:9/from-file/auth',
      token_uri: 'http://127.0.0.1:9/from-file/token',
      ...over,
    },
  });

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gphotos-auth-cs-'));
  cfg = join(tmp, 'config');
  await mkdir(cfg);
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('config dir', () => {
  it('follows GPHOTOS_CONFIG_DIR, then XDG_CONFIG_HOME, then the platform default', () => {
    expect(configDir({ GPHOTOS_CONFIG_DIR: '/x/cfg', XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/x/cfg');
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' }, 'darwin', '/Users/u')).toBe('/xdg/gphotos');
    expect(configDir({}, 'linux', '/home/u')).toBe('/home/u/.config/gphotos');
    expect(configDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/gphotos');
    expect(configDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\gphotos');
  });

  it('is created 0700', async () => {
    const dir = join(tmp, 'a', 'b', 'gphotos');
    await ensureConfigDir(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });
});

describe('client_secret.json', () => {
  it('missing: names the file and points to the setup guide', async () => {
    const e = await usageError(loadClientSecret({ env: {}, configDir: cfg }));
    expect(e.message).toContain(join(cfg, 'client_secret.json'));
    expect(e.hint).toContain('docs/google-cloud-setup.md');
    expect(e.hint).toContain('Desktop app');
  });

  it('malformed JSON: names the file and what is expected', async () => {
    const f = join(tmp, 'bad.json');
    await writeFile(f, '{"installed": ');
    const e = await usageError(loadClientSecret({ file: f, env: {}, configDir: cfg }));
    expect(e.message).toContain(f);
    expect(e.message).toContain('"installed"');
    expect(e.hint).toContain('docs/google-cloud-setup.md');
  });

  it('a "web" client is refused with advice to create a Desktop app client', async () => {
    const f = join(tmp, 'web.json');
    await writeFile(f, JSON.stringify({ web: { client_id: 'x', client_secret: 'y' } }));
    const e = await usageError(loadClientSecret({ file: f, env: {}, configDir: cfg }));
    expect(e.message).toContain('Desktop app');
    expect(e.message).toContain(f);
  });

  it('an "installed" section without a secret is refused', async () => {
    const f = join(tmp, 'nosecret.json');
    await writeFile(f, installed({ client_secret: undefined }));
    const e = await usageError(loadClientSecret({ file: f, env: {}, configDir: cfg }));
    expect(e.message).toContain('client_secret');
  });

  it('--client-secret wins over $GPHOTOS_CLIENT_SECRET, which wins over the config dir', async () => {
    const flag = join(tmp, 'flag.json');
    const envFile = join(tmp, 'env.json');
    await writeFile(flag, installed({ client_id: 'from-flag' }));
    await writeFile(envFile, installed({ client_id: 'from-env' }));
    await writeFile(join(cfg, 'client_secret.json'), installed({ client_id: 'from-config' }));
    const env = { GPHOTOS_CLIENT_SECRET: envFile };
    expect((await loadClientSecret({ file: flag, env, configDir: cfg })).clientId).toBe('from-flag');
    expect((await loadClientSecret({ env, configDir: cfg })).clientId).toBe('from-env');
    expect((await loadClientSecret({ env: {}, configDir: cfg })).clientId).toBe('from-config');
  });

  it('is installed into the config dir 0600', async () => {
    const f = join(tmp, 'dl.json');
    await writeFile(f, installed(), { mode: 0o644 });
    const dest = await installClientSecret(await loadClientSecret({ file: f, env: {}, configDir: cfg }), cfg);
    expect(dest).toBe(join(cfg, 'client_secret.json'));
    expect((await stat(dest)).mode & 0o777).toBe(0o600);
    expect((await loadClientSecret({ env: {}, configDir: cfg })).clientId).toBe('123-abc.apps.googleusercontent.com');
  });

  it("feeds auth_uri/token_uri to the endpoints; the environment wins", async () => {
    await writeFile(join(cfg, 'client_secret.json'), installed());
    const fromFile = await authStatus({ env: {}, configDir: cfg });
    expect(fromFile.endpoints.authUrl).toBe('http://127.0.0.1:9/from-file/auth');
    expect(fromFile.endpoints.tokenUrl).toBe('http://127.0.0.1:9/from-file/token');
    const fromEnv = await authStatus({ env: { GPHOTOS_OAUTH_TOKEN_URL: 'http://127.0.0.1:9/env/token' }, configDir: cfg });
    expect(fromEnv.endpoints.tokenUrl).toBe('http://127.0.0.1:9/env/token');
    expect(fromEnv.endpoints.authUrl).toBe('http://127.0.0.1:9/from-file/auth');
  });
});

describe('$BROWSER splitting', () => {
  it('splits like a shell: quotes and backslashes', () => {
    expect(splitCommand(`"/Applications/Google Chrome.app/x" --new-window`)).toEqual(['/Applications/Google Chrome.app/x', '--new-window']);
    expect(splitCommand(`firefox  -P 'my profile' a\\ b ""`)).toEqual(['firefox', '-P', 'my profile', 'a b', '']);
  });
});
