// The progress line every long command draws, composed for a width from a state: pure, so it is table-tested.
// It never wraps: fields are dropped right to left (ETA, rate, bytes), then the label, until the line fits;
// the bar takes what room is left. One column stays free, so a terminal never moves the cursor to a new row.
import { formatBytes, formatDuration } from './format.js';

export interface ProgressState {
  /** What is being done: `sync`, `import`, `hashing`, `fix`. */
  label: string;
  done: number;
  /** Unknown while listing: then only the count shows. */
  total?: number | undefined;
  /** What is counted: items, entries, files. */
  unit: string;
  /** Bytes moved so far, when the command moves bytes. */
  bytes?: number | undefined;
  elapsedMs: number;
  /** A phase that has no count yet (`listing… 1200 items`), shown instead of the counts. */
  note?: string | undefined;
}

const BAR_MIN = 10;
const BAR_MAX = 30;

export function composeProgress(s: ProgressState, width: number): string {
  const room = Math.max(0, Math.floor(width) - 1);
  if (s.note !== undefined) return fit(`${s.label} ${s.note}`, room);
  const counts = s.total === undefined ? `${s.done} ${s.unit}` : `${s.done}/${s.total} ${s.unit}`;
  const secs = s.elapsedMs / 1000;
  const optional: string[] = [];
  if (s.bytes !== undefined) optional.push(formatBytes(s.bytes));
  if (secs > 0 && s.done > 0) optional.push(s.bytes !== undefined && s.bytes > 0 ? `${formatBytes(s.bytes / secs)}/s` : `${rate(s.done / secs)} ${s.unit}/s`);
  if (s.total !== undefined && s.done > 0 && s.done < s.total && secs > 0) optional.push(`ETA ${formatDuration(((s.total - s.done) * s.elapsedMs) / s.done)}`);

  for (let keep = optional.length; keep >= 0; keep--) {
    const tail = [counts, ...optional.slice(0, keep)].join('  ');
    const line = `${s.label} ${tail}`;
    if (line.length <= room) return withBar(s, s.label, tail, room);
  }
  return counts.length <= room ? withBar(s, '', counts, room) : fit(counts, room);
}

/** The bar between the label and the counts, when the total is known and at least a short bar has room. */
function withBar(s: ProgressState, label: string, tail: string, room: number): string {
  const head = label === '' ? '' : `${label} `;
  const spare = room - head.length - tail.length - 3; // the brackets and a space
  if (s.total === undefined || spare < BAR_MIN) return head + tail;
  const width = Math.min(BAR_MAX, spare);
  const frac = s.total === 0 ? 1 : Math.min(1, s.done / s.total);
  const filled = Math.round(frac * width);
  return `${head}[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${tail}`;
}

function fit(text: string, room: number): string {
  return text.length <= room ? text : room <= 1 ? '' : text.slice(0, room - 1) + '…';
}

function rate(perSec: number): string {
  return perSec >= 10 ? String(Math.round(perSec)) : perSec.toFixed(1);
}
