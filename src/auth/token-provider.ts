// The authenticated side of auth for the rest of the program: a fresh access token on demand, refreshed
// automatically through google-auth-library and persisted to tokens.json whenever Google issues a new one.
import type { Credentials, OAuth2Client } from 'google-auth-library';
import { resolveEndpoints } from '../config/endpoints.js';
import { configDir as defaultConfigDir, configPaths, loginCommand } from '../config/paths.js';
import { messageOf } from '../errors.js';
import { loadClientSecret } from './client-secret.js';
import { AuthFlowError } from './errors.js';
import { anyTokenFile, locateTokens, ownerOf } from './token-file.js';
import { readTokens, writeTokens } from './token-store.js';
import type { StoredTokens } from './token-store.js';
import { accountFromIdToken, type Account } from './account.js';

export interface TokenProvider {
  /** A valid access token (refreshed first when missing or within 5 minutes of expiry). */
  getAccessToken(): Promise<string>;
  /** Force a refresh, e.g. after a 401; concurrent calls share one refresh. */
  refreshAccessToken(): Promise<string>;
  /** Scopes granted at the last login or refresh. */
  grantedScopes(): string[];
  /** The file the tokens live in (see token-file.ts). */
  readonly tokensPath: string;
  /** The Google account of this login; undefined for a login made before gphotos asked for openid. */
  account(): Account | undefined;
}

export interface TokenProviderOptions {
  env: NodeJS.ProcessEnv;
  configDir?: string;
  clientSecretFile?: string;
  /** Told when a refreshed token could not be saved (the run continues with it in memory). */
  onWarning?: (message: string) => void;
}

export async function loadTokenProvider(opts: TokenProviderOptions): Promise<TokenProvider> {
  const dir = opts.configDir ?? defaultConfigDir(opts.env);
  const notLoggedIn = (path: string): AuthFlowError =>
    new AuthFlowError('not-logged-in', `Not logged in (no ${path}).`, { hint: `Run \`${loginCommand(opts.env)}\` first.` });
  // A damaged tokens.json is named before anything else (it may be the only login there is).
  await readTokens(configPaths(dir).tokens);
  if (!(await anyTokenFile(dir))) throw notLoggedIn(configPaths(dir).tokens);
  const secret = await loadClientSecret({ file: opts.clientSecretFile, env: opts.env, configDir: dir });
  const endpoints = resolveEndpoints(opts.env, secret);
  const { path: tokensPath, tokens: stored } = await locateTokens(dir, ownerOf(secret));
  if (!stored) throw notLoggedIn(tokensPath);
  let current: StoredTokens = stored;
  let pendingWrite: Promise<void> = Promise.resolve();
  // google-auth-library (and its HTTP stack) is loaded only when a token must be refreshed: a run whose stored
  // access token is still good (most runs of a schedule within the hour) never needs it.
  let oauth: Promise<{ client: OAuth2Client; wrap: typeof import('./oauth-client.js').wrapOAuthError }> | undefined;
  const oauthClient = () =>
    (oauth ??= import('./oauth-client.js').then(({ createOAuthClient, wrapOAuthError }) => {
      const client = createOAuthClient(secret, endpoints);
      client.setCredentials(toCredentials(current));
      client.on('tokens', (t: Credentials) => {
        // Google normally sends no new refresh token on refresh: keep the one we have.
        const next: StoredTokens = { ...current, refresh_token: t.refresh_token || current.refresh_token };
        if (t.access_token) next.access_token = t.access_token;
        if (typeof t.expiry_date === 'number') next.expiry_date = t.expiry_date;
        if (t.scope) next.scope = t.scope;
        if (t.token_type) next.token_type = t.token_type;
        // A refresh of an openid grant names the account again; that fills in one the stored login lacked.
        const named = t.id_token ? accountFromIdToken(t.id_token, secret.clientId) : undefined;
        if (named !== undefined && current.account === undefined) next.account = named;
        current = next;
        // Writes are chained so an older token never overwrites a newer one on disk.
        pendingWrite = pendingWrite
          .then(() => writeTokens(tokensPath, next))
          .catch((e: unknown) => opts.onWarning?.(`Could not save the refreshed access token: ${messageOf(e)}`));
      });
      return { client, wrap: wrapOAuthError };
    }));

  const tokenOrThrow = (token: string | null | undefined): string => {
    if (!token) throw new AuthFlowError('oauth-error', `The token endpoint ${endpoints.tokenUrl} returned no access token.`);
    return token;
  };

  const forceRefresh = async (): Promise<string> => {
    const { client, wrap } = await oauthClient();
    let access: string | null | undefined;
    try {
      ({ credentials: { access_token: access } } = await client.refreshAccessToken());
    } catch (e) {
      throw wrap(e, 'refresh', endpoints.tokenUrl);
    }
    await pendingWrite;
    return tokenOrThrow(access);
  };

  let inflight: Promise<string> | undefined;
  return {
    tokensPath,
    async getAccessToken() {
      if (inflight) return inflight;
      // google-auth-library's own rule: a token with more than 5 minutes left is used as it is.
      if (oauth === undefined && current.access_token && current.expiry_date !== undefined && current.expiry_date > Date.now() + EAGER_REFRESH_MS) {
        return current.access_token;
      }
      const { client, wrap } = await oauthClient();
      let token: string | null | undefined;
      try {
        ({ token } = await client.getAccessToken());
      } catch (e) {
        throw wrap(e, 'refresh', endpoints.tokenUrl);
      }
      await pendingWrite;
      return tokenOrThrow(token);
    },
    refreshAccessToken() {
      if (inflight) return inflight;
      const p = forceRefresh().finally(() => {
        if (inflight === p) inflight = undefined;
      });
      inflight = p;
      return p;
    },
    account() {
      return current.account;
    },
    grantedScopes() {
      return current.scope ? current.scope.split(/\s+/).filter(Boolean) : [];
    },
  };
}

/** OAuth2Client's default eagerRefreshThresholdMillis. */
const EAGER_REFRESH_MS = 5 * 60_000;

function toCredentials(t: StoredTokens): Credentials {
  const c: Credentials = { refresh_token: t.refresh_token };
  if (t.access_token !== undefined) c.access_token = t.access_token;
  if (t.expiry_date !== undefined) c.expiry_date = t.expiry_date;
  if (t.scope !== undefined) c.scope = t.scope;
  if (t.token_type !== undefined) c.token_type = t.token_type;
  return c;
}
