// A QR code for the terminal, so a phone can open the Picker link (Google's own advice for the Picker).
// Two modules per character cell (half blocks) keep it small. Light modules are drawn, dark ones left blank,
// which reads correctly on the usual dark terminal background; the quiet zone is drawn light too.
import qrcode from 'qrcode-generator';

const QUIET = 2;

export function renderQr(text: string): string {
  const qr = qrcode(0, 'L');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const light = (row: number, col: number): boolean =>
    row < QUIET || col < QUIET || row >= n + QUIET || col >= n + QUIET || !qr.isDark(row - QUIET, col - QUIET);
  const size = n + 2 * QUIET;
  const lines: string[] = [];
  for (let row = 0; row < size; row += 2) {
    let line = '';
    for (let col = 0; col < size; col++) {
      const top = light(row, col);
      const bottom = row + 1 < size ? light(row + 1, col) : false;
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}
