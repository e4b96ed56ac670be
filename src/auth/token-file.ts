// Which file holds the tokens of one OAuth client at one token endpoint. Tokens are only worth anything to the
// client and endpoint that issued them, so each (client_id, token endpoint) pair has its own file: signing in to
// the emulator (or a second Google project) can never overwrite a Google login, even in the same config dir.
// The endpoint is the client's own (client_secret.json's token_uri, else Google's): a GPHOTOS_OAUTH_TOKEN_URL
// override (a proxy, a test of an outage) reaches the same issuer and must not log anyone out.
//
// tokens.json keeps its name for whoever has it (a login made before this change, or the first one in a fresh
// config dir), so existing users stay logged in; its owner is recorded in it (client_id, token_url; a tokens.json
// without token_url is Google's). Every other pair uses tokens-<key>.json, the key a hash of the pair.
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GOOGLE_ENDPOINTS } from '../config/endpoints.js';
import { configPaths } from '../config/paths.js';
import type { ClientSecret } from './client-secret.js';
import { readTokens, type StoredTokens } from './token-store.js';

export interface TokenOwner {
  clientId: string;
  tokenUrl: string;
}

export interface LocatedTokens {
  /** Where this owner's tokens are (or go, at the next login). */
  path: string;
  tokens: StoredTokens | undefined;
}

export function ownerOf(secret: ClientSecret): TokenOwner {
  return { clientId: secret.clientId, tokenUrl: secret.tokenUrl ?? GOOGLE_ENDPOINTS.tokenUrl };
}

export function keyedTokensPath(dir: string, owner: TokenOwner): string {
  const key = createHash('sha256').update(`${owner.clientId}\n${owner.tokenUrl}`).digest('hex').slice(0, 16);
  return join(dir, `tokens-${key}.json`);
}

export function belongsTo(t: StoredTokens, owner: TokenOwner): boolean {
  return (t.client_id === undefined || t.client_id === owner.clientId) && (t.token_url ?? GOOGLE_ENDPOINTS.tokenUrl) === owner.tokenUrl;
}

/**
 * This owner's token file and what it holds. `forLogin`: a tokens.json that cannot be read (corrupt) is free to
 * replace, as `gphotos auth login` promises; otherwise its error is the answer.
 */
export async function locateTokens(dir: string, owner: TokenOwner, opts: { forLogin?: boolean; allowUnsafeMode?: boolean } = {}): Promise<LocatedTokens> {
  const keyed = keyedTokensPath(dir, owner);
  const mine = await readTokens(keyed, opts);
  if (mine !== undefined) return { path: keyed, tokens: mine };
  const legacy = configPaths(dir).tokens;
  let shared: StoredTokens | undefined;
  try {
    shared = await readTokens(legacy, opts);
  } catch (e) {
    if (opts.forLogin) return { path: legacy, tokens: undefined };
    throw e;
  }
  if (shared === undefined) return { path: legacy, tokens: undefined };
  return belongsTo(shared, owner) ? { path: legacy, tokens: shared } : { path: keyed, tokens: undefined };
}

/** Whether the config dir holds any token file at all (to say "not logged in" before needing a client secret). */
export async function anyTokenFile(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.some((n) => n === 'tokens.json' || /^tokens-[0-9a-f]{16}\.json$/.test(n));
}
