// Wire a signed-in Library source for a command: stored tokens -> API client -> LibrarySource.
import { loadTokenProvider } from '../auth/token-provider.js';
import { deleteStoredTokens } from '../auth/token-store.js';
import { resolveEndpoints } from '../config/endpoints.js';
import { configDir } from '../config/paths.js';
import { GoogleApiClient, type RetryInfo } from '../google/api-client.js';
import { LibrarySource } from '../sources/library/library-source.js';
import type { Source } from '../sources/source.js';

export interface Connection {
  source: Source;
  counters: () => { apiCalls: number; byteCalls: number; retries: number };
  forgetToken: () => Promise<void>;
}

export async function connectLibrary(env: NodeJS.ProcessEnv, onRetry?: (info: RetryInfo) => void): Promise<Connection> {
  const dir = configDir(env);
  const tokens = await loadTokenProvider({ env, configDir: dir });
  const client = new GoogleApiClient({ tokens, ...(onRetry === undefined ? {} : { onRetry }) });
  const endpoints = resolveEndpoints(env);
  return {
    source: new LibrarySource({ client, baseUrl: endpoints.library }),
    counters: () => ({ ...client.counters }),
    forgetToken: async () => {
      await deleteStoredTokens(dir);
    },
  };
}
