// Real, decodable JPEGs for the emulator: a seeded landscape-like picture with camera EXIF.
import { encodeDcJpeg, jpegSegment } from './jpeg-encode.js';
import type { Ycc } from './jpeg-encode.js';
import { T, entries, exifApp1, readTiff, writeTiff } from './exif-write.js';
import type { IfdEntry } from './exif-write.js';
import { makePrng } from '../prng.js';

export interface JpegSpec {
  width: number; height: number;       // the real pixel size in the SOF0 header
  seed: number;                        // makes bytes unique per item (colours/pattern)
  dateTimeOriginal?: string;           // 'YYYY:MM:DD HH:MM:SS' written as EXIF DateTimeOriginal (and DateTime)
  offsetTimeOriginal?: string;         // '+09:00' written as EXIF OffsetTimeOriginal
  gps?: { lat: number; lon: number };  // written as a GPS IFD
  make?: string; model?: string;
}

function hsv(h: number, s: number, v: number): [number, number, number] {
  const f = (n: number): number => {
    const k = (n + h * 6) % 6;
    return 255 * (v - v * s * Math.max(0, Math.min(k, 4 - k, 1)));
  };
  return [f(5), f(3), f(1)];
}

function ycc(r: number, g: number, b: number): Ycc {
  return [
    0.299 * r + 0.587 * g + 0.114 * b,
    128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
    128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
  ];
}

/**
 * The picture as a function of normalised coordinates (u, v in 0..1): sky, sun and striped ground,
 * all seeded. Scaled copies sample the same function, so a thumbnail looks like its original.
 */
function scene(seed: number): (u: number, v: number, aspect: number) => Ycc {
  const rnd = makePrng(seed);
  const sky = rnd();
  const ground = rnd();
  const horizon = 0.4 + 0.3 * rnd();
  const sunU = rnd();
  const sunV = horizon * (0.2 + 0.6 * rnd());
  const sunR = 0.05 + 0.1 * rnd();
  const stripes = 3 + Math.floor(rnd() * 12);
  const sun = ycc(...hsv(0.13, 0.5, 1));
  // Colours depend on the row only (besides sun and stripes), so compute them once per row.
  let rowV = Number.NaN;
  let skyRow = sun;
  let groundRow = [sun, sun];
  return (u, v, aspect) => {
    if (v !== rowV) {
      rowV = v;
      const depth = (v - horizon) / (1 - horizon);
      skyRow = ycc(...hsv(sky, 0.3 + 0.5 * (1 - v / horizon), 0.6 + 0.4 * (v / horizon)));
      groundRow = [ycc(...hsv(ground, 0.6, 0.7 - 0.4 * depth)), ycc(...hsv(ground, 0.6, (0.7 - 0.4 * depth) * 0.8))];
    }
    if (v < horizon) {
      const du = (u - sunU) * aspect;
      const dv = v - sunV;
      return du * du + dv * dv < sunR * sunR ? sun : skyRow;
    }
    const depth = (v - horizon) / (1 - horizon);
    return (Math.sin((u + depth * 0.5) * stripes * Math.PI) > 0 ? groundRow[0] : groundRow[1]) ?? sun;
  };
}

function render(spec: JpegSpec, width: number, height: number, segments: readonly Buffer[]): Buffer {
  const colourAt = scene(spec.seed);
  const aspect = width / height;
  const bw = Math.ceil(width / 8);
  const bh = Math.ceil(height / 8);
  return encodeDcJpeg(width, height, (bx, by) => colourAt((bx + 0.5) / bw, (by + 0.5) / bh, aspect), spec.seed, segments);
}

/** Degrees as EXIF degrees/minutes/seconds rationals, seconds to 1e-4 s (about 3 mm). */
function dms(x: number): [number, number][] {
  let rest = Math.round(Math.abs(x) * 3600 * 10000);
  const d = Math.floor(rest / 36_000_000);
  rest -= d * 36_000_000;
  const m = Math.floor(rest / 600_000);
  return [[d, 1], [m, 1], [rest - m * 600_000, 10000]];
}

function exifSegment(spec: JpegSpec): Buffer {
  const e = entries('MM');
  const ifd0: IfdEntry[] = [];
  if (spec.make !== undefined) ifd0.push(e.ascii(0x010f, spec.make));
  if (spec.model !== undefined) ifd0.push(e.ascii(0x0110, spec.model));
  ifd0.push(e.short(0x0112, 1)); // Orientation: normal
  if (spec.dateTimeOriginal !== undefined) ifd0.push(e.ascii(0x0132, spec.dateTimeOriginal));
  const exif: IfdEntry[] = [e.bytes(0x9000, T.UNDEFINED, Buffer.from('0232', 'latin1'))];
  if (spec.dateTimeOriginal !== undefined) exif.push(e.ascii(0x9003, spec.dateTimeOriginal));
  if (spec.offsetTimeOriginal !== undefined) exif.push(e.ascii(0x9011, spec.offsetTimeOriginal));
  exif.push(e.long(0xa002, spec.width), e.long(0xa003, spec.height));
  const gps = spec.gps && [
    e.bytes(0x0000, T.BYTE, Buffer.from([2, 3, 0, 0])),
    e.ascii(0x0001, spec.gps.lat < 0 ? 'S' : 'N'),
    e.rationals(0x0002, dms(spec.gps.lat)),
    e.ascii(0x0003, spec.gps.lon < 0 ? 'W' : 'E'),
    e.rationals(0x0004, dms(spec.gps.lon)),
  ];
  return exifApp1(writeTiff({ order: 'MM', ifd0, exif, ...(gps ? { gps } : {}) }));
}

/** A valid baseline JPEG of spec.width x spec.height whose APP1 Exif carries the spec's metadata. */
export function makeJpeg(spec: JpegSpec): Buffer {
  return render(spec, spec.width, spec.height, [exifSegment(spec)]);
}

/** Byte ranges of the segments before SOS: [marker, start, end) with end exclusive. */
function segmentsOf(jpeg: Buffer): [number, number, number][] {
  const out: [number, number, number][] = [];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1] ?? 0;
    const end = at + 2 + jpeg.readUInt16BE(at + 2);
    out.push([marker, at, end]);
    if (marker === 0xda) break;
    at = end;
  }
  return out;
}

/** The same picture with EXIF kept but the GPS IFD and its pointer removed (what Google's `=d` serves). */
export function stripGps(jpeg: Buffer): Buffer {
  for (const [marker, start, end] of segmentsOf(jpeg)) {
    if (marker !== 0xe1 || jpeg.toString('latin1', start + 4, start + 10) !== 'Exif\0\0') continue;
    const tiff = readTiff(jpeg.subarray(start + 10, end));
    if (!tiff?.gps) break;
    const { gps: _gps, ...rest } = tiff;
    return Buffer.concat([jpeg.subarray(0, start), exifApp1(writeTiff(rest)), jpeg.subarray(end)]);
  }
  return Buffer.from(jpeg); // nothing to strip: an identical copy
}

/** Google's `=wW-hH`: the picture scaled (never up) to fit maxW x maxH, keeping aspect; JFIF, no EXIF. */
export function makeScaledJpeg(spec: JpegSpec, maxW: number, maxH: number): Buffer {
  const scale = Math.min(1, maxW / spec.width, maxH / spec.height);
  const width = Math.max(1, Math.round(spec.width * scale));
  const height = Math.max(1, Math.round(spec.height * scale));
  const jfif = jpegSegment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  return render(spec, width, height, [jfif]);
}
