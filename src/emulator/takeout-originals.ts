// The bytes Takeout gives: the ORIGINALS, as the camera wrote them. The byte host serves derivatives of the
// same items (media-store.ts): `=d` is this photo minus its GPS IFD, `=dv` a transcode of this video.
import type { LibraryItem } from './library-data.js';
import { jpegSpec } from './media-store.js';
import { makeJpeg } from './media/jpeg.js';
import { makeMp4 } from './media/mp4.js';

/** The camera's ftyp: major brand 'mp42', minor 0, compatible 'isommp42mp41' (the transcode says 'isom'/512/'isomiso2mp41'). */
const CAMERA_FTYP = Buffer.concat([Buffer.from('mp42', 'latin1'), Buffer.alloc(4), Buffer.from('isommp42mp41', 'latin1')]);

/**
 * Photo: the JPEG with every EXIF tag the camera wrote, GPS included (identical to `=d` when it has no GPS).
 * Video: the camera's MP4: same frames, pixel size, duration and mvhd creation time as `=dv`, but laid out as
 * phones record (moov after mdat) under the camera's own ftyp brand, so its bytes always differ from `=dv`.
 */
export function originalBytes(item: LibraryItem): Buffer {
  if (item.kind === 'photo') return makeJpeg(jpegSpec(item));
  const spec: Parameters<typeof makeMp4>[0] = { creationTime: new Date(item.creationTime), seed: item.mediaSeed, width: item.width, height: item.height, moovAtEnd: true };
  if (item.durationMs !== undefined) spec.durationMs = item.durationMs;
  const mp4 = makeMp4(spec);
  // ftyp is the first box: size(4) 'ftyp'(4) then the 20 bytes replaced here; every offset after it is unchanged.
  if (mp4.toString('latin1', 4, 8) !== 'ftyp' || mp4.readUInt32BE(0) !== 8 + CAMERA_FTYP.length) throw new Error('makeMp4 changed its ftyp layout');
  CAMERA_FTYP.copy(mp4, 8);
  return mp4;
}
