// Google's OAuth endpoints for a Desktop client (reference §3): consent auto-approves (or denies, by knob),
// codes are single-use and PKCE-bound, refresh can be made to fail with invalid_grant, revoke kills the grant.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext, Mount } from './context.js';
import { countRoute } from './context.js';
import { readBody, sendJson, sendText } from './rpc.js';
import type { EmulatorAccount } from './api.js';
import { grantedScopes, idTokenOf, pkceMatches, type Grant } from './tokens.js';

class OAuthError extends Error {
  constructor(readonly status: number, readonly error: string, readonly description: string) {
    super(description);
  }
}

/** Loopback redirects of Desktop clients: any port, any path, http only (RFC 8252 §7.3). */
export function isLoopbackRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) && url.username === '' && url.hash === '';
}

function authorize(ctx: EmulatorContext, url: URL, res: ServerResponse): void {
  const q = url.searchParams;
  const clientId = q.get('client_id') ?? '';
  const redirectUri = q.get('redirect_uri') ?? '';
  // Errors before the redirect is trusted are shown to the user, never redirected (Google's "Error 400" page).
  if (clientId !== ctx.client.clientId) {
    sendText(res, 401, 'Error 401: invalid_client\nThe OAuth client was not found.\n');
    return;
  }
  if (!isLoopbackRedirect(redirectUri)) {
    sendText(res, 400, `Error 400: redirect_uri_mismatch\nDesktop clients must redirect to http://127.0.0.1:PORT, http://[::1]:PORT or http://localhost:PORT; got ${JSON.stringify(redirectUri)}.\n`);
    return;
  }
  const problem =
    q.get('response_type') !== 'code'
      ? 'response_type must be "code"'
      : !q.get('scope')
        ? 'Missing required parameter: scope'
        : q.get('code_challenge') && !['S256', 'plain', null].includes(q.get('code_challenge_method'))
          ? 'code_challenge_method must be S256 or plain'
          : undefined;
  if (problem) {
    sendText(res, 400, `Error 400: invalid_request\n${problem}\n`);
    return;
  }
  const back = new URL(redirectUri);
  const state = q.get('state');
  if (ctx.oauth.deny) {
    back.searchParams.set('error', 'access_denied');
  } else {
    const asked = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const scopes = grantedScopes(asked, ctx.oauth.grantScopes);
    const challenge = q.get('code_challenge');
    const code = ctx.tokens.issueCode({
      clientId,
      redirectUri,
      scopes,
      account: signInAccount(ctx, q.get('login_hint')),
      ...(challenge ? { codeChallenge: challenge, codeChallengeMethod: q.get('code_challenge_method') === 'S256' ? ('S256' as const) : ('plain' as const) } : {}),
    });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', scopes.join(' '));
  }
  if (state !== null) back.searchParams.set('state', state);
  res.writeHead(302, { location: back.toString(), 'content-length': 0 });
  res.end();
}

/** Who signs in: the account a login_hint names (email or sub), else oauth.signInAs, else the first. */
function signInAccount(ctx: EmulatorContext, hint: string | null): EmulatorAccount {
  const find = (v: string | null | undefined): EmulatorAccount | undefined =>
    v ? ctx.accounts.find((a) => a.sub === v || a.email.toLowerCase() === v.toLowerCase()) : undefined;
  const account = find(hint) ?? find(ctx.oauth.signInAs) ?? ctx.accounts[0];
  if (account === undefined) throw new OAuthError(500, 'server_error', 'The emulator has no accounts.');
  return account;
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const raw = (await readBody(req)).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      const obj = JSON.parse(raw) as Record<string, unknown>;
      return new URLSearchParams(Object.entries(obj).map(([k, v]): [string, string] => [k, String(v)]));
    } catch {
      throw new OAuthError(400, 'invalid_request', 'Malformed JSON body.');
    }
  }
  return new URLSearchParams(raw);
}

/** Client credentials from the body or HTTP Basic (RFC 6749 §2.3.1). */
function authenticateClient(ctx: EmulatorContext, req: IncomingMessage, form: URLSearchParams): string {
  let clientId = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId = decodeURIComponent(decoded.slice(0, colon));
    secret = decodeURIComponent(decoded.slice(colon + 1));
  }
  if (!clientId) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: client_id');
  if (clientId !== ctx.client.clientId) throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (secret !== ctx.client.clientSecret) throw new OAuthError(401, 'invalid_client', 'Unauthorized');
  return clientId;
}

async function token(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') throw new OAuthError(405, 'invalid_request', 'Use POST.');
  const form = await formOf(req);
  const grantType = form.get('grant_type');
  if (!grantType) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    throw new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  }
  const clientId = authenticateClient(ctx, req, form);
  const ttl = ctx.oauth.accessTokenTtlSec;
  if (grantType === 'authorization_code') {
    const value = form.get('code');
    if (!value) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: code');
    const code = ctx.tokens.redeemCode(value);
    if (!code || code.clientId !== clientId) throw new OAuthError(400, 'invalid_grant', 'Malformed auth code.');
    if (form.get('redirect_uri') !== code.redirectUri) throw new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request');
    if (code.codeChallenge !== undefined) {
      const verifier = form.get('code_verifier');
      if (!verifier) throw new OAuthError(400, 'invalid_grant', 'Missing code verifier.');
      if (!pkceMatches(verifier, code.codeChallenge, code.codeChallengeMethod ?? 'plain')) throw new OAuthError(400, 'invalid_grant', 'Invalid code verifier.');
    }
    const grant = ctx.tokens.newGrant(clientId, code.scopes, code.account);
    sendJson(res, 200, {
      access_token: ctx.tokens.issueAccess(grant, ttl),
      expires_in: Math.floor(ttl),
      refresh_token: grant.refreshToken,
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
      ...idTokenField(ctx, grant),
    }, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' });
    return;
  }
  const refresh = form.get('refresh_token');
  if (!refresh) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const grant = ctx.tokens.refreshGrant(refresh);
  if (ctx.oauth.invalidGrant || !grant || grant.clientId !== clientId) {
    throw new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  }
  sendJson(res, 200, {
    access_token: ctx.tokens.issueAccess(grant, ttl),
    expires_in: Math.floor(ttl),
    scope: grant.scopes.join(' '),
    token_type: 'Bearer',
    ...idTokenField(ctx, grant),
  }, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' });
}

/** Google sends an id_token on code exchange and on refresh alike when the grant has the openid scope. */
function idTokenField(ctx: EmulatorContext, grant: Grant): { id_token?: string } {
  const idToken = idTokenOf(grant, new URL(ctx.urls.authUrl).origin, ctx.client.clientSecret, Date.now());
  return idToken === undefined ? {} : { id_token: idToken };
}

async function revoke(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'POST' && req.method !== 'GET') throw new OAuthError(405, 'invalid_request', 'Use POST.');
  const form = await formOf(req);
  const value = url.searchParams.get('token') ?? form.get('token');
  if (!value) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: token');
  if (!ctx.tokens.revoke(value)) throw new OAuthError(400, 'invalid_token', 'Token expired or revoked');
  sendJson(res, 200, {});
}

export function oauthMount(ctx: EmulatorContext): Mount {
  return {
    prefix: '/oauth',
    async handle(req, res, path, url) {
      try {
        if (path === '/o/oauth2/v2/auth' && (req.method === 'GET' || req.method === 'HEAD')) {
          countRoute(ctx, 'auth');
          authorize(ctx, url, res);
        } else if (path === '/token') {
          countRoute(ctx, 'token');
          await token(ctx, req, res);
        } else if (path === '/revoke') {
          countRoute(ctx, 'revoke');
          await revoke(ctx, req, res, url);
        } else {
          countRoute(ctx, 'oauth.unknown');
          sendText(res, 404, 'Not Found\n');
        }
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        sendJson(res, err.status, { error: err.error, error_description: err.description });
      }
    },
  };
}
