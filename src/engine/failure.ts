// One answer, for any error, to "what now?": used by apply (per transfer), import's inputs and watch (per cycle),
// so that a full disk, a refused login or a spent quota mean the same thing everywhere.
import { EntryReadError } from '../sources/takeout/crc-check.js';
import { GphotosError, LocalError } from '../errors.js';

export type Failure =
  /** It may pass (a reset, a 5xx, a truncated body): try the same thing again later. */
  | { kind: 'retry'; error: unknown }
  /** It belongs to this item alone (a corrupt entry, an odd name, a 404): record it and go on. */
  | { kind: 'item'; error: unknown; corrupt: boolean }
  /** No other item can escape it (a refused login, a full or read-only disk, a manifest that cannot be written, a bug). */
  | { kind: 'stop'; error: GphotosError }
  /** Google's daily quota is spent. */
  | { kind: 'quota'; error: GphotosError }
  /** Another gphotos holds the archive. */
  | { kind: 'busy'; error: GphotosError }
  | { kind: 'interrupted' };

const DISK_FATAL = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

export function classifyFailure(e: unknown, signal?: AbortSignal): Failure {
  if (signal?.aborted === true) return { kind: 'interrupted' };
  if (e instanceof EntryReadError) return { kind: 'item', error: e, corrupt: true };
  if (e instanceof GphotosError) {
    switch (e.kind) {
      case 'quota':
        return { kind: 'quota', error: e };
      case 'interrupted':
        return { kind: 'interrupted' };
      case 'locked':
        return { kind: 'busy', error: e };
      case 'auth':
      case 'internal':
        return { kind: 'stop', error: e };
      case 'local':
        // The archive's own records cannot be written: every later item would fail the same way.
        if (e instanceof LocalError && e.path !== undefined && /(^|[/\\])\.gphotos([/\\]|$)/.test(e.path) && !e.path.endsWith('.gphotos.part')) {
          return { kind: 'stop', error: e };
        }
        break;
      case 'usage':
      case 'remote':
        break;
    }
  }
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    const code = (c as NodeJS.ErrnoException).code;
    if (code !== undefined && DISK_FATAL.has(code)) {
      return {
        kind: 'stop',
        error: new LocalError(`The archive disk refused a write (${code}).`, {
          hint: 'Free some space or make the archive writable, then run the same command again: nothing already written is lost.',
          cause: e,
        }),
      };
    }
  }
  if (typeof e === 'object' && e !== null && 'retryable' in e && e.retryable === true) return { kind: 'retry', error: e };
  return { kind: 'item', error: e, corrupt: false };
}
