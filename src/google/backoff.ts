// Pure retry timing: truncated exponential backoff with full jitter, floored by the server's Retry-After.
// Full jitter spreads concurrent retriers apart (AWS "Exponential Backoff and Jitter"); the floor respects
// what the server asked for, even above the cap, because retrying earlier only earns another 429.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** What the server asked for (Retry-After), in ms. */
  retryAfterMs?: number;
}

/**
 * Delay before retry number `attempt` (1 for the first retry): uniform in [0, min(maxMs, baseMs * 2^(attempt-1))),
 * and never less than `retryAfterMs`.
 */
export function nextDelayMs(attempt: number, opts: BackoffOptions, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^exponent overflows to Infinity for big attempts; Math.min still caps it.
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** exponent);
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, Math.ceil(opts.retryAfterMs ?? 0));
}
