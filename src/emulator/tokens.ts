// OAuth state shared by every emulated API: authorization codes, grants (one refresh token each) and the
// access tokens minted from them. Lookups return why a token is unusable so APIs can answer precisely.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { EmulatorAccount } from './api.js';

export interface Grant {
  clientId: string;
  /** Who signed in. */
  account: EmulatorAccount;
  scopes: string[];
  refreshToken: string;
  revoked: boolean;
}

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  account: EmulatorAccount;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  expiresAt: number;
  used: boolean;
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

export type TokenCheck =
  | { ok: true; clientId: string; scopes: readonly string[] }
  | { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'revoked' };

const CODE_TTL_MS = 10 * 60 * 1000;

export class TokenRegistry {
  private readonly codes = new Map<string, AuthCode>();
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, Grant>();

  constructor(private readonly now: () => number = Date.now) {}

  issueCode(code: Omit<AuthCode, 'expiresAt' | 'used'>): string {
    const value = `4/0A${randomBytes(32).toString('base64url')}`;
    this.codes.set(value, { ...code, expiresAt: this.now() + CODE_TTL_MS, used: false });
    return value;
  }

  /** Returns the code once; a second redemption (or an expired code) yields undefined. */
  redeemCode(value: string): AuthCode | undefined {
    const code = this.codes.get(value);
    if (!code || code.used || code.expiresAt < this.now()) return undefined;
    code.used = true;
    return code;
  }

  newGrant(clientId: string, scopes: string[], account: EmulatorAccount): Grant {
    const grant: Grant = { clientId, account, scopes, refreshToken: `1//0g${randomBytes(32).toString('base64url')}`, revoked: false };
    this.refresh.set(grant.refreshToken, grant);
    return grant;
  }

  refreshGrant(refreshToken: string): Grant | undefined {
    const grant = this.refresh.get(refreshToken);
    return grant && !grant.revoked ? grant : undefined;
  }

  issueAccess(grant: Grant, ttlSec: number): string {
    const value = `ya29.a0${randomBytes(48).toString('base64url')}`;
    this.access.set(value, { grant, expiresAt: this.now() + ttlSec * 1000 });
    return value;
  }

  check(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const entry = this.access.get(token);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.grant.revoked) return { ok: false, reason: 'revoked' };
    if (entry.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, clientId: entry.grant.clientId, scopes: entry.grant.scopes };
  }

  revokeAll(): void {
    for (const grant of this.refresh.values()) grant.revoked = true;
  }

  /** Google revokes the whole grant whichever of its tokens is named. Returns false for unknown or already revoked tokens. */
  revoke(token: string): boolean {
    const grant = this.access.get(token)?.grant ?? this.refresh.get(token);
    // An already revoked token is "expired or revoked" to Google's revoke endpoint too.
    if (!grant || grant.revoked) return false;
    grant.revoked = true;
    return true;
  }
}

/** RFC 7636 check of a code_verifier against the stored challenge. */
export function pkceMatches(verifier: string, challenge: string, method: 'S256' | 'plain'): boolean {
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === challenge;
}

/** Bearer token from the Authorization header, or the standard access_token query parameter. */
export function bearerOf(authorization: string | undefined, query: URLSearchParams): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1] ?? query.get('access_token') ?? query.get('oauth_token') ?? undefined;
}

/**
 * The id_token of a grant that has the openid scope (OpenID Connect Core §2): a JWT signed HS256 with the client
 * secret (§10.1 allows it; Google signs RS256, which no client of a token endpoint needs to check, see
 * src/auth/account.ts). `email` only when that scope was granted.
 */
export function idTokenOf(grant: Grant, issuer: string, clientSecret: string, nowMs: number): string | undefined {
  if (!grant.scopes.includes('openid')) return undefined;
  const iat = Math.floor(nowMs / 1000);
  const claims: Record<string, unknown> = { iss: issuer, azp: grant.clientId, aud: grant.clientId, sub: grant.account.sub, iat, exp: iat + 3600 };
  if (grant.scopes.includes(EMAIL_SCOPE)) Object.assign(claims, { email: grant.account.email, email_verified: true });
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', clientSecret).update(body).digest('base64url')}`;
}

/** Google's long name for the `email` scope, which its token responses use. */
export const EMAIL_SCOPE = 'https://www.googleapis.com/auth/userinfo.email';
const SIGN_IN_SCOPES: Readonly<Record<string, string>> = { openid: 'openid', email: EMAIL_SCOPE, [EMAIL_SCOPE]: EMAIL_SCOPE, profile: 'https://www.googleapis.com/auth/userinfo.profile' };

/** What the consent screen grants: the chosen (or asked) scopes, plus every sign-in scope asked, in Google's names. */
export function grantedScopes(asked: readonly string[], chosen: readonly string[] | undefined): string[] {
  const out = new Set((chosen ?? asked).map((s) => SIGN_IN_SCOPES[s] ?? s));
  for (const s of asked) if (SIGN_IN_SCOPES[s] !== undefined) out.add(SIGN_IN_SCOPES[s]);
  return [...out];
}
