// Wire a signed-in Library source for a command: stored tokens -> API client -> LibrarySource (or, for pick, a
// client with the Picker scope).
// The OAuth library is loaded only here, when a command really talks to Google (status without --remote,
// verify without --fix never do), since loading it is a good part of gphotos' start-up time.
// Every command that connects goes through here, so the login's account is checked against the archive's
// (account-binding.ts) before anything is listed.
import { SCOPES, resolveEndpoints } from '../config/endpoints.js';
import { AuthError } from '../errors.js';
import { configDir } from '../config/paths.js';
import type { TokenProvider } from '../auth/token-provider.js';
import type { GoogleApiClient, RetryInfo } from '../google/api-client.js';
import type { Source } from '../sources/source.js';
import { bindAccount } from './account-binding.js';

export interface Connection {
  source: Source;
  counters: () => { apiCalls: number; byteCalls: number; retries: number };
  forgetToken: () => Promise<void>;
}

/** The stored login of the profile in use, checked against the archive of the command (if any). */
export async function connectTokens(env: NodeJS.ProcessEnv): Promise<TokenProvider> {
  const { loadTokenProvider } = await import('../auth/token-provider.js');
  const tokens = await loadTokenProvider({ env, configDir: configDir(env) });
  const warning = await bindAccount(tokens.account(), env);
  if (warning !== undefined) process.stderr.write(`gphotos: warning: ${warning}\n`);
  return tokens;
}

export async function connectLibrary(env: NodeJS.ProcessEnv, onRetry?: (info: RetryInfo) => void): Promise<Connection> {
  const [tokens, { deleteStoredTokens }, { GoogleApiClient }, { LibrarySource }] = await Promise.all([
    connectTokens(env),
    import('../auth/token-store.js'),
    import('../google/api-client.js'),
    import('../sources/library/library-source.js'),
  ]);
  const dir = configDir(env);
  const client = new GoogleApiClient({ tokens, ...(onRetry === undefined ? {} : { onRetry }) });
  const endpoints = resolveEndpoints(env);
  return {
    source: new LibrarySource({ client, baseUrl: endpoints.library }),
    counters: () => ({ ...client.counters }),
    forgetToken: async () => {
      await deleteStoredTokens(dir, tokens.tokensPath);
    },
  };
}

export interface PickerConnection {
  client: GoogleApiClient;
  /** Picker API root without /v1. */
  baseUrl: string;
  accessToken: () => Promise<string>;
}

/** A client for the Picker API, refused up front when the login was not granted its scope. */
export async function connectPicker(env: NodeJS.ProcessEnv): Promise<PickerConnection> {
  const [tokens, { GoogleApiClient }] = await Promise.all([connectTokens(env), import('../google/api-client.js')]);
  const granted = tokens.grantedScopes();
  if (granted.length > 0 && !granted.includes(SCOPES.picker)) {
    throw new AuthError('Your login does not allow the Google Photos Picker (scope photospicker.mediaitems.readonly).', {
      hint: 'Run `gphotos auth login` again and grant access to the photos you pick.',
    });
  }
  return { client: new GoogleApiClient({ tokens }), baseUrl: resolveEndpoints(env).picker, accessToken: () => tokens.getAccessToken() };
}
