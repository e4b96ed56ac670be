// Wire a signed-in Library source for a command: stored tokens -> API client -> LibrarySource.
// The OAuth library is loaded only here, when a command really talks to Google (status without --remote,
// verify without --fix never do), since loading it is a good part of gphotos' start-up time.
import { resolveEndpoints } from '../config/endpoints.js';
import { configDir } from '../config/paths.js';
import type { RetryInfo } from '../google/api-client.js';
import type { Source } from '../sources/source.js';

export interface Connection {
  source: Source;
  counters: () => { apiCalls: number; byteCalls: number; retries: number };
  forgetToken: () => Promise<void>;
}

export async function connectLibrary(env: NodeJS.ProcessEnv, onRetry?: (info: RetryInfo) => void): Promise<Connection> {
  const [{ loadTokenProvider }, { deleteStoredTokens }, { GoogleApiClient }, { LibrarySource }] = await Promise.all([
    import('../auth/token-provider.js'),
    import('../auth/token-store.js'),
    import('../google/api-client.js'),
    import('../sources/library/library-source.js'),
  ]);
  const dir = configDir(env);
  const tokens = await loadTokenProvider({ env, configDir: dir });
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
