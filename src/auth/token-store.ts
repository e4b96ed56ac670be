// tokens.json: the refresh token and the current access token, private to the user (0600), written atomically.
// Nothing here ever puts a token (or the file's text) into an error message.
import { open, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { configPaths, ensureConfigDir } from '../config/paths.js';
import { LocalError } from '../errors.js';
import { AuthFlowError, UnsafeTokenFileError } from './errors.js';
import { writePrivateFile } from './private-file.js';
import { parseAccount, type Account } from './account.js';

export interface StoredTokens {
  refresh_token: string;
  access_token?: string;
  /** ms since the epoch, as google-auth-library counts it. */
  expiry_date?: number;
  /** Space-separated scopes Google granted. */
  scope?: string;
  token_type?: string;
  /** The OAuth client these tokens belong to (tokens of another client are useless). */
  client_id?: string;
  /** The token endpoint that issued them; absent in files written before it was recorded (Google's). */
  token_url?: string;
  /** The Google account signed in (the id_token's sub and email; the id_token itself is not kept). Absent in logins made before gphotos asked for openid. */
  account?: Account;
}

/**
 * The stored tokens, or undefined when there is no tokens.json. `allowUnsafeMode` is for logout only: a leaked
 * token is exactly what should still be revoked.
 */
export async function readTokens(path: string, opts: { allowUnsafeMode?: boolean } = {}): Promise<StoredTokens | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new LocalError(`Cannot read ${path} (${code ?? 'error'}).`, { path });
  }
  let text: string;
  try {
    // fstat the open file, not the path, so the mode we check is the mode of what we read.
    const st = await fh.stat();
    if (!opts.allowUnsafeMode && process.platform !== 'win32' && (st.mode & 0o077) !== 0) throw new UnsafeTokenFileError(path, st.mode);
    text = await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
  return parseTokens(text, path);
}

function parseTokens(text: string, path: string): StoredTokens {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which may hold a token: say only that it is corrupt.
    throw corrupt(path);
  }
  if (typeof json !== 'object' || json === null) throw corrupt(path);
  const o = json as Record<string, unknown>;
  if (typeof o.refresh_token !== 'string' || o.refresh_token === '') throw corrupt(path);
  const t: StoredTokens = { refresh_token: o.refresh_token };
  if (typeof o.access_token === 'string') t.access_token = o.access_token;
  if (typeof o.expiry_date === 'number') t.expiry_date = o.expiry_date;
  if (typeof o.scope === 'string') t.scope = o.scope;
  if (typeof o.token_type === 'string') t.token_type = o.token_type;
  if (typeof o.client_id === 'string') t.client_id = o.client_id;
  if (typeof o.token_url === 'string') t.token_url = o.token_url;
  const account = parseAccount(o.account);
  if (account !== undefined) t.account = account;
  return t;
}

function corrupt(path: string): AuthFlowError {
  return new AuthFlowError('token-file-corrupt', `${path} is corrupt (not the tokens gphotos wrote).`, {
    hint: 'Run `gphotos auth login` to sign in again; it replaces the file.',
  });
}

export async function writeTokens(path: string, tokens: StoredTokens): Promise<void> {
  await ensureConfigDir(dirname(path));
  await writePrivateFile(path, JSON.stringify(tokens, null, 2) + '\n');
}

/** Remove a token file (tokens.json unless `path` names another); true when there was one. Used by `auth logout` and `sync --forget-token`. */
export async function deleteStoredTokens(configDir: string, path: string = configPaths(configDir).tokens): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new LocalError(`Cannot delete ${path} (${code ?? 'error'}).`, { path });
  }
}
