// Proof that a login works: a real refresh at the token endpoint, not a look at the saved file. A refresh token
// Google expired (7 days in "Testing") or the user revoked still sits in tokens.json; only asking finds out.
import { isGphotosError, type GphotosError } from '../errors.js';
import type { Account } from './account.js';
import { loadTokenProvider } from './token-provider.js';

export type LoginCheck =
  | { ok: true; account: Account | undefined; tokensPath: string }
  | { ok: false; error: GphotosError };

export async function checkLogin(opts: { env: NodeJS.ProcessEnv; configDir?: string; clientSecretFile?: string }): Promise<LoginCheck> {
  try {
    const tokens = await loadTokenProvider(opts);
    await tokens.refreshAccessToken();
    return { ok: true, account: tokens.account(), tokensPath: tokens.tokensPath };
  } catch (e) {
    if (isGphotosError(e)) return { ok: false, error: e };
    throw e;
  }
}
