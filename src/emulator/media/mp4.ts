// Real ISO BMFF (MP4) files for the emulator: ftyp, moov (mvhd + one video trak), mdat.
// Samples are Motion-JPEG frames (MPEG-4 objectTypeIndication 0x6C, as ffmpeg muxes MJPEG into MP4),
// so the file is playable and not just a container shell.
import { makeScaledJpeg } from './jpeg.js';

const EPOCH_1904_S = 2_082_844_800; // seconds from 1904-01-01T00:00:00Z to 1970-01-01T00:00:00Z
const TIMESCALE = 1000; // ticks per second for movie and media: durations are in ms

function u8(...v: number[]): Buffer {
  return Buffer.from(v);
}
function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v & 0xffff);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
}
function u64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(v));
  return b;
}
function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body]);
}
function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  return box(type, u32(((version & 0xff) << 24) | (flags & 0xffffff)), ...payload);
}

/** 1.0 as 16.16 and the identity transform matrix, as every muxer writes them. */
const MATRIX = Buffer.concat([0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000].map(u32));

/** creation, modification (same), timescale, duration: v0 with 32-bit times, v1 after 2040-02-06. */
function times(secs1904: number, duration: number): { version: number; bytes: Buffer } {
  if (secs1904 <= 0xffffffff) {
    return { version: 0, bytes: Buffer.concat([u32(secs1904), u32(secs1904), u32(TIMESCALE), u32(duration)]) };
  }
  return { version: 1, bytes: Buffer.concat([u64(secs1904), u64(secs1904), u32(TIMESCALE), u64(duration)]) };
}

function mvhd(secs: number, duration: number): Buffer {
  const t = times(secs, duration);
  return fullBox('mvhd', t.version, 0, t.bytes, u32(0x10000), u16(0x100), Buffer.alloc(10), MATRIX, Buffer.alloc(24), u32(2));
}

function tkhd(secs: number, duration: number, width: number, height: number): Buffer {
  const v1 = secs > 0xffffffff;
  const head = v1
    ? Buffer.concat([u64(secs), u64(secs), u32(1), u32(0), u64(duration)])
    : Buffer.concat([u32(secs), u32(secs), u32(1), u32(0), u32(duration)]);
  // flags 3: track enabled and used in the movie; volume 0 for video
  return fullBox('tkhd', v1 ? 1 : 0, 3, head, Buffer.alloc(8), u16(0), u16(0), u16(0), u16(0), MATRIX,
    u32(width * 0x10000), u32(height * 0x10000));
}

function mp4vEntry(width: number, height: number): Buffer {
  const dcd = Buffer.concat([u8(0x04, 13, 0x6c, 0x11), u8(0, 0, 0), u32(0), u32(0)]); // MJPEG, visual stream
  const es = Buffer.concat([u8(0x03, 3 + dcd.length + 3), u16(1), u8(0), dcd, u8(0x06, 1, 0x02)]);
  const name = Buffer.alloc(32);
  return box('mp4v', Buffer.alloc(6), u16(1), Buffer.alloc(16), u16(width), u16(height),
    u32(0x480000), u32(0x480000), u32(0), u16(1), name, u16(0x18), u16(0xffff), fullBox('esds', 0, 0, es));
}

function trak(secs: number, durationMs: number, width: number, height: number, sizes: readonly number[], chunkOffset: number): Buffer {
  const deltas = sizes.map((_, i) => (i < sizes.length - 1 ? 1000 : durationMs - 1000 * i));
  const stts = deltas.length > 1
    ? [u32(2), u32(deltas.length - 1), u32(1000), u32(1), u32(deltas[deltas.length - 1] ?? 0)]
    : [u32(1), u32(1), u32(deltas[0] ?? 0)];
  const mt = times(secs, durationMs);
  const stbl = box('stbl',
    fullBox('stsd', 0, 0, u32(1), mp4vEntry(width, height)),
    fullBox('stts', 0, 0, ...stts),
    fullBox('stsc', 0, 0, u32(1), u32(1), u32(sizes.length), u32(1)),
    fullBox('stsz', 0, 0, u32(0), u32(sizes.length), ...sizes.map(u32)),
    fullBox('stco', 0, 0, u32(1), u32(chunkOffset)));
  const minf = box('minf',
    fullBox('vmhd', 0, 1, Buffer.alloc(8)),
    box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1))),
    stbl);
  return box('trak', tkhd(secs, durationMs, width, height), box('mdia',
    fullBox('mdhd', mt.version, 0, mt.bytes, u16(0x55c4), u16(0)), // language 'und'
    fullBox('hdlr', 0, 0, u32(0), Buffer.from('vide', 'latin1'), Buffer.alloc(12), Buffer.from('VideoHandler\0', 'latin1')),
    minf));
}

/**
 * An MP4 whose mvhd creation_time is spec.creationTime (whole seconds, UTC). One MJPEG frame per
 * started second of durationMs (default 3000), each a JPEG of width x height (default 320x240).
 * Throws RangeError for times before 1904 or an invalid Date.
 * moovAtEnd lays out ftyp, free, mdat, moov as ffmpeg does by default; otherwise ftyp, moov, mdat.
 */
export function makeMp4(spec: { creationTime: Date; seed: number; durationMs?: number; moovAtEnd?: boolean; width?: number; height?: number }): Buffer {
  const width = spec.width ?? 320;
  const height = spec.height ?? 240;
  const durationMs = Math.max(1, Math.round(spec.durationMs ?? 3000));
  const secs = Math.floor(spec.creationTime.getTime() / 1000) + EPOCH_1904_S;
  if (!Number.isSafeInteger(secs) || secs <= 0) throw new RangeError(`creationTime must be after 1904-01-01: ${String(spec.creationTime)}`);
  // At most 4 distinct frames, cycled: file size still grows with duration, CPU cost does not.
  const count = Math.ceil(durationMs / 1000);
  const distinct = Array.from({ length: Math.min(count, 4) }, (_, i) =>
    makeScaledJpeg({ width, height, seed: (spec.seed + i * 0x9e3779b1) >>> 0 }, width, height));
  const frames = Array.from({ length: count }, (_, i) => distinct[i % distinct.length] ?? Buffer.alloc(0));
  const sizes = frames.map((f) => f.length);
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(512), Buffer.from('isomiso2mp41', 'latin1'));
  const mdat = box('mdat', ...frames);
  const moov = (chunkOffset: number): Buffer =>
    box('moov', mvhd(secs, durationMs), trak(secs, durationMs, width, height, sizes, chunkOffset));
  if (spec.moovAtEnd) {
    const free = box('free');
    return Buffer.concat([ftyp, free, mdat, moov(ftyp.length + free.length + 8)]);
  }
  const moovLength = moov(0).length; // its size does not depend on the offset it records
  return Buffer.concat([ftyp, moov(ftyp.length + moovLength + 8), mdat]);
}
