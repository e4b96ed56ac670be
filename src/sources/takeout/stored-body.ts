// A stored (uncompressed) zip entry read straight from the archive file: large positioned reads into one
// buffer that the caller lends and gets back, CRC-32 checked at the end. yauzl's stream chain for the same
// bytes is four streams of 16 KiB chunks, each a fresh Buffer: ~70,000 reads and as many dead buffers per GB,
// which cost CPU and left tens of MB of garbage waiting for the collector.
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { EntryReadError } from './crc-check.js';

const LOCAL_HEADER = 30;
const LOCAL_SIGNATURE = 0x04034b50;

/** Where the data of the entry whose local header sits at `header` starts; checks the header's signature. */
export async function storedDataStart(fh: FileHandle, header: number, size: number, fileSize: number, label: string): Promise<number> {
  const h = Buffer.alloc(LOCAL_HEADER);
  const { bytesRead } = await fh.read(h, 0, LOCAL_HEADER, header);
  if (bytesRead < LOCAL_HEADER || h.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new EntryReadError(`${label}: no local file header where the central directory points`);
  const start = header + LOCAL_HEADER + h.readUInt16LE(26) + h.readUInt16LE(28);
  if (start + size > fileSize) throw new EntryReadError(`${label}: the entry runs past the end of the archive`);
  return start;
}

export interface Lent {
  /** True once the body is finished (or was never started): the buffer may be lent again. */
  readonly free: boolean;
}

/**
 * The bytes [start, start+size) of `fh` in chunks of up to `buf.length`. Each chunk is a view of `buf`, valid only
 * until the next one is requested: a consumer that keeps chunks must copy them.
 */
export function storedBody(fh: FileHandle, start: number, size: number, crc: number, label: string, buf: Buffer): { body: AsyncIterable<Uint8Array>; lent: Lent } {
  const lent = { free: true };
  async function* read(): AsyncGenerator<Uint8Array> {
    lent.free = false;
    try {
      let sum = 0;
      for (let pos = 0; pos < size; ) {
        const want = Math.min(buf.length, size - pos);
        let got = 0;
        while (got < want) {
          const r = await fh.read(buf, got, want - got, start + pos + got);
          if (r.bytesRead === 0) throw new EntryReadError(`${label}: the archive ends inside this entry`);
          got += r.bytesRead;
        }
        const chunk = buf.subarray(0, got);
        sum = crc32(chunk, sum);
        pos += got;
        if (pos === size && sum >>> 0 !== crc >>> 0) throw new EntryReadError(`${label}: CRC-32 mismatch (the archive is corrupt)`);
        yield chunk;
      }
      if (size === 0 && crc >>> 0 !== 0) throw new EntryReadError(`${label}: CRC-32 mismatch (the archive is corrupt)`);
    } finally {
      lent.free = true;
    }
  }
  return { body: read(), lent };
}
