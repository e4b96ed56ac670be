// Repeated reports fold into one line with a count; -v hands every report back; a report alone stays itself.
import { describe, expect, it } from 'vitest';
import { createFolder, foldReports, foldedLine } from '../../src/cli/render/fold.js';

const pending = (i: number) => ({ kind: 'video-pending', line: `video-pending: 2020/01/v${i}.mp4 — video still processing` });

describe('foldReports', () => {
  it.each([
    ['nothing', [], []],
    ['one report stays as it is', [pending(1)], [pending(1).line]],
    ['38 of a kind are one line', Array.from({ length: 38 }, (_, i) => pending(i)), ['38 videos still processing at Google; a later sync fetches them (-v lists them)']],
    [
      'each kind its own line, in the order kinds first came',
      [{ kind: 'remote-gone', line: 'g1' }, pending(1), { kind: 'remote-gone', line: 'g2' }, pending(2), { kind: 'changed-on-disk', line: 'c1' }],
      ['2 items no longer listed by Google; kept here (-v lists them)', '2 videos still processing at Google; a later sync fetches them (-v lists them)', 'c1'],
    ],
    ['an import skip reason', [{ kind: 'skipped:trashed', line: 'a' }, { kind: 'skipped:trashed', line: 'b' }], ['2 entries skipped: trashed (-v lists them)']],
  ])('%s', (_, reports, lines) => {
    expect(foldReports(reports)).toEqual(lines);
  });

  it('has words for every drift kind a sync reports', () => {
    for (const kind of ['video-failed', 'original-missing', 'changed-on-disk', 'ambiguous-identity', 'duplicate-remote-id', 'no-date']) {
      expect(foldedLine(kind, 3)).toMatch(/^3 \w.* \(-v lists them\)$/);
      expect(foldedLine(kind, 3)).not.toContain(kind);
    }
  });
});

describe('createFolder', () => {
  it('keeps reports until taken, then starts afresh', () => {
    const f = createFolder(false);
    for (let i = 0; i < 5; i++) expect(f.add(pending(i))).toBeUndefined();
    expect(f.take()).toEqual(['5 videos still processing at Google; a later sync fetches them (-v lists them)']);
    expect(f.take()).toEqual([]);
  });

  it('-v: every report is printed as it comes, nothing is folded', () => {
    const f = createFolder(true);
    expect(f.add(pending(1))).toBe(pending(1).line);
    expect(f.add(pending(2))).toBe(pending(2).line);
    expect(f.take()).toEqual([]);
  });
});
