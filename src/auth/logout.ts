// `gphotos auth logout`: revoke the grant at Google, then forget the tokens locally.
import { resolveEndpoints } from '../config/endpoints.js';
import { configDir as defaultConfigDir, configPaths } from '../config/paths.js';
import { isGphotosError, messageOf } from '../errors.js';
import { loadClientSecret } from './client-secret.js';
import { createOAuthClient, wrapOAuthError } from './oauth-client.js';
import { deleteStoredTokens, readTokens } from './token-store.js';
import type { StoredTokens } from './token-store.js';

export interface LogoutOptions {
  env: NodeJS.ProcessEnv;
  configDir?: string;
  clientSecretFile?: string;
  warn?: (line: string) => void;
}

export interface LogoutResult {
  tokensPath: string;
  /** Google confirmed the revocation. */
  revoked: boolean;
  /** tokens.json existed and was removed. */
  deleted: boolean;
}

export async function logout(opts: LogoutOptions): Promise<LogoutResult> {
  const warn = opts.warn ?? (() => undefined);
  const dir = opts.configDir ?? defaultConfigDir(opts.env);
  const tokensPath = configPaths(dir).tokens;

  let tokens: StoredTokens | undefined;
  try {
    tokens = await readTokens(tokensPath, { allowUnsafeMode: true });
  } catch (e) {
    // A corrupt file has nothing to revoke; deleting it is still right.
    warn(`Cannot read the saved tokens, so nothing is revoked at Google: ${messageOf(e)}`);
  }

  let revoked = false;
  if (tokens) {
    try {
      const secret = await loadClientSecret({ file: opts.clientSecretFile, env: opts.env, configDir: dir });
      const endpoints = resolveEndpoints(opts.env, secret);
      const client = createOAuthClient(secret, endpoints);
      try {
        // Revoking the refresh token revokes the whole grant, access tokens included.
        await client.revokeToken(tokens.refresh_token);
        revoked = true;
      } catch (e) {
        throw wrapOAuthError(e, 'revoke', endpoints.revokeUrl);
      }
    } catch (e) {
      warn(
        `Could not revoke access at Google (${isGphotosError(e) ? e.message : 'unexpected error'}); the local tokens are deleted anyway. ` +
          'You can remove gphotos at https://myaccount.google.com/permissions.',
      );
    }
  }
  const deleted = await deleteStoredTokens(dir);
  return { tokensPath, revoked, deleted };
}
