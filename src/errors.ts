// A few error classes, each saying what the user should do. Only src/cli maps them to exit codes.
// Messages never contain tokens or secrets: callers pass paths and facts, not credentials.

export type ErrorKind =
  | 'usage' // bad input: fix the command line, a file, or a setting
  | 'auth' // credentials missing, expired or refused: run `gphotos auth login`
  | 'quota' // Google's daily quota is spent: run again after it resets
  | 'remote' // Google (or the emulator) failed after retries: try again later
  | 'local' // the archive or a local file could not be read or written
  | 'locked' // another gphotos process holds the archive
  | 'interrupted' // the user stopped the run (Ctrl-C, SIGTERM)
  | 'internal'; // a bug: please report it

export class GphotosError extends Error {
  readonly kind: ErrorKind;
  /** What the user should do next, one sentence. */
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.hint = options.hint;
  }
}

export class UsageError extends GphotosError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('usage', message, options);
  }
}

export class AuthError extends GphotosError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('auth', message, { hint: 'Run `gphotos auth login` to sign in again.', ...options });
  }
}

export class QuotaError extends GphotosError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('quota', message, {
      hint: "Google's daily quota resets at midnight Pacific time; run the same command again then. Nothing already downloaded is lost.",
      ...options,
    });
  }
}

export class RemoteError extends GphotosError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(message: string, options: { status?: number; retryable?: boolean; hint?: string; cause?: unknown } = {}) {
    super('remote', message, { hint: 'Check your network and try again later.', ...options });
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}

export class LocalError extends GphotosError {
  readonly path: string | undefined;
  constructor(message: string, options: { path?: string; hint?: string; cause?: unknown } = {}) {
    super('local', message, options);
    this.path = options.path;
  }
}

export class LockedError extends GphotosError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('locked', message, options);
  }
}

export class InterruptedError extends GphotosError {
  constructor(message = 'Interrupted.') {
    super('interrupted', message, { hint: 'Run the same command again to continue where it stopped.' });
  }
}

export function isGphotosError(e: unknown): e is GphotosError {
  return e instanceof GphotosError;
}

/** Message of an unknown thrown value, for reports. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
