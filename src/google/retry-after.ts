// Retry-After (RFC 9110 §10.2.3): either delay-seconds or an HTTP date. The emulator sends fractional
// seconds, so decimals are accepted too.

/** Milliseconds to wait, or undefined when the header is absent or unreadable. Past dates give 0. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Date.parse accepts bare numbers like '-5' as years; an HTTP date always names a day and month.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
