// Exit codes, documented in docs/exit-codes.md. Only src/cli uses them.
import type { ErrorKind } from '../errors.js';

export const EXIT = {
  ok: 0,
  /** The run finished, but some items failed (sync), or drift was found (status, verify). */
  incomplete: 1,
  usage: 2,
  auth: 3,
  remote: 4,
  local: 5,
  locked: 6,
  internal: 70,
  /** EX_TEMPFAIL: Google's daily quota is spent; run again after it resets. */
  quota: 75,
  interrupted: 130,
  /** stdout's reader went away (`| head -1`): 128 + SIGPIPE, as a shell reports for a process SIGPIPE killed. */
  pipe: 141,
} as const;

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'usage':
      return EXIT.usage;
    case 'auth':
      return EXIT.auth;
    case 'quota':
      return EXIT.quota;
    case 'remote':
      return EXIT.remote;
    case 'local':
      return EXIT.local;
    case 'locked':
      return EXIT.locked;
    case 'interrupted':
      return EXIT.interrupted;
    case 'internal':
      return EXIT.internal;
  }
}
