// Which token file an OAuth client uses: existing Google logins (tokens.json) stay logged in, other clients and
// endpoints get a file of their own, and `auth login` may replace a tokens.json nobody can read.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyedTokensPath, locateTokens } from '../../src/auth/token-file.js';
import { GOOGLE_ENDPOINTS } from '../../src/config/endpoints.js';

const google = { clientId: '1234-real.apps.googleusercontent.com', tokenUrl: GOOGLE_ENDPOINTS.tokenUrl };
const emulator = { clientId: 'emulator-client', tokenUrl: 'http://127.0.0.1:4000/oauth/token' };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gphotos-token-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('locateTokens', () => {
  it('keeps reading a Google tokens.json written before token_url was recorded', async () => {
    await writeFile(join(dir, 'tokens.json'), JSON.stringify({ refresh_token: 'r', client_id: google.clientId }), { mode: 0o600 });
    expect(await locateTokens(dir, google)).toEqual({ path: join(dir, 'tokens.json'), tokens: { refresh_token: 'r', client_id: google.clientId } });
  });

  it('gives another client or endpoint its own file, never the Google tokens.json', async () => {
    await writeFile(join(dir, 'tokens.json'), JSON.stringify({ refresh_token: 'r', client_id: google.clientId }), { mode: 0o600 });
    expect(await locateTokens(dir, emulator)).toEqual({ path: keyedTokensPath(dir, emulator), tokens: undefined });
    expect(await locateTokens(dir, { ...google, clientId: 'other-project' })).toEqual({ path: keyedTokensPath(dir, { ...google, clientId: 'other-project' }), tokens: undefined });
    expect(keyedTokensPath(dir, emulator)).not.toBe(keyedTokensPath(dir, { ...emulator, tokenUrl: 'http://127.0.0.1:4001/oauth/token' }));
  });

  it('lets the first login of a fresh config dir take tokens.json, recording its owner', async () => {
    expect((await locateTokens(dir, emulator)).path).toBe(join(dir, 'tokens.json'));
    await writeFile(join(dir, 'tokens.json'), JSON.stringify({ refresh_token: 'e', client_id: emulator.clientId, token_url: emulator.tokenUrl }), { mode: 0o600 });
    expect((await locateTokens(dir, emulator)).tokens?.refresh_token).toBe('e');
    expect(await locateTokens(dir, google)).toEqual({ path: keyedTokensPath(dir, google), tokens: undefined });
  });

  it('a corrupt tokens.json is an error to read but free to replace at login', async () => {
    await writeFile(join(dir, 'tokens.json'), '{"refresh', { mode: 0o600 });
    await expect(locateTokens(dir, google)).rejects.toThrow(/corrupt/);
    expect((await locateTokens(dir, google, { forLogin: true })).path).toBe(join(dir, 'tokens.json'));
  });
});
