// Which import failures stop the run (a full or read-only disk, a manifest that cannot be written) and
// which belong to one entry (a corrupt entry, an unreadable file).
import { GphotosError, LocalError } from '../errors.js';
import { EntryReadError } from '../sources/takeout/crc-check.js';

const DISK_FATAL = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

export function failureOf(e: unknown): { fatal?: Error; corrupt: boolean } {
  if (e instanceof EntryReadError) return { corrupt: true };
  if (e instanceof GphotosError && e.kind === 'internal') return { fatal: e, corrupt: false };
  if (e instanceof LocalError && e.path?.endsWith('manifest.journal') === true) return { fatal: e, corrupt: false };
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    const code = (c as NodeJS.ErrnoException).code;
    if (code !== undefined && DISK_FATAL.has(code)) {
      return {
        fatal: new LocalError(`The archive disk refused a write (${code}).`, { hint: 'Free some space or make the archive writable, then run the same command again.', cause: e }),
        corrupt: false,
      };
    }
  }
  return { corrupt: false };
}
