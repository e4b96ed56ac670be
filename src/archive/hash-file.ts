// SHA-256 of files on the calling thread: hashFile() streams one file with 1 MiB reads (adopt, rebuild, a handful
// of files). Many files at once go to worker threads instead (hash-pool.ts).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { runPool } from '../core/pool.js';

const CHUNK = 1024 * 1024;

export interface HashResult {
  size: number;
  sha256: string;
}

/** SHA-256 and byte count of a file. I/O errors (ENOENT, EACCES, EIO) reject. */
export async function hashFile(path: string, buf: Buffer = Buffer.allocUnsafe(CHUNK)): Promise<HashResult> {
  const fh = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { size, sha256: hash.digest('hex') };
  } finally {
    await fh.close();
  }
}

/**
 * Runs `fn` over `items` with at most `concurrency` in flight, each with a 1 MiB read buffer of its own, so memory
 * stays at concurrency × 1 MiB whatever the archive size.
 */
export async function forEachHashing<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, buf: Buffer) => Promise<void>,
): Promise<void> {
  // A buffer goes back once its item is done, so there are never more buffers than items in flight.
  const spare: Buffer[] = [];
  await runPool(items, concurrency, async (item) => {
    const buf = spare.pop() ?? Buffer.allocUnsafe(CHUNK);
    try {
      await fn(item, buf);
    } finally {
      spare.push(buf);
    }
  });
}
