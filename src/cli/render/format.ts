// Small, pure formatting helpers for human output.

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function progressLine(p: { done: number; total: number; bytes: number; elapsedMs: number; width: number }): string {
  const frac = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
  const barWidth = Math.max(10, Math.min(30, p.width - 60));
  const filled = Math.round(frac * barWidth);
  const rate = p.elapsedMs > 0 ? (p.bytes / p.elapsedMs) * 1000 : 0;
  const eta = p.done > 0 ? ((p.total - p.done) * p.elapsedMs) / p.done : NaN;
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${p.done}/${p.total} items  ${formatBytes(p.bytes)}  ${formatBytes(rate)}/s  ETA ${formatDuration(eta)}`;
}
