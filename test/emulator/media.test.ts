import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import ExifReader from 'exifreader';
import { makeJpeg, makeScaledJpeg, stripGps } from '../../src/emulator/media/jpeg.js';
import type { JpegSpec } from '../../src/emulator/media/jpeg.js';
import { encodeDcJpeg } from '../../src/emulator/media/jpeg-encode.js';
import { T, entries, exifApp1, writeTiff } from '../../src/emulator/media/exif-write.js';
import { makeMp4 } from '../../src/emulator/media/mp4.js';
import { AC_CHROMA, AC_LUMA, DC_CHROMA, DC_LUMA, huffCodes } from '../../src/emulator/media/jpeg-tables.js';
import type { HuffSpec } from '../../src/emulator/media/jpeg-tables.js';

// --- an independent reader of the JPEG structure, using only the tables found in the file ---

interface Segment { marker: number; body: Buffer }
interface ParsedJpeg { segments: Segment[]; scan: Buffer }

function parseJpeg(buf: Buffer): ParsedJpeg {
  expect(buf.readUInt16BE(0)).toBe(0xffd8);
  const segments: Segment[] = [{ marker: 0xd8, body: Buffer.alloc(0) }];
  let at = 2;
  let scan: Buffer = Buffer.alloc(0);
  for (;;) {
    expect(buf[at], `marker prefix at ${at}`).toBe(0xff);
    const marker = buf[at + 1]!;
    if (marker === 0xd9) {
      segments.push({ marker, body: Buffer.alloc(0) });
      expect(at + 2, 'EOI is the last byte').toBe(buf.length);
      return { segments, scan };
    }
    const end = at + 2 + buf.readUInt16BE(at + 2);
    segments.push({ marker, body: buf.subarray(at + 4, end) });
    at = end;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker: an 0xFF not followed by a stuffed 0x00.
      let e = at;
      while (!(buf[e] === 0xff && buf[e + 1] !== 0x00)) e += buf[e] === 0xff ? 2 : 1;
      scan = buf.subarray(at, e);
      at = e;
    }
  }
}

function huffTables(segments: Segment[]): Map<number, HuffSpec> {
  const out = new Map<number, HuffSpec>();
  for (const s of segments.filter((x) => x.marker === 0xc4)) {
    for (let p = 0; p < s.body.length; ) {
      const id = s.body[p]!;
      const bits = [...s.body.subarray(p + 1, p + 17)];
      const n = bits.reduce((a, b) => a + b, 0);
      out.set(id, { bits, vals: [...s.body.subarray(p + 17, p + 17 + n)] });
      p += 17 + n;
    }
  }
  return out;
}

/** Full baseline Huffman decode (DC and AC) of a 3-component 1x1-sampled scan; returns luma DC per block. */
function decodeScan(jpeg: Buffer): { width: number; height: number; lumaDc: number[]; dc: number[][]; paddingBits: number } {
  const { segments, scan } = parseJpeg(jpeg);
  const sof = segments.find((s) => s.marker === 0xc0)!.body;
  const height = sof.readUInt16BE(1);
  const width = sof.readUInt16BE(3);
  const tables = huffTables(segments);
  const lookup = (spec: HuffSpec): Map<string, number> =>
    new Map([...huffCodes(spec)].map(([sym, [code, len]]) => [`${len}:${code}`, sym]));
  const sos = segments.find((s) => s.marker === 0xda)!.body;
  const comps = [0, 1, 2].map((i) => {
    const t = sos[2 + 2 * i]!;
    return { dc: lookup(tables.get(t >> 4)!), ac: lookup(tables.get(0x10 | (t & 15))!) };
  });
  let pos = 0;
  let bit = 0;
  const unstuffed: number[] = [];
  for (let i = 0; i < scan.length; i++) {
    unstuffed.push(scan[i]!);
    if (scan[i] === 0xff) {
      expect(scan[i + 1], 'stuffed zero after 0xFF').toBe(0);
      i++;
    }
  }
  const read1 = (): number => {
    if (pos >= unstuffed.length) throw new Error('scan ran out of bits');
    const b = (unstuffed[pos]! >> (7 - bit)) & 1;
    if (++bit === 8) { bit = 0; pos++; }
    return b;
  };
  const receive = (n: number): number => { let v = 0; for (let i = 0; i < n; i++) v = (v << 1) | read1(); return v; };
  const extend = (v: number, n: number): number => (n === 0 ? 0 : v < 1 << (n - 1) ? v - (1 << n) + 1 : v);
  const decode = (t: Map<string, number>): number => {
    let code = 0;
    for (let len = 1; len <= 16; len++) {
      code = (code << 1) | read1();
      const sym = t.get(`${len}:${code}`);
      if (sym !== undefined) return sym;
    }
    throw new Error('invalid Huffman code');
  };
  const dc: number[][] = [[], [], []];
  const pred = [0, 0, 0];
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  for (let b = 0; b < blocks; b++) {
    comps.forEach((c, ci) => {
      const cat = decode(c.dc);
      pred[ci]! += extend(receive(cat), cat);
      dc[ci]!.push(pred[ci]!);
      for (let k = 1; k < 64; ) {
        const rs = decode(c.ac);
        if ((rs & 15) === 0) { if (rs >> 4 !== 15) break; k += 16; continue; }
        k += (rs >> 4) + 1;
        receive(rs & 15);
      }
    });
  }
  const paddingBits = (unstuffed.length - pos) * 8 - bit;
  if (bit > 0) expect(unstuffed[pos]! & ((1 << (8 - bit)) - 1), 'padding is 1-bits').toBe((1 << (8 - bit)) - 1);
  return { width, height, lumaDc: dc[0]!, dc, paddingBits };
}

const full: JpegSpec = {
  width: 1024, height: 768, seed: 42, dateTimeOriginal: '2021:07:04 15:30:45', offsetTimeOriginal: '+09:00',
  gps: { lat: 35.658581, lon: 139.745433 }, make: 'Canon', model: 'Canon EOS R5',
};

describe('Annex K Huffman tables', () => {
  test.each([['DC luma', DC_LUMA], ['DC chroma', DC_CHROMA], ['AC luma', AC_LUMA], ['AC chroma', AC_CHROMA]] as const)(
    '%s is a complete-minus-one prefix code without all-ones codes', (_name, spec) => {
      expect(spec.bits.reduce((a, b) => a + b, 0)).toBe(spec.vals.length);
      const codes = [...huffCodes(spec).values()];
      for (const [code, len] of codes) expect(code, 'all-ones codes are forbidden').not.toBe((1 << len) - 1);
      // Canonical codes fill the code space except the single all-ones code of the longest length.
      const maxLen = Math.max(...codes.map(([, len]) => len));
      expect(codes.reduce((a, [, len]) => a + 2 ** -len, 0)).toBe(1 - 2 ** -maxLen);
    });

  test('AC tables hold exactly the 162 run/size symbols', () => {
    const expected = [0x00, 0xf0];
    for (let r = 0; r < 16; r++) for (let s = 1; s <= 10; s++) expected.push((r << 4) | s);
    for (const spec of [AC_LUMA, AC_CHROMA]) expect([...spec.vals].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
  });
});

describe('encodeDcJpeg', () => {
  test('decodes to the DC value of every block of every component, 0xFF bytes stuffed', () => {
    const channel = fc.integer({ min: 0, max: 255 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.array(fc.tuple(channel, channel, channel), { minLength: 144, maxLength: 144 }),
      (bw, bh, colours) => {
        const jpeg = encodeDcJpeg(bw * 8, bh * 8, (bx, by) => colours[by * bw + bx]!, 0, []);
        const d = decodeScan(jpeg);
        // A flat block of value v has DC = 8 * (v - 128), divided by the quantiser's DC step (16 luma, 17 chroma).
        const q = (v: number, step: number): number => Math.round(((v - 128) * 8) / step) + 0; // + 0: no -0
        const expected = [0, 1, 2].map((c) => colours.slice(0, bw * bh).map((col) => q(col[c]!, c === 0 ? 16 : 17)));
        // The mark (0 here) forces even luma DCs in the first 32 blocks, one step towards zero.
        expected[0] = expected[0]!.map((v, i) => (i < 32 && v & 1 ? v + (v > 0 ? -1 : 1) : v));
        expect(d.dc).toEqual(expected);
      }), { numRuns: 100 });
  });

  test('0xFF bytes in the scan are stuffed with 0x00 and the scan still decodes', () => {
    // With DC-only blocks, eight aligned 1-bits need a luma step of -128 (white to black) at an odd
    // bit position; small chroma steps (3-bit codes) shift the alignment.
    let x = 12345;
    const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16;
    const colours = Array.from({ length: 64 * 64 }, () => [[0, 128, 255][next() % 3]!, [126, 128, 131][next() % 3]!, [128, 131][next() % 2]!] as const);
    const jpeg = encodeDcJpeg(512, 512, (bx, by) => colours[by * 64 + bx]!, 0, []);
    const { scan } = parseJpeg(jpeg);
    expect(scan.filter((b) => b === 0xff).length).toBeGreaterThan(10);
    const d = decodeScan(jpeg);
    expect(d.dc[0]!.slice(32)).toEqual(colours.slice(32).map(([y]) => Math.round(((y - 128) * 8) / 16) + 0));
    expect(d.dc[2]).toEqual(colours.map(([, , cr]) => Math.round(((cr - 128) * 8) / 17) + 0));
  });

  test('rejects sizes a JPEG cannot hold', () => {
    for (const [w, h] of [[0, 1], [1, 65536], [1.5, 2]] as const) expect(() => encodeDcJpeg(w, h, () => [0, 0, 0], 0, [])).toThrow(RangeError);
  });
});

describe('makeJpeg', () => {
  test('segments come in camera order and the scan decodes to exactly one block per 8x8 tile', () => {
    const jpeg = makeJpeg(full);
    expect(parseJpeg(jpeg).segments.map((s) => s.marker)).toEqual([0xd8, 0xe1, 0xdb, 0xc0, 0xc4, 0xda, 0xd9]);
    const d = decodeScan(jpeg);
    expect([d.width, d.height]).toEqual([1024, 768]);
    expect(d.lumaDc).toHaveLength(128 * 96);
    expect(d.paddingBits).toBeLessThan(8);
    expect(new Set(d.lumaDc).size, 'a picture, not a flat fill').toBeGreaterThan(5);
  });

  test('SOF0 holds the real size; odd sizes pad partial blocks; the seed is in the pixels', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.nat(), (w, h, seed) => {
      const d = decodeScan(makeJpeg({ width: w, height: h, seed }));
      expect([d.width, d.height]).toEqual([w, h]);
      expect(d.lumaDc).toHaveLength(Math.ceil(w / 8) * Math.ceil(h / 8));
      d.lumaDc.slice(0, 32).forEach((dc, i) => expect(dc & 1).toBe((seed >>> i) & 1));
    }), { numRuns: 60 });
  });

  test('exifreader reads back every field', () => {
    const t = ExifReader.load(makeJpeg(full), { expanded: true });
    expect(t.exif?.DateTimeOriginal?.description).toBe('2021:07:04 15:30:45');
    expect(t.exif?.DateTime?.description).toBe('2021:07:04 15:30:45');
    expect(t.exif?.OffsetTimeOriginal?.description).toBe('+09:00');
    expect(t.exif?.Make?.description).toBe('Canon');
    expect(t.exif?.Model?.description).toBe('Canon EOS R5');
    expect(t.exif?.PixelXDimension?.value).toBe(1024);
    expect(t.exif?.PixelYDimension?.value).toBe(768);
    expect(t.exif?.Orientation?.value).toBe(1);
    expect(t.exif?.ExifVersion?.description).toBe('0232');
    expect(t.file?.['Image Width']?.value).toBe(1024);
    expect(t.file?.['Image Height']?.value).toBe(768);
    expect(t.gps?.Latitude).toBeCloseTo(35.658581, 6);
    expect(t.gps?.Longitude).toBeCloseTo(139.745433, 6);
  });

  test('GPS round-trips to 1e-6 degrees in every hemisphere, including 60-second carries', () => {
    const coord = (max: number) => fc.double({ min: -max, max, noNaN: true });
    const edge = fc.constantFrom(0, -0.9999999999, 59.99999999 / 60, 89.9999999, -179.99999999, 180, -90);
    fc.assert(fc.property(fc.oneof(coord(90), edge.map((x) => Math.max(-90, Math.min(90, x)))), fc.oneof(coord(180), edge), (lat, lon) => {
      const t = ExifReader.load(makeJpeg({ width: 16, height: 16, seed: 1, gps: { lat, lon } }), { expanded: true });
      expect(Math.abs((t.gps?.Latitude ?? NaN) - lat)).toBeLessThan(1e-6);
      expect(Math.abs((t.gps?.Longitude ?? NaN) - lon)).toBeLessThan(1e-6);
    }), { numRuns: 200 });
  });

  test('no optional fields: no GPS, no Make, no DateTimeOriginal', () => {
    const t = ExifReader.load(makeJpeg({ width: 64, height: 48, seed: 3 }), { expanded: true });
    expect(t.gps).toBeUndefined();
    expect(t.exif?.Make).toBeUndefined();
    expect(t.exif?.DateTimeOriginal).toBeUndefined();
    expect(t.exif?.PixelXDimension?.value).toBe(64);
  });

  test('bytes are deterministic per seed and distinct across seeds', () => {
    expect(makeJpeg(full).equals(makeJpeg(full))).toBe(true);
    fc.assert(fc.property(fc.nat(), fc.nat(), (a, b) => {
      fc.pre(a >>> 0 !== b >>> 0);
      expect(makeJpeg({ width: 320, height: 240, seed: a }).equals(makeJpeg({ width: 320, height: 240, seed: b }))).toBe(false);
    }), { numRuns: 100 });
  });

  test('stays in the DC-only cost class (a guard, not a benchmark: ~3 ms per 1024x768 measured)', () => {
    for (let i = 0; i < 20; i++) makeJpeg({ ...full, seed: i }); // warm the JIT
    const n = 100;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) makeJpeg({ ...full, seed: i });
    // Generous for loaded CI machines; per-pixel work (a real DCT) would blow well past it.
    expect((performance.now() - t0) / n).toBeLessThan(25);
  });
});

describe('stripGps', () => {
  test('removes GPS, keeps the other EXIF and leaves the picture byte-identical', () => {
    const original = makeJpeg(full);
    const stripped = stripGps(original);
    expect(stripped.equals(original)).toBe(false);
    const t = ExifReader.load(stripped, { expanded: true });
    expect(t.gps).toBeUndefined();
    expect(Object.keys(t.exif ?? {}).filter((k) => k.startsWith('GPS'))).toEqual([]);
    expect(t.exif?.DateTimeOriginal?.description).toBe('2021:07:04 15:30:45');
    expect(t.exif?.OffsetTimeOriginal?.description).toBe('+09:00');
    expect(t.exif?.Model?.description).toBe('Canon EOS R5');
    const after = (j: Buffer): Buffer => {
      const app1End = 4 + j.readUInt16BE(4);
      return j.subarray(app1End);
    };
    expect(after(stripped).equals(after(original))).toBe(true);
    expect(decodeScan(stripped).lumaDc).toEqual(decodeScan(original).lumaDc);
  });

  test('handles little-endian (II) EXIF as phones write it', () => {
    const e = entries('II');
    const tiff = writeTiff({
      order: 'II',
      ifd0: [e.ascii(0x010f, 'Google'), e.short(0x0112, 6)],
      exif: [e.ascii(0x9003, '2020:02:29 12:00:00'), e.ascii(0x9011, '-03:30'), e.long(0xa002, 16)],
      gps: [e.ascii(0x0001, 'N'), e.rationals(0x0002, [[10, 1], [30, 1], [0, 1]]), e.bytes(0x0000, T.BYTE, Uint8Array.from([2, 2, 0, 0]))],
    });
    const jpeg = encodeDcJpeg(16, 16, () => [128, 128, 128], 0, [exifApp1(tiff)]);
    expect(ExifReader.load(jpeg, { expanded: true }).gps?.Latitude).toBe(10.5);
    const t = ExifReader.load(stripGps(jpeg), { expanded: true });
    expect(t.gps).toBeUndefined();
    expect([t.exif?.Make?.description, t.exif?.Orientation?.value, t.exif?.PixelXDimension?.value]).toEqual(['Google', 6, 16]);
    expect([t.exif?.DateTimeOriginal?.description, t.exif?.OffsetTimeOriginal?.description]).toEqual(['2020:02:29 12:00:00', '-03:30']);
  });

  test('is idempotent and a plain copy when there is no GPS', () => {
    const stripped = stripGps(makeJpeg(full));
    expect(stripGps(stripped).equals(stripped)).toBe(true);
    const { gps: _gps, ...withoutGps } = full;
    const noGps = makeJpeg(withoutGps);
    expect(stripGps(noGps).equals(noGps)).toBe(true);
  });
});

describe('makeScaledJpeg', () => {
  test.each([
    [1024, 768, 512, 512, 512, 384],
    [768, 1024, 200, 200, 150, 200],
    [1024, 768, 2048, 2048, 1024, 768], // never upscales
    [4000, 10, 100, 100, 100, 1], // never collapses to zero
  ])('%ix%i into %ix%i gives %ix%i, without EXIF', (w, h, maxW, maxH, ew, eh) => {
    const scaled = makeScaledJpeg({ ...full, width: w, height: h }, maxW, maxH);
    const d = decodeScan(scaled);
    expect([d.width, d.height]).toEqual([ew, eh]);
    const t = ExifReader.load(scaled, { expanded: true });
    expect(t.exif).toBeUndefined();
    expect(t.gps).toBeUndefined();
    expect(parseJpeg(scaled).segments.map((s) => s.marker)).toEqual([0xd8, 0xe0, 0xdb, 0xc0, 0xc4, 0xda, 0xd9]);
  });

  test('a thumbnail shows the same scene as its original', () => {
    // Sample the luma of both at the same relative positions: the scene is resolution independent.
    const big = decodeScan(makeJpeg({ ...full, width: 640, height: 480 }));
    const small = decodeScan(makeScaledJpeg({ ...full, width: 640, height: 480 }, 320, 240));
    const at = (d: ReturnType<typeof decodeScan>, u: number, v: number): number => {
      const bw = Math.ceil(d.width / 8);
      return d.lumaDc[Math.floor(v * Math.ceil(d.height / 8)) * bw + Math.floor(u * bw)]!;
    };
    let close = 0;
    for (let i = 0; i < 100; i++) {
      const u = ((i % 10) + 0.5) / 10;
      const v = (Math.floor(i / 10) + 0.5) / 10;
      if (Math.abs(at(big, u, v) - at(small, u, v)) <= 2) close++;
    }
    expect(close).toBeGreaterThan(85);
  });
});

// --- MP4: an independent box lister ---

interface Box { type: string; start: number; size: number; children?: Box[] }
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'dinf']);
function boxes(buf: Buffer, from = 0, to = buf.length): Box[] {
  const out: Box[] = [];
  for (let at = from; at < to; ) {
    const size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    expect(size, `${type} size`).toBeGreaterThanOrEqual(8);
    out.push({ type, start: at, size, ...(CONTAINERS.has(type) ? { children: boxes(buf, at + 8, at + size) } : {}) });
    at += size;
  }
  expect(out.reduce((a, b) => a + b.size, 0)).toBe(to - from);
  return out;
}
function find(list: Box[], path: string[]): Box {
  const [head, ...rest] = path;
  const b = list.find((x) => x.type === head);
  expect(b, `box ${head}`).toBeDefined();
  return rest.length ? find(b!.children ?? [], rest) : b!;
}

describe('makeMp4', () => {
  const when = new Date('2023-05-06T07:08:09.999Z');

  test.each([[false, ['ftyp', 'moov', 'mdat']], [true, ['ftyp', 'free', 'mdat', 'moov']]] as const)(
    'moovAtEnd=%s lays out %j with a full video track whose samples are JPEG frames', (moovAtEnd, order) => {
      const mp4 = makeMp4({ creationTime: when, seed: 9, durationMs: 2500, moovAtEnd, width: 160, height: 120 });
      const top = boxes(mp4);
      expect(top.map((b) => b.type)).toEqual(order);
      expect(mp4.toString('latin1', 8, 12)).toBe('isom');
      const mvhd = find(top, ['moov', 'mvhd']);
      expect(mp4[mvhd.start + 8]).toBe(0); // version 0 before 2040
      const secs = mp4.readUInt32BE(mvhd.start + 12);
      expect(new Date((secs - 2082844800) * 1000).toISOString()).toBe('2023-05-06T07:08:09.000Z');
      expect(mp4.readUInt32BE(mvhd.start + 20)).toBe(1000); // timescale
      expect(mp4.readUInt32BE(mvhd.start + 24)).toBe(2500); // duration
      const tkhd = find(top, ['moov', 'trak', 'tkhd']);
      expect([mp4.readUInt32BE(tkhd.start + 84) / 65536, mp4.readUInt32BE(tkhd.start + 88) / 65536]).toEqual([160, 120]);
      const hdlr = find(top, ['moov', 'trak', 'mdia', 'hdlr']);
      expect(mp4.toString('latin1', hdlr.start + 16, hdlr.start + 20)).toBe('vide');
      find(top, ['moov', 'trak', 'mdia', 'mdhd']);
      find(top, ['moov', 'trak', 'mdia', 'minf', 'vmhd']);
      const stsz = find(top, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsz']);
      const count = mp4.readUInt32BE(stsz.start + 16);
      expect(count).toBe(3); // one frame per started second
      const sizes = Array.from({ length: count }, (_, i) => mp4.readUInt32BE(stsz.start + 20 + 4 * i));
      const stco = find(top, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stco']);
      let offset = mp4.readUInt32BE(stco.start + 16);
      const mdat = find(top, ['mdat']);
      expect(offset).toBe(mdat.start + 8);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(mdat.size - 8);
      for (const size of sizes) {
        const d = decodeScan(mp4.subarray(offset, offset + size));
        expect([d.width, d.height]).toEqual([160, 120]);
        offset += size;
      }
    });

  test('switches mvhd to version 1 (64-bit times) after 2040', () => {
    const mp4 = makeMp4({ creationTime: new Date('2050-01-01T00:00:00Z'), seed: 1 });
    const mvhd = find(boxes(mp4), ['moov', 'mvhd']);
    expect(mp4[mvhd.start + 8]).toBe(1);
    expect(Number(mp4.readBigUInt64BE(mvhd.start + 12)) - 2082844800).toBe(Date.parse('2050-01-01T00:00:00Z') / 1000);
  });

  test('rejects creation times an MP4 cannot hold', () => {
    expect(() => makeMp4({ creationTime: new Date('1900-01-01T00:00:00Z'), seed: 1 })).toThrow(RangeError);
    expect(() => makeMp4({ creationTime: new Date('not a date'), seed: 1 })).toThrow(RangeError);
  });

  test('different seeds give different bytes; exifreader rejects MP4 as an image', () => {
    const a = makeMp4({ creationTime: when, seed: 1 });
    expect(a.equals(makeMp4({ creationTime: when, seed: 2 }))).toBe(false);
    expect(a.equals(makeMp4({ creationTime: when, seed: 1 }))).toBe(true);
    expect(() => ExifReader.load(a)).toThrow();
  });
});
