// The authenticated client the rest of gphotos uses: refresh (persisted), invalid_grant, and a guarded token file.
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthFlowError,
  deleteStoredTokens,
  loadTokenProvider,
  login,
  TokenEndpointUnreachableError,
  UnsafeTokenFileError,
} from '../../src/auth/index.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/api.js';
import { LocalError } from '../../src/errors.js';
import { rejection } from '../helpers/rejection.js';

let em: Emulator;
let tmp: string;
let configDir: string;
let tokensPath: string;

async function signIn(): Promise<void> {
  const secretFile = join(tmp, 'client_secret.json');
  await writeFile(secretFile, JSON.stringify(em.clientSecretJson));
  await login({
    env: { ...em.env },
    configDir,
    clientSecretFile: secretFile,
    openUrl: async (url) => void (await (await fetch(url)).text()),
    timeoutMs: 10_000,
  });
}

async function saved(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(tokensPath, 'utf8')) as Record<string, unknown>;
}

async function apiStatus(token: string): Promise<number> {
  const res = await fetch(`${em.urls.library}/v1/mediaItems?pageSize=1`, { headers: { authorization: `Bearer ${token}` } });
  await res.text();
  return res.status;
}

beforeEach(async () => {
  em = await startEmulator({ items: 2 });
  tmp = await mkdtemp(join(tmpdir(), 'gphotos-auth-tp-'));
  configDir = join(tmp, 'config');
  tokensPath = join(configDir, 'tokens.json');
});

afterEach(async () => {
  await em.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('loadTokenProvider', () => {
  it('refreshes an expiring access token and persists it (0600, same refresh token)', async () => {
    // Below google-auth-library's 5-minute eager-refresh threshold, so the next use refreshes.
    em.oauth.accessTokenTtlSec = 60;
    await signIn();
    const before = await saved();
    const tokenRequests = em.stats().requests.token ?? 0;

    const provider = await loadTokenProvider({ env: { ...em.env }, configDir });
    const token = await provider.getAccessToken();
    expect(token).not.toBe(before.access_token);
    expect(em.stats().requests.token).toBe(tokenRequests + 1);
    expect(await apiStatus(token)).toBe(200);

    const after = await saved();
    expect(after.access_token).toBe(token);
    expect(after.refresh_token).toBe(before.refresh_token);
    expect(after.expiry_date).toBeGreaterThan(Date.now());
    expect((await stat(tokensPath)).mode & 0o777).toBe(0o600);

    // A new process picks up the refreshed token from disk.
    em.oauth.accessTokenTtlSec = 3599;
    const again = await loadTokenProvider({ env: { ...em.env }, configDir });
    const next = await again.getAccessToken();
    expect(await apiStatus(next)).toBe(200);
  });

  it('uses a still-valid token without refreshing, and forces one on request (shared by concurrent callers)', async () => {
    await signIn();
    const before = await saved();
    const provider = await loadTokenProvider({ env: { ...em.env }, configDir });
    const n = em.stats().requests.token ?? 0;
    expect(await provider.getAccessToken()).toBe(before.access_token);
    expect(em.stats().requests.token ?? 0).toBe(n);

    const [a, b] = await Promise.all([provider.refreshAccessToken(), provider.refreshAccessToken()]);
    expect(a).toBe(b);
    expect(a).not.toBe(before.access_token);
    expect(em.stats().requests.token).toBe(n + 1);
    expect((await saved()).access_token).toBe(a);
    expect(await provider.getAccessToken()).toBe(a);
  });

  it('turns invalid_grant into an AuthError that says to log in again', async () => {
    await signIn();
    em.oauth.invalidGrant = true;
    const provider = await loadTokenProvider({ env: { ...em.env }, configDir });
    const e = await rejection(provider.refreshAccessToken());
    expect(e).toBeInstanceOf(AuthFlowError);
    expect((e as AuthFlowError).reason).toBe('invalid-grant');
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/expired or was revoked/);
    expect(e.message).toMatch(/7 days/);
    expect(e.hint).toContain('gphotos auth login');
    expect(e.cause).toBeUndefined();
  });

  it('reports an unreachable token endpoint during refresh', async () => {
    em.oauth.accessTokenTtlSec = 10;
    await signIn();
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const dead = `http://127.0.0.1:${(s.address() as { port: number }).port}/token`;
    await new Promise((r) => s.close(r));
    const provider = await loadTokenProvider({ env: { ...em.env, GPHOTOS_OAUTH_TOKEN_URL: dead }, configDir });
    const e = await rejection(provider.getAccessToken());
    expect(e).toBeInstanceOf(TokenEndpointUnreachableError);
  });

  it('says "not logged in" without tokens.json', async () => {
    const e = await rejection(loadTokenProvider({ env: { ...em.env }, configDir }));
    expect((e as AuthFlowError).reason).toBe('not-logged-in');
    expect(e.message).toMatch(/not logged in/i);
  });

  it('refuses a corrupt tokens.json without quoting it', async () => {
    await mkdir(configDir, { recursive: true });
    await writeFile(tokensPath, '{"refresh_token": "1//SECRET-PART', { mode: 0o600 });
    const e = await rejection(loadTokenProvider({ env: { ...em.env }, configDir }));
    expect((e as AuthFlowError).reason).toBe('token-file-corrupt');
    expect(e.message).toContain(tokensPath);
    expect(e.hint).toContain('gphotos auth login');
    expect(`${e.message} ${e.hint}`).not.toContain('SECRET');
  });

  it('refuses a tokens.json readable by others, saying chmod 600', async () => {
    await signIn();
    await chmod(tokensPath, 0o644);
    const e = await rejection(loadTokenProvider({ env: { ...em.env }, configDir }));
    expect(e).toBeInstanceOf(UnsafeTokenFileError);
    expect(e).toBeInstanceOf(LocalError);
    expect(e.message).toContain('644');
    expect(e.hint).toContain(`chmod 600 ${tokensPath}`);
  });

  it('deleteStoredTokens forgets the login', async () => {
    await signIn();
    expect(await deleteStoredTokens(configDir)).toBe(true);
    expect(await deleteStoredTokens(configDir)).toBe(false);
    const e = await rejection(loadTokenProvider({ env: { ...em.env }, configDir }));
    expect((e as AuthFlowError).reason).toBe('not-logged-in');
  });
});
