// OAuth (loopback + PKCE, refresh, revoke, knobs) and how the Library API treats tokens.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { Page, RpcErrorBody } from './helpers.js';
import { api } from './helpers.js';

const LIBRARY = 'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata';
const REDIRECT = 'http://127.0.0.1:53682/callback';

let e: Emulator;
let clientId: string;
let clientSecret: string;

beforeAll(async () => {
  e = await startEmulator({ items: 30 });
  const installed = (e.clientSecretJson as { installed: { client_id: string; client_secret: string } }).installed;
  clientId = installed.client_id;
  clientSecret = installed.client_secret;
});
afterAll(async () => {
  await e.stop();
});

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function authorize(params: Record<string, string>): Promise<Response> {
  const q = new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: LIBRARY, state: 'st4te', ...params });
  return fetch(`${e.urls.authUrl}?${q.toString()}`, { redirect: 'manual' });
}

async function codeFor(challenge: string, extra: Record<string, string> = {}): Promise<string> {
  const res = await authorize({ code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams.get('code')!;
}

async function tokenCall(form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(e.urls.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function exchange(code: string, verifier: string, extra: Record<string, string> = {}): ReturnType<typeof tokenCall> {
  return tokenCall({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: clientId, client_secret: clientSecret, ...extra });
}

describe('OAuth authorization endpoint', () => {
  it('auto-approves with a 302 carrying code, state and scope', async () => {
    const res = await authorize({ code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st4te');
    expect(back.searchParams.get('scope')).toBe(LIBRARY);
    expect(back.searchParams.get('code')).toBeTruthy();
  });

  it('accepts any loopback redirect and refuses others without redirecting', async () => {
    for (const uri of ['http://localhost:1234', 'http://[::1]:9/x', 'http://127.0.0.1:65000/']) {
      expect((await authorize({ redirect_uri: uri })).status).toBe(302);
    }
    for (const uri of ['https://evil.example/cb', 'http://192.168.1.2:80/', 'urn:ietf:wg:oauth:2.0:oob']) {
      const res = await authorize({ redirect_uri: uri });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    expect((await authorize({ client_id: 'someone-else' })).status).toBe(401);
    expect((await authorize({ response_type: 'token' })).status).toBe(400);
  });

  it('deny knob redirects with error=access_denied and the state', async () => {
    e.oauth.deny = true;
    try {
      const back = new URL((await authorize({})).headers.get('location')!);
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('state')).toBe('st4te');
      expect(back.searchParams.get('code')).toBeNull();
    } finally {
      e.oauth.deny = false;
    }
  });
});

describe('OAuth token endpoint', () => {
  it('exchanges a code with the right verifier, once', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const ok = await exchange(code, verifier);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', scope: LIBRARY, expires_in: 3599 });
    expect(ok.body['refresh_token']).toEqual(expect.any(String));
    const page = await api(e, ok.body['access_token'] as string, 'mediaItems');
    expect(page.status).toBe(200);
    const again = await exchange(code, verifier);
    expect(again.status).toBe(400);
    expect(again.body['error']).toBe('invalid_grant');
  });

  it('rejects a wrong verifier, a redirect_uri mismatch, and bad client credentials', async () => {
    const p = pkce();
    expect((await exchange(await codeFor(p.challenge), pkce().verifier)).body['error']).toBe('invalid_grant');
    const mismatch = await exchange(await codeFor(p.challenge), p.verifier, { redirect_uri: 'http://127.0.0.1:1/other' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body['error']).toBe('redirect_uri_mismatch');
    const badSecret = await exchange(await codeFor(p.challenge), p.verifier, { client_secret: 'nope' });
    expect(badSecret.status).toBe(401);
    expect(badSecret.body['error']).toBe('invalid_client');
    expect((await tokenCall({ grant_type: 'password' })).body['error']).toBe('unsupported_grant_type');
    expect((await tokenCall({ client_id: clientId })).body['error']).toBe('invalid_request');
  });

  it('accepts client credentials by HTTP Basic', async () => {
    const p = pkce();
    const code = await codeFor(p.challenge);
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const res = await tokenCall({ grant_type: 'authorization_code', code, code_verifier: p.verifier, redirect_uri: REDIRECT }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
  });

  it('refreshes, fails with invalid_grant by knob, and revoke kills the grant', async () => {
    const p = pkce();
    const first = await exchange(await codeFor(p.challenge), p.verifier);
    const refreshToken = first.body['refresh_token'] as string;
    const refresh = (): ReturnType<typeof tokenCall> => tokenCall({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret });
    const refreshed = await refresh();
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).not.toHaveProperty('refresh_token');
    expect(refreshed.body['access_token']).not.toBe(first.body['access_token']);

    e.oauth.invalidGrant = true;
    try {
      const denied = await refresh();
      expect(denied).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } });
    } finally {
      e.oauth.invalidGrant = false;
    }

    const revoke = await fetch(`${e.urls.revokeUrl}?token=${encodeURIComponent(refreshed.body['access_token'] as string)}`, { method: 'POST' });
    expect(revoke.status).toBe(200);
    expect((await refresh()).body['error']).toBe('invalid_grant');
    expect((await api(e, first.body['access_token'] as string, 'mediaItems')).status).toBe(401);
    const unknown = await fetch(e.urls.revokeUrl, { method: 'POST', body: new URLSearchParams({ token: 'nonsense' }) });
    expect(unknown.status).toBe(400);
  });

  it('grants only grantScopes when set (user unticked a scope)', async () => {
    e.oauth.grantScopes = ['openid'];
    try {
      const p = pkce();
      const res = await exchange(await codeFor(p.challenge), p.verifier);
      expect(res.body['scope']).toBe('openid');
      expect((await api(e, res.body['access_token'] as string, 'mediaItems')).status).toBe(403);
    } finally {
      delete e.oauth.grantScopes;
    }
  });
});

describe('OpenID Connect: the id_token', () => {
  const claimsOf = (idToken: string): Record<string, unknown> => {
    const [head, body, sig] = idToken.split('.');
    // HS256 with the client secret (OIDC Core §10.1): checkable here, though gphotos need not check it.
    expect(createHmac('sha256', clientSecret).update(`${head}.${body}`).digest('base64url')).toBe(sig);
    return JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>;
  };

  it('with openid and email: an id_token naming the account, on the exchange and on every refresh', async () => {
    const p = pkce();
    const res = await exchange(await codeFor(p.challenge, { scope: `${LIBRARY} openid email` }), p.verifier);
    expect(res.body['scope']).toBe(`${LIBRARY} openid https://www.googleapis.com/auth/userinfo.email`);
    expect(claimsOf(res.body['id_token'] as string)).toMatchObject({ sub: e.accounts[0]!.sub, email: e.accounts[0]!.email, email_verified: true, aud: clientId });
    const refreshed = await tokenCall({ grant_type: 'refresh_token', refresh_token: res.body['refresh_token'] as string, client_id: clientId, client_secret: clientSecret });
    expect(claimsOf(refreshed.body['id_token'] as string)).toMatchObject({ sub: e.accounts[0]!.sub });
  });

  it('without openid no id_token; without email no email claim', async () => {
    const p = pkce();
    expect(await exchange(await codeFor(p.challenge), p.verifier).then((r) => r.body)).not.toHaveProperty('id_token');
    const q = pkce();
    const res = await exchange(await codeFor(q.challenge, { scope: `${LIBRARY} openid` }), q.verifier);
    expect(claimsOf(res.body['id_token'] as string)).not.toHaveProperty('email');
  });

  it('signs in as the account a login_hint names, else oauth.signInAs, else the first', async () => {
    const who = async (extra: Record<string, string>): Promise<unknown> => {
      const p = pkce();
      const res = await exchange(await codeFor(p.challenge, { scope: 'openid email', ...extra }), p.verifier);
      return claimsOf(res.body['id_token'] as string)['email'];
    };
    expect(await who({})).toBe('alice@example.com');
    expect(await who({ login_hint: 'bob@example.com' })).toBe('bob@example.com');
    expect(await who({ login_hint: e.accounts[1]!.sub })).toBe('bob@example.com');
    e.oauth.signInAs = 'bob@example.com';
    try {
      expect(await who({})).toBe('bob@example.com');
      expect(await who({ login_hint: 'alice@example.com' })).toBe('alice@example.com');
    } finally {
      delete e.oauth.signInAs;
    }
  });
});

describe('Library API authentication', () => {
  it('401 UNAUTHENTICATED without or with an unknown token', async () => {
    const none = await fetch(`${e.urls.library}/v1/mediaItems`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as RpcErrorBody).error.status).toBe('UNAUTHENTICATED');
    const bogus = await api(e, 'ya29.bogus', 'albums');
    expect(bogus.status).toBe(401);
    expect(bogus.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('401 once the access token expires', async () => {
    e.oauth.accessTokenTtlSec = 0.3;
    const token = e.issueAccessToken();
    e.oauth.accessTokenTtlSec = 3599;
    expect((await api(e, token, 'mediaItems')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 350));
    expect((await api(e, token, 'mediaItems')).status).toBe(401);
  });

  it('403 with the exact insufficient-scopes body without the Library scope', async () => {
    const res = await api(e, e.issueAccessToken(['https://www.googleapis.com/auth/photospicker.mediaitems.readonly']), 'mediaItems');
    expect(res.status).toBe(403);
    const body = res.body as RpcErrorBody;
    expect(body.error).toMatchObject({ code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' });
    expect(body.error.details?.[0]).toMatchObject({ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', metadata: { method: 'google.photos.library.v1.PhotosLibrary.ListMediaItems' } });
  });

  it('another OAuth client sees none of the items (app-created only)', async () => {
    const other = e.issueAccessToken([LIBRARY], 'another-app');
    expect((await api(e, other, 'mediaItems')).body).toEqual({});
    expect((await api(e, other, `mediaItems/${e.items[0]!.id}`)).status).toBe(404);
    expect((await api(e, other, 'albums')).body).toEqual({});
    const mine = (await api(e, e.issueAccessToken(), 'mediaItems')).body as Page;
    expect(mine.mediaItems).toHaveLength(25);
  });
});

describe('google-auth-library against the emulator', () => {
  it('runs the desktop flow (PKCE, code exchange, refresh) unchanged', async () => {
    const client = new OAuth2Client({
      clientId,
      clientSecret,
      redirectUri: REDIRECT,
      endpoints: { oauth2AuthBaseUrl: e.urls.authUrl, oauth2TokenUrl: e.urls.tokenUrl, oauth2RevokeUrl: e.urls.revokeUrl },
    });
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: [LIBRARY],
      state: 'xyz',
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: codeChallenge!,
    });
    const redirected = await fetch(url, { redirect: 'manual' });
    const code = new URL(redirected.headers.get('location')!).searchParams.get('code')!;
    const { tokens } = await client.getToken({ code, codeVerifier });
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope).toBe(LIBRARY);
    client.setCredentials({ refresh_token: tokens.refresh_token! });
    const fresh = await client.getAccessToken();
    expect((await api(e, fresh.token!, 'mediaItems')).status).toBe(200);
    await client.revokeToken(fresh.token!);
    expect((await api(e, fresh.token!, 'mediaItems')).status).toBe(401);
  });
});
