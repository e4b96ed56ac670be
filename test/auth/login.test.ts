// The desktop login flow over real HTTP: the emulator plays Google, the test plays the browser.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthFlowError, loadTokenProvider, login, PortInUseError, TokenEndpointUnreachableError } from '../../src/auth/index.js';
import type { LoginOptions } from '../../src/auth/index.js';
import { SCOPES } from '../../src/config/endpoints.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/api.js';
import { UsageError } from '../../src/errors.js';
import { rejection } from '../helpers/rejection.js';

let em: Emulator;
let tmp: string;
let configDir: string;
let secretFile: string;
let out: string[];
let warnings: string[];
let pages: string[];

/** The browser: follow the consent URL; the emulator's 302 lands on our loopback server. */
const browse = async (url: string): Promise<void> => {
  const res = await fetch(url, { redirect: 'follow' });
  pages.push(`${res.status} ${await res.text()}`);
};

function opts(extra: Partial<LoginOptions> = {}): LoginOptions {
  return {
    env: { ...em.env },
    configDir,
    clientSecretFile: secretFile,
    print: (l) => out.push(l),
    warn: (l) => warnings.push(l),
    openUrl: browse,
    timeoutMs: 10_000,
    ...extra,
  };
}

function printedUrl(): string {
  const line = out.find((l) => l.trim().startsWith('http'));
  if (!line) throw new Error('no URL printed');
  return line.trim();
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeEach(async () => {
  em = await startEmulator({ items: 3 });
  tmp = await mkdtemp(join(tmpdir(), 'gphotos-auth-login-'));
  configDir = join(tmp, 'config');
  secretFile = join(tmp, 'client_secret_1234-abcd.apps.googleusercontent.com.json');
  await writeFile(secretFile, JSON.stringify(em.clientSecretJson));
  out = [];
  warnings = [];
  pages = [];
});

afterEach(async () => {
  await em.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('auth login', () => {
  it('signs in with PKCE and state, stores tokens 0600, installs the client file, and the tokens work', async () => {
    const result = await login(opts());

    const url = new URL(printedUrl());
    expect(url.origin + url.pathname).toBe(em.urls.authUrl);
    const q = url.searchParams;
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')!.length).toBeGreaterThanOrEqual(32);
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('prompt')).toBe('consent');
    expect(q.get('scope')!.split(' ').sort()).toEqual([SCOPES.libraryAppCreated, SCOPES.picker, 'openid', 'email'].sort());
    expect(q.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(pages[0]).toMatch(/^200 .*close this window/s);

    const tokensPath = join(configDir, 'tokens.json');
    expect(result.tokensPath).toBe(tokensPath);
    expect((await stat(tokensPath)).mode & 0o777).toBe(0o600);
    expect((await stat(configDir)).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(await readFile(tokensPath, 'utf8')) as Record<string, unknown>;
    expect(saved.refresh_token).toMatch(/^1\/\//);
    expect(saved.access_token).toEqual(expect.any(String));
    // The account (the id_token's sub, the email as a label) is kept; the id_token itself is not.
    expect(saved.account).toEqual({ sub: em.accounts[0]!.sub, email: em.accounts[0]!.email });
    expect(result.account).toEqual(saved.account);
    expect(Object.keys(saved)).not.toContain('id_token');
    expect(JSON.stringify(saved)).not.toMatch(/eyJ/); // no JWT anywhere
    expect(out.join('\n')).toContain(`Signed in as ${em.accounts[0]!.email}.`);
    expect(result.missingScopes).toEqual([]);
    expect(warnings).toEqual([]);

    // The client file was copied so later runs need no flag.
    const installed = join(configDir, 'client_secret.json');
    expect(result.clientSecretPath).toBe(installed);
    expect((await stat(installed)).mode & 0o777).toBe(0o600);

    const provider = await loadTokenProvider({ env: { ...em.env }, configDir });
    const token = await provider.getAccessToken();
    const api = await fetch(`${em.urls.library}/v1/mediaItems?pageSize=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
  });

  it('opens $BROWSER (a shell-like command line) with the URL', async () => {
    const script = join(tmp, 'fake browser.mjs');
    await writeFile(script, "const r = await fetch(process.argv[2], { redirect: 'follow' }); await r.text();\n");
    const env = { ...em.env, BROWSER: `${JSON.stringify(process.execPath)} '${script}'` };
    const { openUrl: _unused, ...rest } = opts({ env });
    const result = await login(rest);
    expect(result.missingScopes).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('a failing browser is only a warning; the printed URL still works', async () => {
    const env = { ...em.env, BROWSER: join(tmp, 'no-such-browser') };
    const { openUrl: _unused, ...rest } = opts({ env });
    const done = login({ ...rest, print: (l) => {
      out.push(l);
      // The user copies the URL by hand.
      if (l.trim().startsWith('http')) setTimeout(() => void browse(l.trim()), 50);
    } });
    await done;
    expect(warnings.join('\n')).toMatch(/Could not open a browser/);
  });

  it('--no-browser only prints the URL', async () => {
    let opened = false;
    const done = login(opts({
      noBrowser: true,
      openUrl: () => {
        opened = true;
        return Promise.resolve();
      },
      print: (l) => {
        out.push(l);
        if (l.trim().startsWith('http')) setTimeout(() => void browse(l.trim()), 50);
      },
    }));
    await done;
    expect(opened).toBe(false);
  });

  it('refuses a callback whose state does not match, with a 400 page', async () => {
    let status = 0;
    const e = await rejection(
      login(opts({
        openUrl: async (url) => {
          const consent = await fetch(url, { redirect: 'manual' });
          const back = new URL(consent.headers.get('location')!);
          back.searchParams.set('state', 'forged');
          const res = await fetch(back);
          status = res.status;
          await res.text();
        },
      })),
    );
    expect(status).toBe(400);
    expect(e).toBeInstanceOf(AuthFlowError);
    expect((e as AuthFlowError).reason).toBe('state-mismatch');
    expect(e.message).toMatch(/state/);
    await expect(stat(join(configDir, 'tokens.json'))).rejects.toThrow();
  });

  it('reports denied consent', async () => {
    em.oauth.deny = true;
    const e = await rejection(login(opts()));
    expect(e).toBeInstanceOf(AuthFlowError);
    expect((e as AuthFlowError).reason).toBe('consent-denied');
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/consent was denied/i);
    await expect(stat(join(configDir, 'tokens.json'))).rejects.toThrow();
  });

  it('reports a loopback port that is already in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const e = await rejection(login(opts({ port })));
      expect(e).toBeInstanceOf(PortInUseError);
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toContain(String(port));
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('reports a token endpoint that refuses connections', async () => {
    const dead = `http://127.0.0.1:${await freePort()}/token`;
    const e = await rejection(login(opts({ env: { ...em.env, GPHOTOS_OAUTH_TOKEN_URL: dead } })));
    expect(e).toBeInstanceOf(TokenEndpointUnreachableError);
    expect(e.kind).toBe('remote');
    expect(e.message).toContain(dead);
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.cause).toBeUndefined();
  });

  it('warns when the user unticks a scope on the consent screen', async () => {
    em.oauth.grantScopes = [SCOPES.picker];
    const result = await login(opts());
    expect(result.missingScopes).toEqual([SCOPES.libraryAppCreated]);
    expect(warnings.join('\n')).toContain(SCOPES.libraryAppCreated);
    expect(warnings.join('\n')).toContain('gphotos sync');
  });

  it('signs in as the account the consent screen picks; a refresh keeps it, and a sign-in scope cannot be unticked', async () => {
    em.oauth.signInAs = 'bob@example.com';
    em.oauth.grantScopes = [SCOPES.libraryAppCreated, SCOPES.picker]; // the boxes; openid and email have none
    const result = await login(opts());
    expect(result.account).toEqual({ sub: '110000000000000000002', email: 'bob@example.com' });
    expect(result.missingScopes).toEqual([]);
    expect(result.grantedScopes).toContain('https://www.googleapis.com/auth/userinfo.email'); // Google's name for `email`
    const provider = await loadTokenProvider({ env: { ...em.env }, configDir });
    await provider.refreshAccessToken();
    expect(provider.account()).toEqual(result.account);
    const saved = JSON.parse(await readFile(result.tokensPath, 'utf8')) as Record<string, unknown>;
    expect(saved.account).toEqual(result.account);
    expect(JSON.stringify(saved)).not.toContain('eyJ'); // the refresh's id_token is not kept either
  });

  it('times out when the browser never comes back', async () => {
    const e = await rejection(login(opts({ timeoutMs: 300, openUrl: () => Promise.resolve() })));
    expect((e as AuthFlowError).reason).toBe('login-timeout');
  });

  it('accepts exactly one callback', async () => {
    let second = 0;
    await login(opts({
      openUrl: async (url) => {
        const consent = await fetch(url, { redirect: 'manual' });
        const back = consent.headers.get('location')!;
        const first = await fetch(back);
        await first.text();
        const again = await fetch(back).catch(() => undefined);
        second = again?.status ?? -1;
        await again?.text();
      },
    }));
    // Either "already finished" or the server is already gone: never a second code.
    expect([410, -1]).toContain(second);
  });
});
