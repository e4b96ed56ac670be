// The pure parts of accounts: reading an id_token, deciding an archive's binding, profile directories, scope names.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accountFromIdToken, namesAccount, parseAccount } from '../../src/auth/account.js';
import { bindingError, decideBinding } from '../../src/cli/account-binding.js';
import { scopeGranted } from '../../src/config/endpoints.js';
import { configDir, loginCommand, profileName } from '../../src/config/paths.js';
import { grantedScopes } from '../../src/emulator/tokens.js';
import { UsageError } from '../../src/errors.js';

function jwt(claims: object, key = 'k'): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'HS256' })}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

const alice = { sub: '1', email: 'alice@example.com' };
const bob = { sub: '2', email: 'bob@example.com' };

describe('accountFromIdToken', () => {
  it('reads sub and email of a token for this client (aud a string or a list)', () => {
    expect(accountFromIdToken(jwt({ sub: '123', email: 'a@x.org', aud: 'cid' }), 'cid')).toEqual({ sub: '123', email: 'a@x.org' });
    expect(accountFromIdToken(jwt({ sub: '123', aud: ['other', 'cid'] }), 'cid')).toEqual({ sub: '123' });
  });
  it('refuses a token for another client, without sub, or not a JWT', () => {
    expect(accountFromIdToken(jwt({ sub: '123', aud: 'other' }), 'cid')).toBeUndefined();
    expect(accountFromIdToken(jwt({ email: 'a@x.org', aud: 'cid' }), 'cid')).toBeUndefined();
    expect(accountFromIdToken('not-a-jwt', 'cid')).toBeUndefined();
    expect(accountFromIdToken('a.!!!.c', 'cid')).toBeUndefined();
  });
  it('drops an email label with control characters (it is printed in messages)', () => {
    expect(accountFromIdToken(jwt({ sub: '9', email: 'a@x\u001b[31m', aud: 'cid' }), 'cid')).toEqual({ sub: '9' });
  });
  it('stored accounts: parsed tolerantly, named by email (any case) or sub', () => {
    expect(parseAccount({ sub: '5', email: 'E@x.org' })).toEqual({ sub: '5', email: 'E@x.org' });
    expect(parseAccount({ email: 'e@x.org' })).toBeUndefined();
    expect(namesAccount({ sub: '5', email: 'E@x.org' }, 'e@X.org')).toBe(true);
    expect(namesAccount({ sub: '5', email: 'E@x.org' }, '5')).toBe(true);
    expect(namesAccount({ sub: '5', email: 'E@x.org' }, 'f@x.org')).toBe(false);
  });
});

describe('decideBinding', () => {
  it.each([
    [undefined, alice, 'adopt'],
    [alice, alice, 'same'],
    [alice, { sub: '1', email: 'renamed@example.com' }, 'same'], // the sub is the identity, the email a label
    [alice, bob, 'mismatch'],
    [alice, undefined, 'login-unknown'],
    [undefined, undefined, 'neither'],
  ] as const)('archive %j, login %j -> %s', (archive, login, kind) => {
    expect(decideBinding(archive, login).kind).toBe(kind);
  });
  it('a mismatch names both labels, the profile, and the re-bind command; never more', () => {
    const e = bindingError(decideBinding(alice, bob), '~/Photos', { GPHOTOS_PROFILE: 'kid' })!;
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('alice@example.com');
    expect(e.message).toContain('bob@example.com');
    expect(e.message).toContain('profile kid');
    expect(e.hint).toContain('gphotos auth login --profile kid');
    expect(e.hint).toContain('gphotos config ~/Photos --account bob@example.com --profile kid');
    expect(bindingError(decideBinding(alice, alice), 'x', {})).toBeUndefined();
    expect(bindingError(decideBinding(undefined, alice), 'x', {})).toBeUndefined();
  });
});

describe('profiles', () => {
  it('the default profile is the config dir itself; others live in profiles/NAME', () => {
    expect(configDir({ GPHOTOS_CONFIG_DIR: '/c' }, 'linux', '/h')).toBe('/c');
    expect(configDir({ GPHOTOS_CONFIG_DIR: '/c', GPHOTOS_PROFILE: 'default' }, 'linux', '/h')).toBe('/c');
    expect(configDir({ GPHOTOS_PROFILE: 'anna' }, 'linux', '/h')).toBe('/h/.config/gphotos/profiles/anna');
    expect(profileName({})).toBe('default');
    expect(loginCommand({ GPHOTOS_PROFILE: 'anna' })).toBe('gphotos auth login --profile anna');
  });
  it.each(['..', '.hidden', 'a/b', 'a b', '', 'x'.repeat(65)])('refuses the profile name %j', (name) => {
    expect(() => configDir({ GPHOTOS_PROFILE: name === '' ? 'a\\b' : name }, 'linux', '/h')).toThrow(UsageError);
  });
});

describe('scope names', () => {
  it('email is granted under its long name, and the emulator grants sign-in scopes even when boxes are unticked', () => {
    expect(scopeGranted('email', ['https://www.googleapis.com/auth/userinfo.email'])).toBe(true);
    expect(scopeGranted('email', ['openid'])).toBe(false);
    expect(grantedScopes(['openid', 'email', 'p1', 'p2'], ['p1']).sort()).toEqual(['https://www.googleapis.com/auth/userinfo.email', 'openid', 'p1']);
  });
});
