// One place that builds google-auth-library's OAuth2Client for our endpoints and turns its errors into ours.
// gaxios errors carry the request (config.data holds the refresh token, client secret and code; revoke URLs hold
// the token in the query), so they are never passed on as `cause` nor quoted: only the OAuth error code survives.
import { gaxios, OAuth2Client } from 'google-auth-library';
import type { Endpoints } from '../config/endpoints.js';
import type { GphotosError } from '../errors.js';
import { RemoteError } from '../errors.js';
import type { ClientSecret } from './client-secret.js';
import { AuthFlowError, TokenEndpointUnreachableError } from './errors.js';

export function createOAuthClient(secret: ClientSecret, endpoints: Endpoints, redirectUri?: string): OAuth2Client {
  return new OAuth2Client({
    clientId: secret.clientId,
    clientSecret: secret.clientSecret,
    ...(redirectUri === undefined ? {} : { redirectUri }),
    endpoints: {
      oauth2AuthBaseUrl: endpoints.authUrl,
      oauth2TokenUrl: endpoints.tokenUrl,
      oauth2RevokeUrl: endpoints.revokeUrl,
    },
  });
}

export type OAuthAction = 'exchange' | 'refresh' | 'revoke';

const INVALID_GRANT_REFRESH =
  'Google refused the saved refresh token (invalid_grant): it expired or was revoked. Refresh tokens of apps whose consent screen is in "Testing" status expire after 7 days.';

/** Convert anything google-auth-library throws into a token-free GphotosError. */
export function wrapOAuthError(e: unknown, action: OAuthAction, url: string): GphotosError {
  const safeUrl = stripQuery(url);
  if (e instanceof gaxios.GaxiosError) {
    const status = e.response?.status;
    if (status === undefined) {
      return new TokenEndpointUnreachableError(safeUrl, typeof e.code === 'string' ? e.code : undefined);
    }
    const data: unknown = e.response?.data;
    const oauthError = isRecord(data) && typeof data.error === 'string' && /^[\w.-]{1,64}$/.test(data.error) ? data.error : undefined;
    if (oauthError === 'invalid_grant') {
      return action === 'refresh'
        ? new AuthFlowError('invalid-grant', INVALID_GRANT_REFRESH, {
            hint: 'Run `gphotos auth login` to sign in again (publish the app "In production" to avoid the weekly expiry; see docs/google-cloud-setup.md).',
          })
        : new AuthFlowError('invalid-grant', `The ${action === 'exchange' ? 'authorization code' : 'token'} was refused by ${safeUrl} (invalid_grant).`, {
            hint: 'Run `gphotos auth login` again.',
          });
    }
    if (status >= 500 || status === 429) {
      return new RemoteError(`The OAuth endpoint ${safeUrl} failed with HTTP ${status}.`, { status, retryable: true });
    }
    if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client') {
      return new AuthFlowError('oauth-error', `The OAuth endpoint ${safeUrl} does not accept this client (${oauthError}).`, {
        hint: 'Check client_secret.json: it must belong to a "Desktop app" OAuth client of your project; see docs/google-cloud-setup.md.',
      });
    }
    return new AuthFlowError('oauth-error', `The OAuth endpoint ${safeUrl} refused the ${action} (HTTP ${status}${oauthError ? `, ${oauthError}` : ''}).`);
  }
  // google-auth-library's own errors (e.g. "No refresh token is set.") name no credentials.
  return new AuthFlowError('oauth-error', `OAuth ${action} failed: ${e instanceof Error ? e.message : String(e)}`);
}

function stripQuery(url: string): string {
  const i = url.search(/[?#]/);
  return i === -1 ? url : url.slice(0, i);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
