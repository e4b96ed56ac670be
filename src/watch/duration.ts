// Durations on the command line: `30s`, `15m`, `1h`, `2d`, or a sum such as `1h30m`. Zero is allowed (`0s`).
import { UsageError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds in `text`; a bad value is a UsageError naming `flag`. */
export function parseDuration(text: string, flag: string): number {
  const s = text.trim().toLowerCase();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    matched = re.lastIndex;
  }
  if (s === '' || matched !== s.length || !Number.isFinite(total)) {
    throw new UsageError(`${flag} must be a duration such as 30s, 15m, 1h or 1h30m, not ${JSON.stringify(text)}.`);
  }
  return Math.round(total);
}

export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
