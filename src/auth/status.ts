// `gphotos auth status`: what is configured and whether we are signed in. Never shows a token.
import { resolveEndpoints, scopeGranted } from '../config/endpoints.js';
import type { Endpoints } from '../config/endpoints.js';
import { configDir as defaultConfigDir, configPaths, profileName } from '../config/paths.js';
import type { Account } from './account.js';
import { messageOf } from '../errors.js';
import { clientSecretPath, loadClientSecret } from './client-secret.js';
import type { ClientSecret } from './client-secret.js';
import { LOGIN_SCOPES } from './login.js';
import { locateTokens, ownerOf } from './token-file.js';
import { readTokens } from './token-store.js';
import type { StoredTokens } from './token-store.js';

export interface AuthStatus {
  /** Saved tokens exist (not proof that Google still accepts them: `auth status --check` refreshes one). */
  loggedIn: boolean;
  /** The profile (--profile) whose login this is. */
  profile: string;
  /** The Google account signed in; undefined for a login made before gphotos asked for openid. */
  account: Account | undefined;
  configDir: string;
  tokensPath: string;
  clientSecretPath: string;
  /** The OAuth client id (public, shown so the user can tell which project is in use). */
  clientId: string | undefined;
  grantedScopes: string[];
  missingScopes: string[];
  /** When the saved access token expires (it is refreshed automatically; this is not the login's lifetime). */
  accessTokenExpiry: Date | undefined;
  endpoints: Endpoints;
  /** Things the user should fix, each a sentence. */
  problems: string[];
}

export async function authStatus(opts: { env: NodeJS.ProcessEnv; configDir?: string; clientSecretFile?: string }): Promise<AuthStatus> {
  const dir = opts.configDir ?? defaultConfigDir(opts.env);
  const paths = configPaths(dir);
  const problems: string[] = [];

  let secret: ClientSecret | undefined;
  try {
    secret = await loadClientSecret({ file: opts.clientSecretFile, env: opts.env, configDir: dir });
  } catch (e) {
    problems.push(messageOf(e));
  }
  const endpoints = resolveEndpoints(opts.env, secret ?? {});
  let tokens: StoredTokens | undefined;
  let tokensPath = paths.tokens;
  try {
    if (secret === undefined) tokens = await readTokens(paths.tokens);
    else ({ path: tokensPath, tokens } = await locateTokens(dir, ownerOf(secret)));
  } catch (e) {
    problems.push(messageOf(e));
  }
  const granted = tokens?.scope ? tokens.scope.split(/\s+/).filter(Boolean) : [];
  const missing = tokens ? LOGIN_SCOPES.filter((s) => !scopeGranted(s, granted)) : [];
  if (tokens && secret && tokens.client_id && tokens.client_id !== secret.clientId) {
    problems.push(`The saved tokens belong to OAuth client ${tokens.client_id}, not ${secret.clientId}; run \`gphotos auth login\`.`);
  }
  return {
    loggedIn: tokens !== undefined,
    profile: profileName(opts.env),
    account: tokens?.account,
    configDir: dir,
    tokensPath,
    clientSecretPath: secret?.path ?? clientSecretPath({ file: opts.clientSecretFile, env: opts.env, configDir: dir }),
    clientId: secret?.clientId,
    grantedScopes: granted,
    missingScopes: missing,
    accessTokenExpiry: tokens?.expiry_date === undefined ? undefined : new Date(tokens.expiry_date),
    endpoints,
    problems,
  };
}
