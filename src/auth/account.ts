// Which Google account a login is. The identity is the OpenID Connect `sub` (stable, never reused, unlike an email
// address that can be renamed); the email is only a label for messages. Both come from the id_token of the token
// response, read here without checking its signature: OpenID Connect Core §3.1.3.7 allows that when the client got
// the token directly from the token endpoint over TLS (or, for the emulator, the loopback), which is the only way
// gphotos ever gets one. The id_token itself is never stored: only these two fields are.

export interface Account {
  /** The subject id: the account's identity. */
  sub: string;
  /** A readable label (may change, may be absent). */
  email?: string;
}

/** The account an id_token names, or undefined when it is not a JWT with a `sub` (or is for another client). */
export function accountFromIdToken(idToken: string, clientId: string): Account | undefined {
  const parts = idToken.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const c = claims as Record<string, unknown>;
  if (typeof c.sub !== 'string' || !/^[\w.@+-]{1,255}$/.test(c.sub)) return undefined;
  // aud is the client id (a string, or a list that holds it): a token meant for another app is not ours to trust.
  const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (!aud.includes(clientId)) return undefined;
  return accountOf(c.sub, c.email);
}

/** A stored account (tokens file, archive settings) from untrusted JSON; undefined when malformed. */
export function parseAccount(v: unknown): Account | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.sub !== 'string' || o.sub === '') return undefined;
  return accountOf(o.sub, o.email);
}

function accountOf(sub: string, email: unknown): Account {
  // An email label is shown in messages: keep it printable and short.
  return typeof email === 'string' && /^[^\s\p{Cc}]{1,254}$/u.test(email) ? { sub, email } : { sub };
}

/** How an account is named to the user: its email, else its subject id. */
export function accountLabel(a: Account): string {
  return a.email ?? `account ${a.sub}`;
}

/** Whether `given` (an email or a subject id the user typed) names `a`. Emails compare case-insensitively. */
export function namesAccount(a: Account, given: string): boolean {
  return given === a.sub || (a.email !== undefined && given.toLowerCase() === a.email.toLowerCase());
}

export function sameAccount(a: Account, b: Account): boolean {
  return a.sub === b.sub;
}
