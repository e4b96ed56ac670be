// yauzl checks sizes but not CRC-32, and a flipped bit in a stored (uncompressed) entry would otherwise be
// archived as a good original; this transform fails the body at its end when the checksum differs.
import { Transform, pipeline, type Readable } from 'node:stream';
import { crc32 } from 'node:zlib';

/** Raised for bytes that cannot be read from the archive (truncated, corrupt, bad checksum). */
export class EntryReadError extends Error {}

export function checkedBody(source: Readable, expectedCrc: number | undefined, label: string): Readable {
  let crc = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (expectedCrc !== undefined) crc = crc32(chunk, crc);
      cb(null, chunk);
    },
    flush(cb) {
      if (expectedCrc !== undefined && crc >>> 0 !== expectedCrc >>> 0) cb(new EntryReadError(`${label}: CRC-32 mismatch (the archive is corrupt)`));
      else cb();
    },
  });
  pipeline(source, t, (err) => {
    if (err && !(err instanceof EntryReadError)) t.destroy(new EntryReadError(`${label}: ${err.message}`));
  });
  return t;
}
