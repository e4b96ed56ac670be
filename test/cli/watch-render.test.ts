// watch's text output over cycles: drift folded per cycle and not repeated while unchanged; --quiet silent
// when all is well; the cycle's downloads in the progress line on a terminal.
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/render/progress.js';
import { textWatchRenderer } from '../../src/cli/render/watch.js';
import type { WatchEvent } from '../../src/watch/events.js';

function run(o: { quiet: boolean; verbose?: boolean; tty?: boolean }, events: WatchEvent[]): { out: string[]; err: string[]; screen: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const screen: string[] = [];
  const progress = createProgress({ write: (s) => void screen.push(s), draw: o.tty === true && !o.quiet, columns: () => 50, now: () => 0, throttleMs: 0 }, { label: 'watch', done: 0, unit: 'downloaded', bytes: 0 });
  const sink = textWatchRenderer({ out: (s) => void out.push(s), err: (s) => void err.push(s), quiet: o.quiet, verbose: o.verbose === true, tty: o.tty === true, progress });
  for (const e of events) sink(e);
  return { out, err, screen };
}

const pending = (n: number, from = 0): WatchEvent[] => Array.from({ length: n }, (_, i) => ({ event: 'drift', reason: 'video-pending', path: `2020/01/v${from + i}.mp4` }));
const finished = (cycle: number, extra: Partial<Extract<WatchEvent, { event: 'cycle-finished' }>> = {}): WatchEvent => ({
  event: 'cycle-finished', cycle, listed: 100, downloaded: 0, bytes: 0, failed: 0, remaining: 0, drift: { remoteGone: 0, changedOnDisk: 0, ambiguous: 0 }, apiCalls: 1, byteCalls: 0, elapsedMs: 20, ...extra,
});
const cycle = (n: number, body: WatchEvent[], extra = {}): WatchEvent[] => [{ event: 'cycle-started', cycle: n, reason: 'interval' }, ...body, finished(n, extra)];
const folded = '38 videos still processing at Google; a later sync fetches them (-v lists them)\n';

describe('watch text renderer', () => {
  it('folds a cycle\'s 38 pending videos into one line, and says nothing of them while the next cycles find the same', () => {
    const { out } = run({ quiet: false }, [...cycle(1, pending(38)), ...cycle(2, pending(38)), ...cycle(3, pending(38)), ...cycle(4, pending(38, 1))]);
    expect(out.filter((l) => l.includes('video'))).toEqual([folded, folded]); // cycles 1 and 4 (one video done, a new one pending)
    expect(out.filter((l) => /^cycle \d done/.test(l))).toHaveLength(4);
  });

  it('-v lists every report in every cycle', () => {
    const { out } = run({ quiet: false, verbose: true }, [...cycle(1, pending(38)), ...cycle(2, pending(38))]);
    expect(out.filter((l) => l.startsWith('video-pending: '))).toHaveLength(76);
  });

  it('--quiet: nothing for good cycles; a failed cycle and Google\'s quota still show', () => {
    const good = run({ quiet: true }, [
      { event: 'watch-started', archive: 'P', intervalMs: 60_000, budget: { api: 9000, bytes: 70000 }, localWatch: true },
      ...cycle(1, [...pending(38), { event: 'downloaded', path: 'a.jpg', bytes: 10, filename: 'a.jpg', timeSource: 'exif', dateSource: 'exif' }]),
      ...cycle(2, [], { stoppedBy: 'budget' }),
      ...cycle(3, [], { stoppedBy: 'interrupt' }), // systemctl stop
      { event: 'quota-wait', why: 'budget', until: 'x', apiCalls: 9000, byteCalls: 0, budget: { api: 9000, bytes: 70000 } },
      { event: 'takeout-imported', files: ['t.zip'], imported: 3, duplicates: 0, upgraded: 0, failed: 0, problems: 0 },
      { event: 'watch-stopped', cycles: 3, reason: 'signal' },
    ]);
    expect(good).toEqual({ out: [], err: [], screen: [] });
    const bad = run({ quiet: true }, [
      ...cycle(1, [{ event: 'failed', path: 'b.jpg', filename: 'b.jpg', error: 'HTTP 500' }], { failed: 1 }),
      { event: 'quota-wait', why: 'quota', until: 'x', apiCalls: 10, byteCalls: 0, budget: { api: 9000, bytes: 70000 } },
    ]);
    expect(bad.err).toEqual(['failed: b.jpg: HTTP 500\n', expect.stringContaining("Google's daily quota is spent")]);
    expect(bad.out).toEqual([expect.stringMatching(/^cycle 1 done .* 1 failed/)]);
  });

  it('on a terminal a cycle\'s downloads are the progress line, not a line each', () => {
    const dl: WatchEvent = { event: 'downloaded', path: 'a.jpg', bytes: 1000, filename: 'a.jpg', timeSource: 'exif', dateSource: 'exif' };
    const { out, screen } = run({ quiet: false, tty: true }, cycle(7, [dl, dl]));
    expect(out.filter((l) => l.startsWith('downloaded'))).toEqual([]);
    expect(screen.map((s) => s.replace('\r\x1b[2K', '')).filter(Boolean)).toContain('cycle 7 2 downloaded  2.0 KB');
  });
});
