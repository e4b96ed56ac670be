// `gphotos auth login`: the desktop OAuth flow (loopback redirect + PKCE S256 + state), then tokens.json.
import { randomBytes } from 'node:crypto';
import { CodeChallengeMethod } from 'google-auth-library';
import { resolveEndpoints, scopeGranted, SCOPES } from '../config/endpoints.js';
import { accountFromIdToken, accountLabel, type Account } from './account.js';
import { configDir as defaultConfigDir, ensureConfigDir } from '../config/paths.js';
import { AuthFlowError } from './errors.js';
import { openBrowser } from './browser.js';
import { installClientSecret, loadClientSecret } from './client-secret.js';
import { startLoopback } from './loopback.js';
import { createOAuthClient, wrapOAuthError } from './oauth-client.js';
import { locateTokens, ownerOf } from './token-file.js';
import { writeTokens } from './token-store.js';
import type { StoredTokens } from './token-store.js';

export const LOGIN_SCOPES: readonly string[] = [SCOPES.libraryAppCreated, SCOPES.picker, SCOPES.openid, SCOPES.email];

/** What stops working without each scope, for the "you unticked a box" warning. */
export const SCOPE_CONSEQUENCE: Readonly<Record<string, string>> = {
  [SCOPES.libraryAppCreated]: '`gphotos sync` (Library API: items this app created) will not work',
  [SCOPES.picker]: '`gphotos pick` (Google Photos Picker: your existing photos) will not work',
  [SCOPES.openid]: 'gphotos cannot tell which Google account an archive belongs to',
  [SCOPES.email]: 'accounts are named by their id instead of their email address',
};

export const DEFAULT_LOGIN_TIMEOUT_MS = 5 * 60 * 1000;

export interface LoginOptions {
  env: NodeJS.ProcessEnv;
  configDir?: string;
  /** --client-secret: read it, and copy it into the config dir for later runs. */
  clientSecretFile?: string;
  /** --no-browser: only print the URL. */
  noBrowser?: boolean;
  /** --login-hint: the account (email) Google's consent page should preselect; only a hint, who signs in is read back. */
  loginHint?: string;
  /** --port for the loopback server; 0 (default) picks a free one. */
  port?: number;
  timeoutMs?: number;
  /** Normal output (the URL, the result). */
  print?: (line: string) => void;
  /** Warnings (browser did not open, scopes not granted). */
  warn?: (line: string) => void;
  /** Replaces the browser launcher; tests use it to play the browser. Not called with noBrowser. */
  openUrl?: (url: string) => Promise<void>;
}

export interface LoginResult {
  configDir: string;
  tokensPath: string;
  clientSecretPath: string;
  grantedScopes: string[];
  missingScopes: string[];
  accessTokenExpiry: Date | undefined;
  /** Who signed in (undefined when the token response carried no usable id_token). */
  account: Account | undefined;
}

export async function login(opts: LoginOptions): Promise<LoginResult> {
  const print = opts.print ?? (() => undefined);
  const warn = opts.warn ?? (() => undefined);
  const dir = opts.configDir ?? defaultConfigDir(opts.env);
  await ensureConfigDir(dir);

  const secret = await loadClientSecret({ file: opts.clientSecretFile, env: opts.env, configDir: dir });
  // Install right after validation so a retry (say, after denying consent) needs no flag.
  const clientSecretPath = opts.clientSecretFile ? await installClientSecret(secret, dir) : secret.path;
  const endpoints = resolveEndpoints(opts.env, secret);

  const state = randomBytes(32).toString('base64url');
  const loopback = await startLoopback({ port: opts.port ?? 0, state, timeoutMs: opts.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS });
  let code: string;
  let client;
  let codeVerifier: string;
  try {
    client = createOAuthClient(secret, endpoints, loopback.redirectUri);
    const pkce = await client.generateCodeVerifierAsync();
    codeVerifier = pkce.codeVerifier;
    if (pkce.codeChallenge === undefined) throw new Error('google-auth-library returned no PKCE code challenge.');
    const codeChallenge = pkce.codeChallenge;
    const url = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent', // Google returns a refresh token only on a fresh consent
      scope: [...LOGIN_SCOPES],
      state,
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: codeChallenge,
      ...(opts.loginHint === undefined ? {} : { login_hint: opts.loginHint }),
    });
    print('Open this URL in your browser to sign in to Google Photos:');
    print(`  ${url}`);
    print(`Waiting for the browser to return to ${loopback.redirectUri} …`);
    if (!opts.noBrowser) {
      const warning = opts.openUrl
        ? await opts.openUrl(url).then(
            () => undefined,
            (e: unknown) => `Could not open a browser (${e instanceof Error ? e.message : String(e)}); open the URL above yourself.`,
          )
        : await openBrowser(url, opts.env);
      if (warning) warn(warning);
    }
    code = await loopback.waitForCode();
  } finally {
    await loopback.close();
  }

  let tokens;
  try {
    ({ tokens } = await client.getToken({ code, codeVerifier }));
  } catch (e) {
    throw wrapOAuthError(e, 'exchange', endpoints.tokenUrl);
  }
  if (!tokens.refresh_token) {
    throw new AuthFlowError('oauth-error', 'Google returned no refresh token, so gphotos could not stay signed in.', {
      hint: 'Remove gphotos from https://myaccount.google.com/permissions and run `gphotos auth login` again.',
    });
  }
  const stored: StoredTokens = { refresh_token: tokens.refresh_token, client_id: secret.clientId, token_url: ownerOf(secret).tokenUrl };
  if (tokens.access_token) stored.access_token = tokens.access_token;
  if (typeof tokens.expiry_date === 'number') stored.expiry_date = tokens.expiry_date;
  if (tokens.scope) stored.scope = tokens.scope;
  if (tokens.token_type) stored.token_type = tokens.token_type;
  const account = tokens.id_token ? accountFromIdToken(tokens.id_token, secret.clientId) : undefined;
  if (account !== undefined) stored.account = account;
  // Tokens of another client or endpoint (a Google login, when this is the emulator) are left alone.
  const tokensPath = (await locateTokens(dir, ownerOf(secret), { forLogin: true })).path;
  await writeTokens(tokensPath, stored);

  // Google's granular consent lets the user untick scopes; the token response says what was really granted.
  const granted = tokens.scope ? tokens.scope.split(/\s+/).filter(Boolean) : [...LOGIN_SCOPES];
  const missing = LOGIN_SCOPES.filter((s) => !scopeGranted(s, granted));
  if (account === undefined && !missing.includes(SCOPES.openid)) {
    warn(`The token endpoint sent no usable id_token, so gphotos cannot tell which Google account this is: ${SCOPE_CONSEQUENCE[SCOPES.openid]}.`);
  }
  for (const s of missing) {
    warn(`The permission ${s} was not granted (its box was unticked on the consent screen): ${SCOPE_CONSEQUENCE[s] ?? 'some commands will not work'}. Run \`gphotos auth login\` again and keep it ticked.`);
  }
  print(`Signed in${account === undefined ? '' : ` as ${accountLabel(account)}`}. Tokens saved to ${tokensPath}.`);
  return {
    configDir: dir,
    tokensPath,
    clientSecretPath,
    grantedScopes: granted,
    missingScopes: missing,
    accessTokenExpiry: stored.expiry_date === undefined ? undefined : new Date(stored.expiry_date),
    account,
  };
}
