// Capture time of MP4/MOV files from moov/mvhd creation_time. The walk is written once as a
// generator of read requests, driven either by a buffer or by positional file reads, because
// moov is often at the end of the file (ffmpeg's default) and files are large.
import { open } from 'node:fs/promises';

const EPOCH_1904_S = 2_082_844_800; // seconds from 1904-01-01Z to 1970-01-01Z
const MAX_BOXES = 10_000; // a real file has a handful of top-level boxes

interface ReadRequest { readonly at: number; readonly len: number }
type Walk = Generator<ReadRequest, Date | undefined, Uint8Array>;

interface BoxHeader { readonly type: string; readonly size: number; readonly headerLen: number }

function header(h: Uint8Array, at: number, end: number): BoxHeader | undefined {
  if (h.length < 8) return undefined;
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  for (let i = 4; i < 8; i++) {
    const c = h[i] ?? 0;
    if (c < 0x20 || c > 0x7e) return undefined; // box types are printable: anything else is not MP4
  }
  const type = String.fromCharCode(...h.subarray(4, 8));
  const size32 = v.getUint32(0);
  if (size32 === 1) {
    if (h.length < 16) return undefined;
    const size = Number(v.getBigUint64(8));
    return Number.isSafeInteger(size) && size >= 16 ? { type, size, headerLen: 16 } : undefined;
  }
  const size = size32 === 0 ? end - at : size32; // 0: the box runs to the end of the file
  return size >= 8 ? { type, size, headerLen: 8 } : undefined;
}

function toDate(secs1904: number): Date | undefined {
  if (secs1904 === 0) return undefined; // muxers write 0 when they do not know the time
  const ms = (secs1904 - EPOCH_1904_S) * 1000;
  return Math.abs(ms) <= 8.64e15 ? new Date(ms) : undefined;
}

function* findMvhd(from: number, to: number): Walk {
  for (let at = from, n = 0; at + 8 <= to && n < MAX_BOXES; n++) {
    const h = header(yield { at, len: 16 }, at, to);
    if (!h) return undefined;
    if (h.type === 'mvhd') {
      const body = yield { at: at + h.headerLen, len: 12 };
      const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
      if (body[0] === 0 && body.length >= 8) return toDate(v.getUint32(4));
      if (body[0] === 1 && body.length >= 12) return toDate(Number(v.getBigUint64(4)));
      return undefined;
    }
    at += h.size;
  }
  return undefined;
}

function* walk(fileSize: number): Walk {
  for (let at = 0, n = 0; at + 8 <= fileSize && n < MAX_BOXES; n++) {
    const h = header(yield { at, len: 16 }, at, fileSize);
    if (!h) return undefined;
    if (h.type === 'moov') return yield* findMvhd(at + h.headerLen, Math.min(at + h.size, fileSize));
    at += h.size;
  }
  return undefined;
}

/** creation_time of moov/mvhd (v0 or v1) as a UTC Date; undefined when absent, zero or not MP4. */
export function readMp4CreationTimeFromBuffer(buf: Uint8Array): Date | undefined {
  const g = walk(buf.length);
  for (let r = g.next(); ; ) {
    if (r.done) return r.value;
    r = g.next(buf.subarray(r.value.at, r.value.at + r.value.len));
  }
}

/** Reads `length` bytes at `position` (fewer at end of file). */
export type ReadAt = (position: number, length: number) => Promise<Uint8Array>;

/** The same walk over any positional reader of a `size`-byte file (one small read per box visited). */
export async function readMp4CreationTimeWith(readAt: ReadAt, size: number): Promise<Date | undefined> {
  const g = walk(size);
  for (let r = g.next(); ; ) {
    if (r.done) return r.value;
    r = g.next(await readAt(r.value.at, r.value.len));
  }
}

/** creation_time of an MP4/MOV file on disk, via a few 16-byte positional reads. I/O errors reject. */
export async function readMp4CreationTime(path: string): Promise<Date | undefined> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    return await readMp4CreationTimeWith(async (position, length) => {
      const b = Buffer.alloc(length);
      const { bytesRead } = await fh.read(b, 0, length, position);
      return b.subarray(0, bytesRead);
    }, size);
  } finally {
    await fh.close();
  }
}
