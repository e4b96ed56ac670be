// What a file is by its first bytes, for media that reached the export without an extension. Pure.

/** How many leading bytes the inputs read from an entry that has no media extension. */
export const SNIFF_BYTES = 16;

const ascii = (h: Uint8Array, from: number, to: number): string => String.fromCharCode(...h.subarray(from, to));

/** The media type the bytes announce, or undefined when they are not a photo or video gphotos knows. */
export function sniffMedia(head: Uint8Array): string | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && ascii(head, 1, 4) === 'PNG' && head[0] === 0x89 && head[4] === 0x0d && head[5] === 0x0a) return 'image/png';
  if (head.length >= 6 && (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')) return 'image/gif';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    // ISO base media: the major brand tells a HEIF still from an MP4 or QuickTime movie.
    const brand = ascii(head, 8, 12);
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'image/heic';
    if (brand === 'avif' || brand === 'avis') return 'image/avif';
    if (brand === 'qt  ') return 'video/quicktime';
    return 'video/mp4';
  }
  // Older QuickTime files start with a 'moov', 'mdat', 'wide' or 'free' atom instead of 'ftyp'.
  if (head.length >= 8 && ['moov', 'mdat', 'wide', 'free', 'skip'].includes(ascii(head, 4, 8))) return 'video/quicktime';
  return undefined;
}
