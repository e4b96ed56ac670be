// The text renderer's --quiet and -v rules, fed the events a sync emits.
import { describe, expect, it } from 'vitest';
import type { SyncEvent, SyncSummary } from '../../src/engine/events.js';
import { createTextRenderer } from '../../src/cli/render/text.js';

const summary: SyncSummary = {
  dryRun: false, listed: 2, downloaded: 2, bytes: 2048, alreadyPresent: 0, restamped: 0, linked: 0, upgraded: 0, downgraded: 0, sameBytes: 0, annotated: 0, pendingVideos: 1, failed: 0, remaining: 0,
  drift: { remoteGone: 0, changedOnDisk: 0, ambiguous: 0, failedVideos: 0, originalMissing: 0 }, apiCalls: 1, byteCalls: 2, retries: 0, elapsedMs: 10, failures: [],
};

function run(o: { tty: boolean; quiet: boolean; verbose?: boolean }, events: SyncEvent[]): { out: string; err: string } {
  let out = '';
  let err = '';
  const r = createTextRenderer({ out: (s) => void (out += s), err: (s) => void (err += s), columns: 80, now: () => 0, archiveLabel: 'P', ...o });
  for (const e of events) r.sink(e);
  r.close();
  return { out, err };
}

const downloaded: SyncEvent = { event: 'downloaded', path: '2020/01/a.jpg', bytes: 1024, filename: 'a.jpg', timeSource: 'exif', dateSource: 'exif' };

describe('text renderer', () => {
  it('--quiet: nothing for a good run, the summary for a troubled one', () => {
    expect(run({ tty: false, quiet: true }, [downloaded, { event: 'summary', summary }])).toEqual({ out: '', err: '' });
    expect(run({ tty: false, quiet: true }, [{ event: 'summary', summary: { ...summary, failed: 1 } }]).out).toContain('failed');
    expect(run({ tty: false, quiet: true }, [{ event: 'summary', summary: { ...summary, stoppedBy: 'quota' } }]).out).toContain('quota is spent');
  });

  it('-v: a line per file under the progress bar too', () => {
    expect(run({ tty: true, quiet: false }, [downloaded]).out).toBe('');
    expect(run({ tty: true, quiet: false, verbose: true }, [downloaded]).out).toBe('downloaded 2020/01/a.jpg (1.0 KB)\n');
  });
});
