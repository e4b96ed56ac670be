// The text renderer's --quiet and -v rules, fed the events a sync (and a pick) emits.
import { describe, expect, it } from 'vitest';
import type { SyncEvent, SyncSummary } from '../../src/engine/events.js';
import type { PickEvent } from '../../src/engine/pick-events.js';
import { createTextRenderer } from '../../src/cli/render/text.js';

const summary: SyncSummary = {
  dryRun: false, listed: 2, downloaded: 2, bytes: 2048, alreadyPresent: 0, restamped: 0, linked: 0, upgraded: 0, downgraded: 0, sameBytes: 0, annotated: 0, pendingVideos: 1, failed: 0, remaining: 0,
  drift: { remoteGone: 0, changedOnDisk: 0, ambiguous: 0, failedVideos: 0, originalMissing: 0 }, apiCalls: 1, byteCalls: 2, retries: 0, elapsedMs: 10, failures: [],
};

function run(o: { tty: boolean; quiet: boolean; verbose?: boolean }, events: PickEvent[]): { out: string; err: string } {
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

describe('text renderer: pick', () => {
  const session: PickEvent = { event: 'picker-session', sessionId: 's1', pickerUri: 'https://photos.google.com/picker/s1' };
  const link = 'Pick your photos in Google Photos, then press Done:\n  https://photos.google.com/picker/s1\n';
  const waiting = 'Waiting for you to finish picking (Ctrl-C to give up)…\n';

  it('prints the link and the wait on stderr; --quiet only the link, which the user needs', () => {
    expect(run({ tty: false, quiet: false }, [session, { event: 'picker-waiting' }])).toEqual({ out: '', err: link + waiting });
    expect(run({ tty: true, quiet: true }, [session, { event: 'picker-waiting' }])).toEqual({ out: '', err: link });
  });

  it('says a pick of nothing on stderr, also with --quiet', () => {
    for (const quiet of [false, true]) {
      expect(run({ tty: false, quiet }, [{ event: 'picker', message: 'You picked nothing; nothing changed.' }]).err).toBe('You picked nothing; nothing changed.\n');
    }
  });
});

describe('text renderer: repeated reports', () => {
  const videos: SyncEvent[] = Array.from({ length: 38 }, (_, i) => ({ event: 'drift', reason: 'video-pending', path: `2020/01/v${i}.mp4`, filename: `v${i}.mp4` }));
  const gone: SyncEvent = { event: 'drift', reason: 'remote-gone', path: '2019/05/old.jpg' };

  it('folds 38 pending videos into one line before the summary, on a terminal and in a log alike', () => {
    for (const tty of [true, false]) {
      const { out } = run({ tty, quiet: false }, [...videos, gone, { event: 'summary', summary }]);
      const lines = out.split('\n');
      expect(lines.filter((l) => l.includes('video'))).toEqual([
        '38 videos still processing at Google; a later sync fetches them (-v lists them)',
        '  pending videos   1 (still processing at Google; a later sync picks them up)',
      ]);
      expect(lines[1]).toBe('remote-gone: 2019/05/old.jpg — no longer listed by Google; kept here');
      expect(lines[2]).toMatch(/^Synced P/);
    }
  });

  it('-v lists every one; --quiet none', () => {
    expect(run({ tty: true, quiet: false, verbose: true }, videos).out.split('\n').filter((l) => l.startsWith('video-pending: '))).toHaveLength(38);
    expect(run({ tty: false, quiet: true }, [...videos, { event: 'summary', summary }])).toEqual({ out: '', err: '' });
  });

  it('a run that ends without a summary (an error) still shows the folded line', () => {
    expect(run({ tty: false, quiet: false }, videos).out).toBe('38 videos still processing at Google; a later sync fetches them (-v lists them)\n');
  });
});
