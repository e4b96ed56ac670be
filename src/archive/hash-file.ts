// Stream-hash files with SHA-256. Large reads (1 MiB) keep syscall overhead far below the hash cost, so a
// pool of a few hashers runs at disk or CPU speed, whichever is lower.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

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
 * Runs `fn` over `items` with at most `concurrency` in flight; each worker owns one read buffer, so memory
 * stays at concurrency × 1 MiB whatever the archive size.
 */
export async function forEachHashing<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, buf: Buffer) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    const buf = Buffer.allocUnsafe(CHUNK);
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item, buf);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
