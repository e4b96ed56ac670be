// --json: one JSON object per line (NDJSON); the last line is {"event":"summary",...}.
import type { SyncEvent } from '../../engine/events.js';

export function createJsonRenderer(write: (line: string) => void): (e: SyncEvent) => void {
  const handlers: { [K in SyncEvent['event']]: (e: Extract<SyncEvent, { event: K }>) => void } = {
    listing: out,
    plan: out,
    'planned-action': out,
    downloaded: out,
    upgraded: out,
    downgraded: out,
    'same-bytes': out,
    annotated: out,
    // Byte ticks would flood the stream; 'downloaded' events carry each file's size.
    progress: () => {},
    failed: out,
    retry: out,
    restamped: out,
    linked: out,
    drift: out,
    warning: out,
    adopted: out,
    summary: out,
  };
  function out(e: SyncEvent): void {
    write(JSON.stringify(e) + '\n');
  }
  return (e) => (handlers[e.event] as (e: SyncEvent) => void)(e);
}
