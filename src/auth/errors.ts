// Auth failures the CLI and tests must tell apart. Each is one of the project's error classes (so the exit
// code follows its kind) plus a `reason` that names the exact failure.
import { AuthError, LocalError, RemoteError, UsageError } from '../errors.js';

export type AuthFailureReason =
  | 'not-logged-in' // no tokens.json
  | 'consent-denied' // the user clicked Cancel / Deny on Google's consent screen
  | 'state-mismatch' // the callback's state differs from ours: a stale tab or a forged request
  | 'login-timeout' // nobody came back to the loopback server in time
  | 'invalid-grant' // the refresh token (or code) was refused: expired, revoked
  | 'token-file-corrupt' // tokens.json is unreadable as JSON
  | 'account-mismatch' // the login is another Google account than the archive's
  | 'account-unknown' // the login predates account tracking, and the archive is bound to an account
  | 'oauth-error'; // any other OAuth error the server named

export class AuthFlowError extends AuthError {
  readonly reason: AuthFailureReason;
  constructor(reason: AuthFailureReason, message: string, options: { hint?: string } = {}) {
    super(message, options);
    this.reason = reason;
  }
}

/** The loopback port is taken (only possible with an explicit --port). */
export class PortInUseError extends UsageError {
  readonly reason = 'port-in-use' as const;
  readonly port: number;
  constructor(port: number) {
    super(`Port ${port} on 127.0.0.1 is already in use, so the login callback cannot be received.`, {
      hint: 'Pass another --port, or --port 0 to let the system pick a free one.',
    });
    this.port = port;
  }
}

/** tokens.json is readable by group or others: refuse rather than keep using a leaked credential silently. */
export class UnsafeTokenFileError extends LocalError {
  readonly reason = 'token-file-unsafe' as const;
  constructor(path: string, mode: number) {
    super(`${path} is readable by other users (mode ${(mode & 0o777).toString(8).padStart(3, '0')}); it holds your Google credentials.`, {
      path,
      hint: `Run \`chmod 600 ${path}\`, and \`gphotos auth logout\` then \`gphotos auth login\` if others may have read it.`,
    });
  }
}

/** The OAuth token endpoint could not be reached (connection refused, DNS, timeout). */
export class TokenEndpointUnreachableError extends RemoteError {
  readonly reason = 'token-endpoint-unreachable' as const;
  constructor(url: string, code: string | undefined) {
    super(`Cannot reach the OAuth token endpoint ${url}${code ? ` (${code})` : ''}.`, {
      retryable: true,
      hint: 'Check your network (and GPHOTOS_OAUTH_TOKEN_URL if set) and try again.',
    });
  }
}
