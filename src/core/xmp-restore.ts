// rebuild: the manifest entry of a file from what the disk says (path, size, hash, mtime) and what its sidecar
// says (everything else). Pure.
import { MTIME_WINDOW_MS } from './compare.js';
import type { ManifestItem } from './types.js';
import type { XmpFields } from './xmp.js';

/**
 * `fromDisk` is the entry rebuild makes without a sidecar; the sidecar's fields replace its guesses. A sidecar
 * applies only to the bytes it describes (same SHA-256) and only when it names the item (key, refs, quality).
 */
export function restoreFromSidecar(fromDisk: ManifestItem, mtimeMs: number, f: XmpFields): { item: ManifestItem } | { why: string } {
  if (f.sha256 !== fromDisk.sha256) {
    return { why: f.sha256 === undefined ? 'its sidecar holds no gphotos:Sha256' : 'its sidecar describes other bytes (the SHA-256 differs)' };
  }
  if (f.key === undefined || f.key === '' || f.refs === undefined || f.quality === undefined) {
    return { why: 'its sidecar lacks gphotos:Key, gphotos:Refs or gphotos:Quality' };
  }
  const captureTime = f.captureTime ?? fromDisk.captureTime;
  const item: ManifestItem = {
    key: f.key,
    refs: f.refs,
    path: fromDisk.path,
    size: fromDisk.size,
    sha256: fromDisk.sha256,
    captureTime,
    localTime: f.localTime ?? fromDisk.localTime,
    timeSource: f.timeSource ?? fromDisk.timeSource,
    mimeType: f.mimeType ?? fromDisk.mimeType,
    filename: f.filename ?? fromDisk.filename,
    // The sidecar is authoritative for the pixel size: it holds the manifest's (from Google), or none.
    ...(f.width !== undefined && f.height !== undefined ? { width: f.width, height: f.height } : {}),
    quality: f.quality,
    fetchedAt: f.fetchedAt ?? fromDisk.fetchedAt,
    mtimeStamped: Math.abs(mtimeMs - Date.parse(captureTime)) <= MTIME_WINDOW_MS,
    ...(f.description === undefined ? {} : { description: f.description }),
    ...(f.gps === undefined ? {} : { gps: f.gps }),
    ...(f.favorite === undefined ? {} : { favorite: f.favorite }),
    ...(f.archived === undefined ? {} : { archived: f.archived }),
    ...(f.albums === undefined ? {} : { albums: f.albums }),
    ...(f.people === undefined ? {} : { people: f.people }),
    ...(f.editOf === undefined ? {} : { editOf: f.editOf }),
  };
  return { item };
}
