// OAuth state shared by every emulated API: authorization codes, grants (one refresh token each) and the
// access tokens minted from them. Lookups return why a token is unusable so APIs can answer precisely.
import { createHash, randomBytes } from 'node:crypto';

export interface Grant {
  clientId: string;
  scopes: string[];
  refreshToken: string;
  revoked: boolean;
}

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
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

  newGrant(clientId: string, scopes: string[]): Grant {
    const grant: Grant = { clientId, scopes, refreshToken: `1//0g${randomBytes(32).toString('base64url')}`, revoked: false };
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

  /** Google revokes the whole grant whichever of its tokens is named. Returns false for unknown tokens. */
  revoke(token: string): boolean {
    const grant = this.access.get(token)?.grant ?? this.refresh.get(token);
    if (!grant) return false;
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
