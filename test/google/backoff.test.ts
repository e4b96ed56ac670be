import { describe, expect, it } from 'vitest';
import { nextDelayMs } from '../../src/google/backoff.js';
import { parseRetryAfter } from '../../src/google/retry-after.js';

describe('nextDelayMs', () => {
  const opts = { baseMs: 100, maxMs: 5_000 };

  it('draws uniformly below an exponentially growing ceiling (full jitter)', () => {
    expect(nextDelayMs(1, opts, () => 0)).toBe(0);
    expect(nextDelayMs(1, opts, () => 0.999)).toBe(99);
    expect(nextDelayMs(2, opts, () => 0.999)).toBe(199);
    expect(nextDelayMs(4, opts, () => 0.5)).toBe(400);
    for (let attempt = 1; attempt <= 10; attempt++) {
      for (const r of [0, 0.25, 0.5, 0.75, 0.9999]) {
        const d = nextDelayMs(attempt, opts, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(Math.min(opts.maxMs, opts.baseMs * 2 ** (attempt - 1)));
      }
    }
  });

  it('caps the ceiling at maxMs, even for huge attempt numbers', () => {
    expect(nextDelayMs(30, opts, () => 0.9999)).toBe(4_999);
    expect(nextDelayMs(5_000, opts, () => 0.9999)).toBe(4_999);
  });

  it('never waits less than Retry-After, even above the cap', () => {
    expect(nextDelayMs(1, { ...opts, retryAfterMs: 2_000 }, () => 0)).toBe(2_000);
    expect(nextDelayMs(1, { ...opts, retryAfterMs: 60_000 }, () => 0.9)).toBe(60_000);
    // A jittered delay already longer than Retry-After stays as drawn.
    expect(nextDelayMs(10, { ...opts, retryAfterMs: 50 }, () => 0.5)).toBe(2_500);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delay-seconds, including fractional ones', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(' 0.05 ', now)).toBe(50);
  });

  it('reads an HTTP date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
