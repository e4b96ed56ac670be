// Seeded randomness: the library and every injected fault must replay identically for the same seed.
import { createHash } from 'node:crypto';

/** mulberry32: tiny, fast and good enough for test data; returns floats in [0, 1). */
export function makePrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit number derived from any string (for per-item seeds). */
export function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A stable, opaque, URL-safe id derived from a string (looks like Google's long ids). */
export function opaqueId(prefix: string, text: string, length = 40): string {
  return prefix + createHash('sha256').update(text).digest('base64url').slice(0, length);
}

export function pick<T>(rand: () => number, list: readonly T[]): T {
  const value = list[Math.floor(rand() * list.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

export function intBetween(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}
