// Wire a signed-in Library source for a command: stored tokens -> API client -> LibrarySource.
// The OAuth library is loaded only here, when a command really talks to Google (status without --remote,
// verify without --fix never do), since loading it is a good part of gphotos' start-up time.
// Every command that connects goes through here, so the login's account is checked against the archive's
// (account-binding.ts) before anything is listed.
import { resolveEndpoints } from '../config/endpoints.js';
import { configDir } from '../config/paths.js';
import type { TokenProvider } from '../auth/token-provider.js';
import type { RetryInfo } from '../google/api-client.js';
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
