// Capture time (and pixel size) of photos from EXIF, parsed by exifreader from a file's prefix.
import { open } from 'node:fs/promises';
import type ExifReader from 'exifreader';

export interface ExifTime {
  dateTimeOriginal: string; // 'YYYY:MM:DD HH:MM:SS', local time of the camera
  offset?: string; // '+09:00', when the camera recorded its UTC offset
  width?: number;
  height?: number;
}

/** EXIF, including HEIC's, sits near the start; 128 KiB covers real files (deps.md §3). */
export const EXIF_PREFIX_BYTES = 128 * 1024;

const DATE_TIME = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const OFFSET = /^[+-](\d{2}):(\d{2})$/;

/** Cameras without a clock write zeros or blanks; such a value is no capture time. */
function usableDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const [, y, mo, d, h, mi, se] = m.map(Number);
  return y !== undefined && y >= 1800 && mo !== undefined && mo >= 1 && mo <= 12 && d !== undefined && d >= 1 && d <= 31
    && h !== undefined && h <= 23 && mi !== undefined && mi <= 59 && se !== undefined && se <= 60;
}

function text(tag: { description?: unknown } | undefined): string | undefined {
  const d = tag?.description;
  // Some writers pad ASCII values with NULs or spaces.
  return typeof d === 'string' ? d.replace(/[\0\s]+$/, '') : undefined;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/**
 * A JPEG's segments before its scan data (APPn with EXIF, SOF with the pixel size) and the scan's marker: all that
 * the EXIF reader looks at (exifreader copies the whole buffer it is given). Other formats, and a JPEG whose
 * segments leave the head, come back whole.
 */
export function metadataPrefix(head: Buffer): Buffer {
  if (head.length < 4 || head[0] !== 0xff || head[1] !== 0xd8) return head;
  let at = 2;
  while (at + 4 <= head.length) {
    if (head[at] !== 0xff) return head;
    const marker = head[at + 1] ?? 0;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xda) return head.subarray(0, Math.min(head.length, at + 2 + head.readUInt16BE(at + 2)));
    if (marker === 0xd9) return head.subarray(0, at + 2);
    at += 2 + head.readUInt16BE(at + 2);
  }
  return head;
}

// Loaded at the first photo read, not with the module: a run that downloads nothing (a no-op sync) never needs it.
let exifReader: Promise<typeof ExifReader> | undefined;
const loadExifReader = (): Promise<typeof ExifReader> => (exifReader ??= import('exifreader').then((m) => m.default));

/** Parses a prefix of a JPEG/HEIC/PNG/... file. Never rejects: garbage, truncation and unsupported formats give undefined. */
export async function readExifTime(head: Uint8Array): Promise<ExifTime | undefined> {
  const reader = await loadExifReader();
  let tags: ExifReader.ExpandedTags;
  try {
    const buf = metadataPrefix(Buffer.from(head.buffer, head.byteOffset, head.byteLength));
    tags = reader.load(buf, { expanded: true, excludeTags: { xmp: true, icc: true, mpf: true } });
  } catch {
    return undefined; // exifreader throws on unknown formats (MP4, random bytes)
  }
  const dateTimeOriginal = text(tags.exif?.DateTimeOriginal);
  if (dateTimeOriginal === undefined || !usableDateTime(dateTimeOriginal)) return undefined;
  const offset = text(tags.exif?.OffsetTimeOriginal);
  // The real pixel size from SOF/IHDR beats PixelX/YDimension, which editors often leave stale.
  const width = positive(tags.file?.['Image Width']?.value) ?? positive(tags.pngFile?.['Image Width']?.value)
    ?? positive(tags.exif?.PixelXDimension?.value);
  const height = positive(tags.file?.['Image Height']?.value) ?? positive(tags.pngFile?.['Image Height']?.value)
    ?? positive(tags.exif?.PixelYDimension?.value);
  return {
    dateTimeOriginal,
    ...(offset !== undefined && OFFSET.test(offset) ? { offset } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
  };
}

/** readExifTime on the first 128 KiB of a file (one read). I/O errors (e.g. ENOENT) reject. */
export async function readExifTimeFromFile(path: string): Promise<ExifTime | undefined> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(EXIF_PREFIX_BYTES);
    const { bytesRead } = await fh.read(buf, 0, EXIF_PREFIX_BYTES, 0);
    return readExifTime(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
