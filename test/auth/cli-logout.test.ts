// `gphotos auth login|status|logout` through yargs as the CLI wires it, logout's revocation, and a sweep for
// leaked tokens in everything printed and every error raised.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthFlowError, loadTokenProvider, login, logout } from '../../src/auth/index.js';
import { makeAuthCommand } from '../../src/cli/commands/auth.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/api.js';
import { GphotosError } from '../../src/errors.js';

let em: Emulator;
let tmp: string;
let configDir: string;
let tokensPath: string;
let secretFile: string;
let browserScript: string;
let out: string[];
let err: string[];

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // BROWSER runs a tiny node "browser" that follows the consent URL back to the loopback server.
  return { ...em.env, GPHOTOS_CONFIG_DIR: configDir, BROWSER: `${JSON.stringify(process.execPath)} ${JSON.stringify(browserScript)}`, ...extra };
}

async function cli(args: string[], e: NodeJS.ProcessEnv = env()): Promise<void> {
  await yargs(args)
    .scriptName('gphotos')
    .command(makeAuthCommand({ env: e, out: (l) => out.push(l), err: (l) => err.push(l) }))
    .strict()
    .exitProcess(false)
    .fail((msg, e2) => {
      throw e2 ?? new Error(msg);
    })
    .parseAsync();
}

beforeEach(async () => {
  em = await startEmulator({ items: 2 });
  tmp = await mkdtemp(join(tmpdir(), 'gphotos-auth-cli-'));
  configDir = join(tmp, 'config');
  tokensPath = join(configDir, 'tokens.json');
  secretFile = join(tmp, 'client_secret_xyz.json');
  await writeFile(secretFile, JSON.stringify(em.clientSecretJson));
  browserScript = join(tmp, 'browser.mjs');
  await writeFile(browserScript, "const r = await fetch(process.argv[2], { redirect: 'follow' }); await r.text();\n");
  out = [];
  err = [];
});

afterEach(async () => {
  await em.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('gphotos auth (CLI)', () => {
  it('login, status, logout', async () => {
    await cli(['auth', 'login', '--client-secret', secretFile]);
    expect(out.some((l) => l.includes(em.urls.authUrl))).toBe(true);
    expect(out.join('\n')).toContain(`Tokens saved to ${tokensPath}`);
    expect((await stat(tokensPath)).mode & 0o777).toBe(0o600);

    out = [];
    await cli(['auth', 'status']);
    const text = out.join('\n');
    expect(text).toMatch(/Logged in:\s+yes/);
    expect(text).toContain('photospicker.mediaitems.readonly');
    expect(text).toContain(configDir);
    expect(text).toMatch(/expires .* \(in \d+ min\)/);

    out = [];
    await cli(['auth', 'status', '--json']);
    const json = JSON.parse(out.join('\n')) as { loggedIn: boolean; tokensPath: string };
    expect(json.loggedIn).toBe(true);
    expect(json.tokensPath).toBe(tokensPath);

    out = [];
    await cli(['auth', 'logout']);
    expect(out.join('\n')).toMatch(/revoked/);
    await expect(stat(tokensPath)).rejects.toThrow();

    out = [];
    await cli(['auth', 'status']);
    expect(out.join('\n')).toMatch(/Logged in:\s+no/);
  });

  it('rejects a bad --port', async () => {
    await expect(cli(['auth', 'login', '--port', '70000'])).rejects.toThrow(/--port/);
  });
});

describe('logout', () => {
  it('revokes at Google (the old refresh token stops working) and deletes tokens.json', async () => {
    await cli(['auth', 'login', '--client-secret', secretFile]);
    const oldTokens = await readFile(tokensPath, 'utf8');
    const r = await logout({ env: env() });
    expect(r).toEqual({ tokensPath, revoked: true, deleted: true });
    await expect(stat(tokensPath)).rejects.toThrow();

    // Put the old tokens back: Google must refuse them now.
    await writeFile(tokensPath, oldTokens, { mode: 0o600 });
    const provider = await loadTokenProvider({ env: env() });
    const e = await provider.refreshAccessToken().then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AuthFlowError);
    expect((e as AuthFlowError).reason).toBe('invalid-grant');
  });

  it('a failed revocation is a warning; the tokens are deleted anyway', async () => {
    await cli(['auth', 'login', '--client-secret', secretFile]);
    await cli(['auth', 'logout'], env({ GPHOTOS_OAUTH_REVOKE_URL: 'http://127.0.0.1:9/revoke' }));
    expect(err.join('\n')).toMatch(/warning: Could not revoke/);
    await expect(stat(tokensPath)).rejects.toThrow();
  });

  it('revokes even a token file others could read (that is when it matters most)', async () => {
    await cli(['auth', 'login', '--client-secret', secretFile]);
    await chmod(tokensPath, 0o644);
    const r = await logout({ env: env() });
    expect(r.revoked).toBe(true);
    expect(r.deleted).toBe(true);
  });

  it('not logged in: nothing to do, no error', async () => {
    await cli(['auth', 'logout']);
    expect(out.join('\n')).toMatch(/Not logged in/);
  });
});

describe('no token ever appears in output or errors', () => {
  it('sweeps printed lines and the errors of every failure path', async () => {
    const secrets = new Set<string>();
    const seen: string[] = [];
    const collect = (e: unknown): void => {
      expect(e).toBeInstanceOf(GphotosError);
      const g = e as GphotosError;
      // Everything a renderer or a debug dump could show, including the cause chain.
      seen.push(g.message, g.hint ?? '', g.stack ?? '', JSON.stringify(g), g.cause instanceof Error ? g.cause.message : JSON.stringify(g.cause ?? null));
    };

    em.oauth.accessTokenTtlSec = 30;
    await login({ env: env(), clientSecretFile: secretFile, print: (l) => out.push(l), warn: (l) => err.push(l), timeoutMs: 10_000 });
    const first = JSON.parse(await readFile(tokensPath, 'utf8')) as { refresh_token: string; access_token: string };
    secrets.add(first.refresh_token).add(first.access_token);

    const provider = await loadTokenProvider({ env: env() });
    secrets.add(await provider.getAccessToken());
    await cli(['auth', 'status']);
    await cli(['auth', 'status', '--json']);

    em.oauth.invalidGrant = true;
    await provider.refreshAccessToken().catch(collect);
    await provider.getAccessToken().catch(collect);
    em.oauth.invalidGrant = false;

    const deadEnv = env({ GPHOTOS_OAUTH_TOKEN_URL: 'http://127.0.0.1:9/token', GPHOTOS_OAUTH_REVOKE_URL: 'http://127.0.0.1:9/revoke' });
    await (await loadTokenProvider({ env: deadEnv })).refreshAccessToken().catch(collect);
    // The revoke URL carries the token in its query: the warning must not.
    await cli(['auth', 'logout'], deadEnv);

    await writeFile(tokensPath, JSON.stringify(first).slice(0, 40), { mode: 0o600 });
    await loadTokenProvider({ env: env() }).catch(collect);

    expect(seen.length).toBeGreaterThanOrEqual(4 * 5);
    const everything = [...out, ...err, ...seen].join('\n');
    for (const s of secrets) {
      expect(s.length).toBeGreaterThan(20);
      // Raw, URL-encoded (as in form bodies and revoke URLs), or a recognisable piece of it.
      expect(everything).not.toContain(s);
      expect(everything).not.toContain(encodeURIComponent(s));
      expect(everything).not.toContain(s.slice(8, 32));
    }
    expect(everything).not.toContain('gphotos-emulator-secret');
  });
});
