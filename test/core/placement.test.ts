import { describe, expect, it } from 'vitest';
import { PathRegistry } from '../../src/core/placement.js';

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
