// Where gphotos talks to. Every endpoint can be replaced (tests, the emulator, a proxy);
// environment variables win over values from client_secret.json.

export interface Endpoints {
  library: string; // Library API root, without /v1
  picker: string; // Picker API root, without /v1
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
}

export const GOOGLE_ENDPOINTS: Readonly<Endpoints> = Object.freeze({
  library: 'https://photoslibrary.googleapis.com',
  picker: 'https://photospicker.googleapis.com',
  authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revokeUrl: 'https://oauth2.googleapis.com/revoke',
});

export const ENV = {
  library: 'GPHOTOS_LIBRARY_URL',
  picker: 'GPHOTOS_PICKER_URL',
  authUrl: 'GPHOTOS_OAUTH_AUTH_URL',
  tokenUrl: 'GPHOTOS_OAUTH_TOKEN_URL',
  revokeUrl: 'GPHOTOS_OAUTH_REVOKE_URL',
  clientSecret: 'GPHOTOS_CLIENT_SECRET',
  configDir: 'GPHOTOS_CONFIG_DIR',
  /** The profile (`--profile NAME` sets it): one Google account's login among several. */
  profile: 'GPHOTOS_PROFILE',
} as const;

/** Endpoints from (highest first) the environment, client_secret.json's auth_uri/token_uri, Google's defaults. */
export function resolveEndpoints(
  env: NodeJS.ProcessEnv,
  fromClientSecret: Partial<Pick<Endpoints, 'authUrl' | 'tokenUrl'>> = {},
): Endpoints {
  const pick = (key: keyof Endpoints): string =>
    trimSlash(env[ENV[key]] || (key === 'authUrl' || key === 'tokenUrl' ? fromClientSecret[key] : undefined) || GOOGLE_ENDPOINTS[key]);
  return {
    library: pick('library'),
    picker: pick('picker'),
    authUrl: pick('authUrl'),
    tokenUrl: pick('tokenUrl'),
    revokeUrl: pick('revokeUrl'),
  };
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

export const SCOPES = {
  /** Read the items this app created through the Library API (all that is left of it since 2025-03-31). */
  libraryAppCreated: 'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata',
  /** Read the items a user picks in the Google Photos Picker. */
  picker: 'https://www.googleapis.com/auth/photospicker.mediaitems.readonly',
  /** OpenID Connect: the token response then carries an id_token whose `sub` is the account's stable id. */
  openid: 'openid',
  /** The account's email address in the id_token, only as a readable label. */
  email: 'email',
} as const;

/**
 * What the token response's `scope` field calls a scope that was asked for by its short name: Google answers
 * `email` with its long form (and `profile` likewise).
 */
export const SCOPE_ALIASES: Readonly<Record<string, string>> = {
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
};

/** Whether `scope` is among `granted`, under either of its names. */
export function scopeGranted(scope: string, granted: readonly string[]): boolean {
  const alias = SCOPE_ALIASES[scope];
  return granted.includes(scope) || (alias !== undefined && granted.includes(alias));
}
