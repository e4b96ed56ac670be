// `gphotos auth logout`: revoke the grant at Google, then forget the tokens locally.
import { resolveEndpoints } from '../config/endpoints.js';
import { configDir as defaultConfigDir, configPaths } from '../config/paths.js';
import { isGphotosError, messageOf } from '../errors.js';
import { loadClientSecret, type ClientSecret } from './client-secret.js';
import { createOAuthClient, wrapOAuthError } from './oauth-client.js';
import { locateTokens, ownerOf } from './token-file.js';
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
  let secret: ClientSecret | undefined;
  let secretError: unknown;
  try {
    secret = await loadClientSecret({ file: opts.clientSecretFile, env: opts.env, configDir: dir });
  } catch (e) {
    secretError = e; // then only tokens.json is considered, and it cannot be revoked
  }
  const endpoints = resolveEndpoints(opts.env, secret ?? {});
  let tokensPath = configPaths(dir).tokens;
  let tokens: StoredTokens | undefined;
  try {
    if (secret === undefined) tokens = await readTokens(tokensPath, { allowUnsafeMode: true });
    // Only this client's tokens at this endpoint: logging out of the emulator leaves a Google login alone.
    else ({ path: tokensPath, tokens } = await locateTokens(dir, ownerOf(secret), { allowUnsafeMode: true }));
  } catch (e) {
    // A corrupt file has nothing to revoke; deleting it is still right.
    warn(`Cannot read the saved tokens, so nothing is revoked at Google: ${messageOf(e)}`);
  }

  let revoked = false;
  if (tokens) {
    try {
      if (secret === undefined) throw secretError;
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
  const deleted = await deleteStoredTokens(dir, tokensPath);
  return { tokensPath, revoked, deleted };
}
