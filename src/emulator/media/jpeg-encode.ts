// A tiny baseline (SOF0) JPEG encoder that codes only the DC coefficient of each 8x8 block:
// every block is a flat colour, AC is a bare EOB. That is a fully standard, decodable JPEG,
// and it is cheap enough to generate thousands of images per second.
import {
  AC_CHROMA, AC_LUMA, CHROMA_QUANT, DC_CHROMA, DC_LUMA, LUMA_QUANT, ZIGZAG, huffCodes,
} from './jpeg-tables.js';
import type { HuffSpec } from './jpeg-tables.js';

/** A colour in JPEG's YCbCr space, each channel 0..255. */
export type Ycc = readonly [number, number, number];

/** Code and length per DC category, as flat arrays: the hot loop avoids Map lookups. */
function dcTable(spec: HuffSpec): { code: Int32Array; len: Int32Array } {
  const code = new Int32Array(16);
  const len = new Int32Array(16);
  for (const [cat, [c, l]] of huffCodes(spec)) {
    code[cat] = c;
    len[cat] = l;
  }
  return { code, len };
}
const DC_LUMA_CODES = dcTable(DC_LUMA);
const DC_CHROMA_CODES = dcTable(DC_CHROMA);
const EOB_LUMA = huffCodes(AC_LUMA).get(0x00) ?? [0b1010, 4];
const EOB_CHROMA = huffCodes(AC_CHROMA).get(0x00) ?? [0b00, 2];

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

function dqt(): Buffer {
  const body = Buffer.alloc(2 * 65);
  [LUMA_QUANT, CHROMA_QUANT].forEach((table, id) => {
    body[id * 65] = id; // 8-bit precision, table id
    for (let k = 0; k < 64; k++) body[id * 65 + 1 + k] = table[ZIGZAG[k] ?? 0] ?? 1;
  });
  return segment(0xdb, body);
}

function sof0(width: number, height: number): Buffer {
  const body = Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3,
    1, 0x11, 0, // Y: 1x1 sampling (4:4:4), quant table 0
    2, 0x11, 1, // Cb
    3, 0x11, 1, // Cr
  ]);
  return segment(0xc0, body);
}

function dht(): Buffer {
  const tables: [number, HuffSpec][] = [[0x00, DC_LUMA], [0x10, AC_LUMA], [0x01, DC_CHROMA], [0x11, AC_CHROMA]];
  const parts = tables.map(([tcTh, spec]) => Buffer.from([tcTh, ...spec.bits, ...spec.vals]));
  return segment(0xc4, Buffer.concat(parts));
}

function sos(): Buffer {
  return segment(0xda, Buffer.from([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]));
}

/** Writes Huffman codes MSB-first, stuffing a 0x00 after every 0xFF byte (T.81 F.1.2.3). */
class BitWriter {
  private pos = 0;
  private acc = 0;
  private n = 0;
  constructor(private readonly buf: Buffer) {}
  write(code: number, len: number): void {
    this.acc = (this.acc << len) | code;
    this.n += len;
    while (this.n >= 8) {
      this.n -= 8;
      const b = (this.acc >>> this.n) & 0xff;
      this.buf[this.pos++] = b;
      if (b === 0xff) this.buf[this.pos++] = 0;
    }
    this.acc &= (1 << this.n) - 1;
  }
  /** Pads the last byte with 1-bits, as the standard requires, and returns the bytes written. */
  finish(): Buffer {
    if (this.n > 0) this.write((1 << (8 - this.n)) - 1, 8 - this.n);
    return this.buf.subarray(0, this.pos);
  }
}

function writeDc(w: BitWriter, diff: number, codes: { code: Int32Array; len: Int32Array }): void {
  const cat = diff === 0 ? 0 : 32 - Math.clz32(Math.abs(diff));
  w.write(codes.code[cat] ?? 0, codes.len[cat] ?? 0);
  // Negative values are sent as diff - 1 in `cat` bits (one's complement form, F.1.2.1).
  if (cat > 0) w.write(diff > 0 ? diff : diff + (1 << cat) - 1, cat);
}

/**
 * Encodes a width x height image whose 8x8 block (bx, by) has the flat colour `blockColour(bx, by)`.
 * `mark` (a uint32) is stored in the parity of the first 32 luma DC values, so distinct marks give
 * distinct pixels whenever the image has at least 32 blocks. `segments` (e.g. APP1) follow SOI.
 */
export function encodeDcJpeg(
  width: number, height: number, blockColour: (bx: number, by: number) => Ycc,
  mark: number, segments: readonly Buffer[],
): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 65535 || height > 65535) {
    throw new RangeError(`JPEG size must be integers in 1..65535, got ${width}x${height}`);
  }
  const bw = Math.ceil(width / 8);
  const bh = Math.ceil(height / 8);
  // Worst case per MCU: 3 x (16-bit DC + 4-bit EOB), doubled for stuffing.
  const w = new BitWriter(Buffer.alloc(bw * bh * 16 + 16));
  const q0y = LUMA_QUANT[0] ?? 16;
  const q0c = CHROMA_QUANT[0] ?? 17;
  let predY = 0;
  let predCb = 0;
  let predCr = 0;
  let index = 0;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++, index++) {
      const [y, cb, cr] = blockColour(bx, by);
      // A flat block of value v has DCT DC = 8 * (v - 128).
      let qy = Math.round(((y - 128) * 8) / q0y);
      if (index < 32 && (qy & 1) !== ((mark >>> index) & 1)) qy += qy > 0 ? -1 : 1;
      const qcb = Math.round(((cb - 128) * 8) / q0c);
      const qcr = Math.round(((cr - 128) * 8) / q0c);
      writeDc(w, qy - predY, DC_LUMA_CODES);
      w.write(EOB_LUMA[0], EOB_LUMA[1]);
      writeDc(w, qcb - predCb, DC_CHROMA_CODES);
      w.write(EOB_CHROMA[0], EOB_CHROMA[1]);
      writeDc(w, qcr - predCr, DC_CHROMA_CODES);
      w.write(EOB_CHROMA[0], EOB_CHROMA[1]);
      predY = qy;
      predCb = qcb;
      predCr = qcr;
    }
  }
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]), ...segments, dqt(), sof0(width, height), dht(), sos(),
    w.finish(), Buffer.from([0xff, 0xd9]),
  ]);
}

/** An APPn (or COM) segment, for callers that add metadata. */
export function jpegSegment(marker: number, body: Buffer): Buffer {
  return segment(marker, body);
}
