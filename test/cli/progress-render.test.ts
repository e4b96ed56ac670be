// The one progress line: composed for a width (never wrapping, fields dropped right to left), drawn in place,
// throttled, cleared around other lines, and fitted again at each draw to the terminal's current width.
import { describe, expect, it } from 'vitest';
import { composeProgress, type ProgressState } from '../../src/cli/render/progress-line.js';
import { createProgress } from '../../src/cli/render/progress.js';

const sync: ProgressState = { label: 'sync', done: 874, total: 2977, unit: 'items', bytes: 1_234_000_000, elapsedMs: 60_000 };

describe('composeProgress', () => {
  it.each([
    // width, the line
    [150, `sync [${'#'.repeat(9)}${'-'.repeat(21)}] 874/2977 items  1.2 GB  20.6 MB/s  ETA 2m24s`],
    [80, `sync [${'#'.repeat(8)}${'-'.repeat(19)}] 874/2977 items  1.2 GB  20.6 MB/s  ETA 2m24s`],
    [50, 'sync 874/2977 items  1.2 GB  20.6 MB/s  ETA 2m24s'],
    [40, 'sync 874/2977 items  1.2 GB  20.6 MB/s'],
    [30, 'sync 874/2977 items  1.2 GB'],
    [20, 'sync 874/2977 items'],
    [16, '874/2977 items'],
    [10, '874/2977…'],
    [1, ''],
  ])('at %i columns: %j', (width, line) => {
    const got = composeProgress(sync, width);
    expect(got).toBe(line);
    expect(got.length).toBeLessThan(Math.max(width, 1));
  });

  it.each([
    ['listing (a note, no counts yet)', { label: 'sync', done: 0, unit: 'items', elapsedMs: 5, note: 'listing… 1200 items (12 pages)' }, 'sync listing… 1200 items (12 pages)'],
    ['no total: a count and a rate', { label: 'watch', done: 12, unit: 'items', bytes: 0, elapsedMs: 4000 }, 'watch 12 items  0 B  3.0 items/s'],
    ['hashing: files, bytes, rate, ETA', { label: 'hashing', done: 1000, total: 2984, unit: 'files', bytes: 2e9, elapsedMs: 10_000 }, 'hashing 1000/2984 files  2.0 GB  200 MB/s  ETA 20s'],
    ['done: no ETA', { label: 'import', done: 5, total: 5, unit: 'entries', bytes: 5000, elapsedMs: 1000 }, `import [${'#'.repeat(20)}] 5/5 entries  5.0 KB  5.0 KB/s`],
    ['nothing yet: no rate, no ETA', { label: 'import', done: 0, total: 5, unit: 'entries', elapsedMs: 0 }, `import [${'-'.repeat(30)}] 0/5 entries`],
  ])('%s', (_, state: ProgressState, line) => {
    expect(composeProgress(state, 60)).toBe(line);
  });

  it('never reaches the last column, at any width', () => {
    for (let width = 1; width <= 200; width++) {
      for (const s of [sync, { ...sync, note: 'listing… 123456 items (1235 pages)' }, { ...sync, total: undefined }]) {
        expect(composeProgress(s, width).length).toBeLessThanOrEqual(Math.max(0, width - 1));
      }
    }
  });
});

function terminal(columns: { n: number }) {
  const writes: string[] = [];
  let t = 0;
  let resize: (() => void) | undefined;
  const p = createProgress(
    {
      write: (s) => void writes.push(s),
      draw: true,
      columns: () => columns.n,
      now: () => t,
      onResize: (redraw) => {
        resize = redraw;
        return () => (resize = undefined);
      },
    },
    { label: 'sync', done: 0, total: 100, unit: 'items' },
  );
  return { p, writes, tick: (ms: number) => (t += ms), resize: () => resize?.(), hasListener: () => resize !== undefined };
}

describe('createProgress', () => {
  it('redraws in place at most once per 100 ms, unless forced', () => {
    const { p, writes, tick } = terminal({ n: 80 });
    p.update({ done: 1 });
    p.update({ done: 2 });
    tick(50);
    p.update({ done: 3 });
    expect(writes).toHaveLength(1);
    tick(60);
    p.update({ done: 4 });
    p.update({ done: 5 }, true);
    expect(writes).toHaveLength(3);
    expect(writes.every((w) => w.startsWith('\r\x1b[2K') && !w.includes('\n'))).toBe(true);
    expect(writes[2]).toContain('5/100 items');
  });

  it('clears the line before another line is printed, then draws it again, and clears it at the end', () => {
    const { p, writes } = terminal({ n: 80 });
    const out: string[] = [];
    p.update({ done: 1 }, true);
    p.print((s) => void writes.push(s), 'failed: a.jpg');
    expect(writes.slice(1)).toEqual(['\r\x1b[2K', 'failed: a.jpg\n', expect.stringMatching(/^\r\x1b\[2Ksync .*1\/100 items/)]);
    p.end();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
    p.update({ done: 2 }, true);
    p.print((s) => void out.push(s), 'summary');
    expect(writes.at(-1)).toBe('\r\x1b[2K');
    expect(out).toEqual(['summary\n']);
  });

  it('fits the line to the width at each draw, and redraws on a resize', () => {
    const cols = { n: 150 };
    const { p, writes, resize, hasListener } = terminal(cols);
    p.update({ done: 40, bytes: 1e6 }, true);
    expect(writes.at(-1)).toContain('[');
    cols.n = 20;
    resize();
    const narrow = writes.at(-1)!.replace('\r\x1b[2K', '');
    expect(narrow).toBe('sync 40/100 items');
    p.end();
    expect(hasListener()).toBe(false);
  });

  it('draws nothing when told not to (a pipe, --quiet), and prints lines plainly', () => {
    const writes: string[] = [];
    const p = createProgress({ write: (s) => void writes.push(s), draw: false, columns: () => 80, now: () => 0 }, { label: 'sync', done: 0, unit: 'items' });
    p.update({ done: 1 }, true);
    p.print((s) => void writes.push(s), 'downloaded a.jpg');
    p.end();
    expect(writes).toEqual(['downloaded a.jpg\n']);
  });
});

describe('createProgress on a resize', () => {
  it('clears every row a narrower window reflowed the old line into, then draws one that fits', () => {
    const cols = { n: 150 };
    const { p, writes, resize } = terminal(cols);
    p.update({ done: 40, bytes: 1e6 }, true);
    const wide = writes.at(-1)!.replace('\r\x1b[2K', '').length; // 80-odd columns: two rows at 50
    cols.n = 50;
    resize();
    expect(writes.at(-2)).toBe('\r\x1b[2K' + '\x1b[1A\x1b[2K'.repeat(Math.ceil(wide / 50) - 1));
    expect(writes.at(-1)!.replace('\r\x1b[2K', '').length).toBeLessThan(50);
    cols.n = 20;
    resize();
    expect(writes.at(-2)).toBe('\r\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K'); // 49 columns at 20: three rows
  });

  it('a wider window needs no clearing', () => {
    const cols = { n: 50 };
    const { p, writes, resize } = terminal(cols);
    p.update({ done: 1 }, true);
    const before = writes.length;
    cols.n = 150;
    resize();
    expect(writes.slice(before)).toHaveLength(1);
  });
});
