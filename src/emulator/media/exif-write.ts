// Minimal TIFF/EXIF serialiser and re-reader: enough to write IFD0, the Exif IFD and the GPS IFD,
// and to rebuild them (minus GPS) the way Google's `=d` download does.

export type ByteOrder = 'MM' | 'II';

/** One IFD entry; `data` holds the value bytes already in the TIFF's byte order. */
export interface IfdEntry {
  readonly tag: number;
  readonly type: number;
  readonly count: number;
  readonly data: Uint8Array;
}

export interface TiffIfds {
  readonly order: ByteOrder;
  readonly ifd0: readonly IfdEntry[];
  readonly exif?: readonly IfdEntry[];
  readonly gps?: readonly IfdEntry[];
}

export const TAG_EXIF_IFD = 0x8769;
export const TAG_GPS_IFD = 0x8825;
const TAG_INTEROP_IFD = 0xa005;
const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };
export const T = { BYTE: 1, ASCII: 2, SHORT: 3, LONG: 4, RATIONAL: 5, UNDEFINED: 7 } as const;

/** Builders for entry values in a given byte order. */
export function entries(order: ByteOrder) {
  const le = order === 'II';
  const u32 = (values: readonly number[]): Uint8Array => {
    const b = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => (le ? b.writeUInt32LE(v >>> 0, i * 4) : b.writeUInt32BE(v >>> 0, i * 4)));
    return b;
  };
  return {
    ascii: (tag: number, s: string): IfdEntry => {
      const data = Buffer.from(`${s}\0`, 'latin1');
      return { tag, type: T.ASCII, count: data.length, data };
    },
    short: (tag: number, v: number): IfdEntry => {
      const data = Buffer.alloc(2);
      if (le) data.writeUInt16LE(v);
      else data.writeUInt16BE(v);
      return { tag, type: T.SHORT, count: 1, data };
    },
    long: (tag: number, v: number): IfdEntry => ({ tag, type: T.LONG, count: 1, data: u32([v]) }),
    rationals: (tag: number, r: readonly (readonly [number, number])[]): IfdEntry =>
      ({ tag, type: T.RATIONAL, count: r.length, data: u32(r.flat()) }),
    /** BYTE or UNDEFINED values (one byte per item). */
    bytes: (tag: number, type: typeof T.BYTE | typeof T.UNDEFINED, data: Uint8Array): IfdEntry => ({ tag, type, count: data.length, data }),
  };
}

function ifdSize(list: readonly IfdEntry[]): number {
  let size = 2 + 12 * list.length + 4;
  for (const e of list) if (e.data.length > 4) size += e.data.length + (e.data.length & 1);
  return size;
}

/** Serialises IFD0 (+ Exif and GPS IFDs, linked by pointer tags it adds itself) as a TIFF stream. */
export function writeTiff(t: TiffIfds): Buffer {
  const le = t.order === 'II';
  const e = entries(t.order);
  const base = t.ifd0.filter((x) => x.tag !== TAG_EXIF_IFD && x.tag !== TAG_GPS_IFD);
  const pointerTags = [t.exif ? TAG_EXIF_IFD : -1, t.gps ? TAG_GPS_IFD : -1].filter((x) => x >= 0);
  // Sizes do not depend on pointer values, so lay out with placeholders first.
  const withPointers = (offsets: Map<number, number>): IfdEntry[] =>
    [...base, ...pointerTags.map((tag) => e.long(tag, offsets.get(tag) ?? 0))].sort((a, b) => a.tag - b.tag);
  const exifList = [...(t.exif ?? [])].sort((a, b) => a.tag - b.tag);
  const gpsList = [...(t.gps ?? [])].sort((a, b) => a.tag - b.tag);
  const ifd0Start = 8;
  const exifStart = ifd0Start + ifdSize(withPointers(new Map()));
  const gpsStart = exifStart + (t.exif ? ifdSize(exifList) : 0);
  const ifd0 = withPointers(new Map([[TAG_EXIF_IFD, exifStart], [TAG_GPS_IFD, gpsStart]]));
  const blocks: [number, IfdEntry[]][] = [[ifd0Start, ifd0]];
  if (t.exif) blocks.push([exifStart, exifList]);
  if (t.gps) blocks.push([gpsStart, gpsList]);
  const last = blocks[blocks.length - 1];
  const out = Buffer.alloc(last ? last[0] + ifdSize(last[1]) : 8);
  const w16 = (v: number, at: number): number => (le ? out.writeUInt16LE(v, at) : out.writeUInt16BE(v, at));
  const w32 = (v: number, at: number): number => (le ? out.writeUInt32LE(v, at) : out.writeUInt32BE(v, at));
  out.write(t.order, 0, 'latin1');
  w16(42, 2);
  w32(ifd0Start, 4);
  for (const [start, list] of blocks) {
    w16(list.length, start);
    let data = start + 2 + 12 * list.length + 4; // next-IFD offset stays 0: no IFD1 thumbnail
    list.forEach((entry, i) => {
      const at = start + 2 + 12 * i;
      w16(entry.tag, at);
      w16(entry.type, at + 2);
      w32(entry.count, at + 4);
      if (entry.data.length <= 4) {
        out.set(entry.data, at + 8);
      } else {
        w32(data, at + 8);
        out.set(entry.data, data);
        data += entry.data.length + (entry.data.length & 1);
      }
    });
  }
  return out;
}

/**
 * Reads IFD0, the Exif IFD and the GPS IFD back into entries (pointer tags and the Interop
 * sub-IFD are dropped; IFD1 is ignored). Undefined when the stream is not a readable TIFF.
 */
export function readTiff(tiff: Uint8Array): TiffIfds | undefined {
  const v = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  if (tiff.length < 8) return undefined;
  const mark = String.fromCharCode(tiff[0] ?? 0, tiff[1] ?? 0);
  if (mark !== 'MM' && mark !== 'II') return undefined;
  const le = mark === 'II';
  try {
    const u16 = (at: number): number => v.getUint16(at, le);
    const u32 = (at: number): number => v.getUint32(at, le);
    const readIfd = (at: number): { list: IfdEntry[]; ptr: Map<number, number> } => {
      const n = u16(at);
      const list: IfdEntry[] = [];
      const ptr = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const p = at + 2 + 12 * i;
        const tag = u16(p);
        const type = u16(p + 2);
        const count = u32(p + 4);
        const size = (TYPE_SIZE[type] ?? 0) * count;
        if (tag === TAG_EXIF_IFD || tag === TAG_GPS_IFD || tag === TAG_INTEROP_IFD) {
          ptr.set(tag, u32(p + 8));
          continue;
        }
        if (size === 0) continue;
        const from = size <= 4 ? p + 8 : u32(p + 8);
        if (from + size > tiff.length) throw new RangeError('entry beyond TIFF');
        list.push({ tag, type, count, data: tiff.slice(from, from + size) });
      }
      return { list, ptr };
    };
    const ifd0 = readIfd(u32(4));
    const exifAt = ifd0.ptr.get(TAG_EXIF_IFD);
    const gpsAt = ifd0.ptr.get(TAG_GPS_IFD);
    return {
      order: mark,
      ifd0: ifd0.list,
      ...(exifAt !== undefined ? { exif: readIfd(exifAt).list } : {}),
      ...(gpsAt !== undefined ? { gps: readIfd(gpsAt).list } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Wraps a TIFF stream as a JPEG APP1 Exif segment (marker, length, "Exif\0\0", TIFF). */
export function exifApp1(tiff: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(0xffe1, 0);
  head.writeUInt16BE(tiff.length + 8, 2);
  head.write('Exif\0\0', 4, 'latin1');
  if (tiff.length + 8 > 0xffff) throw new RangeError('EXIF too large for one APP1 segment');
  return Buffer.concat([head, tiff]);
}
