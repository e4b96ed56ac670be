// Bytes of every item, generated on demand from its seed and kept in a small LRU: generation is
// deterministic, so evicting only costs time, never changes what is served.
import type { LibraryItem } from './library-data.js';
import type { JpegSpec } from './media/jpeg.js';
import { makeJpeg, makeScaledJpeg, stripGps } from './media/jpeg.js';
import { makeMp4 } from './media/mp4.js';

/** What a baseUrl suffix asks for, already parsed. */
export type Variant =
  | { kind: 'download' } // =d: photo without GPS, or a video's thumbnail
  | { kind: 'video' } // =dv
  | { kind: 'scaled'; w: number; h: number; crop: boolean; keepExif: boolean };

const CACHE_LIMIT_BYTES = 64 * 1024 * 1024;

export class MediaStore {
  private readonly cache = new Map<string, Buffer>();
  private cached = 0;

  /** The exact bytes `=d` (photo) or `=dv` (video) serves. */
  original(item: LibraryItem): Buffer {
    return item.kind === 'video' ? this.video(item) : this.bytes(item, { kind: 'download' });
  }

  bytes(item: LibraryItem, variant: Variant): Buffer {
    const key = `${item.id}:${item.mediaSeed}:${JSON.stringify(variant)}`;
    const hit = this.cache.get(key);
    if (hit) {
      // Re-insert to mark as most recently used.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const made = this.generate(item, variant);
    this.cache.set(key, made);
    this.cached += made.length;
    for (const [oldKey, old] of this.cache) {
      if (this.cached <= CACHE_LIMIT_BYTES) break;
      this.cache.delete(oldKey);
      this.cached -= old.length;
    }
    return made;
  }

  private video(item: LibraryItem): Buffer {
    return this.bytes(item, { kind: 'video' });
  }

  private generate(item: LibraryItem, variant: Variant): Buffer {
    switch (variant.kind) {
      case 'video': {
        const spec: Parameters<typeof makeMp4>[0] = { creationTime: new Date(item.creationTime), seed: item.mediaSeed, width: item.width, height: item.height };
        if (item.durationMs !== undefined) spec.durationMs = item.durationMs;
        if (item.moovAtEnd) spec.moovAtEnd = true;
        return makeMp4(spec);
      }
      case 'download':
        // A video's =d is its thumbnail: a plain JPEG without capture metadata.
        return item.kind === 'video' ? makeJpeg(thumbSpec(item)) : stripGps(makeJpeg(jpegSpec(item)));
      case 'scaled': {
        const plain = thumbSpec(item);
        const img = variant.crop
          ? // Crop means exactly W×H (never larger than the original).
            makeJpeg({ ...plain, width: Math.min(variant.w, item.width), height: Math.min(variant.h, item.height) })
          : makeScaledJpeg(plain, variant.w, variant.h);
        // `-d` keeps the photo's EXIF minus location, as `=d` does.
        return variant.keepExif && item.kind === 'photo' ? withExifOf(img, this.bytes(item, { kind: 'download' })) : img;
      }
    }
  }
}

/** `target` with its APP0/APP1 headers replaced by the Exif APP1 segment of `source`. */
function withExifOf(target: Buffer, source: Buffer): Buffer {
  const exif = appSegments(source).find(([marker, start]) => marker === 0xe1 && source.toString('latin1', start + 4, start + 10) === 'Exif\0\0');
  if (!exif) return target;
  const skip = appSegments(target).filter(([marker]) => marker === 0xe0 || marker === 0xe1);
  const bodyStart = skip.reduce((at, [, , end]) => Math.max(at, end), 2);
  return Buffer.concat([target.subarray(0, 2), source.subarray(exif[1], exif[2]), target.subarray(bodyStart)]);
}

/** Leading APPn segments of a JPEG as [marker, start, end). */
function appSegments(jpeg: Buffer): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1] ?? 0;
    if (marker < 0xe0 || marker > 0xef) break;
    const end = at + 2 + jpeg.readUInt16BE(at + 2);
    out.push([marker, at, end]);
    at = end;
  }
  return out;
}

/** The photo as the camera wrote it (EXIF date, offset, GPS, camera). */
export function jpegSpec(item: LibraryItem): JpegSpec {
  const spec: JpegSpec = { width: item.width, height: item.height, seed: item.mediaSeed };
  if (item.exifDateTimeOriginal !== undefined) spec.dateTimeOriginal = item.exifDateTimeOriginal;
  if (item.exifOffset !== undefined) spec.offsetTimeOriginal = item.exifOffset;
  if (item.gps) spec.gps = item.gps;
  if (item.cameraMake !== undefined) spec.make = item.cameraMake;
  if (item.cameraModel !== undefined) spec.model = item.cameraModel;
  return spec;
}

/** Same pixels, no metadata: what Google serves for thumbnails and scaled views. */
function thumbSpec(item: LibraryItem): JpegSpec {
  return { width: item.width, height: item.height, seed: item.mediaSeed };
}
