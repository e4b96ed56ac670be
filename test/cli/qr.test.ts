import qrcode from 'qrcode-generator';
import { describe, expect, it } from 'vitest';
import { renderQr } from '../../src/cli/render/qr.js';

/** Read the half-block picture back into light/dark modules. */
function modules(drawing: string): boolean[][] {
  const rows: boolean[][] = [];
  for (const line of drawing.trimEnd().split('\n')) {
    const chars = [...line];
    rows.push(chars.map((c) => c === '█' || c === '▀'));
    rows.push(chars.map((c) => c === '█' || c === '▄'));
  }
  return rows;
}

describe('renderQr', () => {
  it('draws every module of the code, with a light quiet zone', () => {
    const url = 'https://photos.google.com/picker/AbCdEf0123456789';
    const qr = qrcode(0, 'L');
    qr.addData(url, 'Byte');
    qr.make();
    const n = qr.getModuleCount();
    const drawn = modules(renderQr(url));
    expect(drawn[0]!.length).toBe(n + 4);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) expect(drawn[r + 2]![c + 2], `module ${r},${c}`).toBe(!qr.isDark(r, c));
    }
    for (const row of [0, 1, n + 2]) expect(drawn[row]!.every(Boolean)).toBe(true);
  });

  it('grows with the text and stays a few lines for a picker link', () => {
    const short = renderQr('https://photos.google.com/picker/x').split('\n').length;
    const long = renderQr('https://photos.google.com/picker/' + 'y'.repeat(200)).split('\n').length;
    expect(short).toBeLessThan(20);
    expect(long).toBeGreaterThan(short);
  });
});
