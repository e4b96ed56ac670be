import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldKey, withSuffix } from '../../src/core/names.js';
import { joinArchivePath, PathRegistry } from '../../src/core/placement.js';

describe('PathRegistry', () => {
  it('claims the first free name, folding case and Unicode', () => {
    const r = new PathRegistry(['2019/03/IMG_1.jpg', '2019/03/img_1~2.JPG']);
    expect(r.claim('2019/03', 'Img_1.jpg')).toBe('2019/03/Img_1~3.jpg');
    expect(r.claim('2019/03', 'IMG_1.jpg')).toBe('2019/03/IMG_1~4.jpg');
    expect(r.claim('2019/04', 'IMG_1.jpg')).toBe('2019/04/IMG_1.jpg');
    expect(r.claim('2019/03', 'e\u0301.jpg')).toBe('2019/03/e\u0301.jpg');
    expect(r.claim('2019/03', '\u00e9.jpg')).toBe('2019/03/\u00e9~2.jpg');
  });

  it('treats a listed "~2" name as taken like any other', () => {
    const r = new PathRegistry();
    expect(r.claim('d', 'a~2.jpg')).toBe('d/a~2.jpg');
    expect(r.claim('d', 'a.jpg')).toBe('d/a.jpg');
    expect(r.claim('d', 'a.jpg')).toBe('d/a~3.jpg');
  });

  it('reserves, releases and re-claims (the engine re-placing by EXIF date)', () => {
    const r = new PathRegistry();
    const provisional = r.claim('2019/03', 'a.jpg');
    expect(r.has('2019/03/A.JPG')).toBe(true);
    r.release(provisional);
    expect(r.has(provisional)).toBe(false);
    expect(r.claim('2019/02', 'a.jpg')).toBe('2019/02/a.jpg');
    r.reserve('x/y.jpg');
    r.reserve('x/Y.jpg');
    expect(r.claim('x', 'y.jpg')).toBe('x/y~2.jpg');
  });

  it('handles an empty dir (flat layouts)', () => {
    expect(new PathRegistry(['a.jpg']).claim('', 'A.jpg')).toBe('A~2.jpg');
  });
});

// The registry folds its constructor's paths lazily, folder by folder: it must answer exactly as one that folds
// every path up front.
describe('PathRegistry answers as if every path were folded up front', () => {
  const SEGMENTS = ['2019', '03', 'X', 'x', 'Σ', 'σ', 'ς', 'e\u0301', '\u00e9', 'Straße', 'STRASSE', 'a.jpg', 'A.JPG', 'ΑΣ.jpg', 'ας.JPG'];
  const arbPath = fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
  const arbOp = fc.oneof(
    fc.record({ op: fc.constant('has' as const), path: arbPath }),
    fc.record({ op: fc.constant('reserve' as const), path: arbPath }),
    fc.record({ op: fc.constant('release' as const), path: arbPath }),
    fc.record({ op: fc.constant('claim' as const), path: arbPath }),
  );

  class Eager {
    readonly taken = new Map<string, string>();
    constructor(paths: string[]) {
      for (const p of paths) this.reserve(p);
    }
    reserve(p: string): void {
      if (!this.taken.has(foldKey(p))) this.taken.set(foldKey(p), p);
    }
  }

  it('for any constructor paths and any sequence of has/reserve/release/claim', () => {
    fc.assert(
      fc.property(fc.array(arbPath, { maxLength: 12 }), fc.array(arbOp, { maxLength: 12 }), (initial, ops) => {
        const lazy = new PathRegistry(initial);
        const eager = new Eager(initial);
        for (const { op, path } of ops) {
          const slash = path.lastIndexOf('/');
          const dir = slash < 0 ? '' : path.slice(0, slash);
          const name = path.slice(slash + 1);
          if (op === 'has') expect(lazy.has(path)).toBe(eager.taken.has(foldKey(path)));
          else if (op === 'reserve') {
            lazy.reserve(path);
            eager.reserve(path);
          } else if (op === 'release') {
            lazy.release(path);
            eager.taken.delete(foldKey(path));
          } else {
            let expected = joinArchivePath(dir, name);
            for (let n = 2; eager.taken.has(foldKey(expected)); n++) expected = joinArchivePath(dir, withSuffix(name, n));
            eager.reserve(expected);
            expect(lazy.claim(dir, name)).toBe(expected);
          }
        }
      }),
      { seed: 20261127, numRuns: 500 },
    );
  });
});
