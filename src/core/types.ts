// Domain types shared by every layer. Wire formats (Google's JSON) never reach here:
// sources/* and google/* translate them into these.

export type SourceName = 'library' | 'picker' | 'takeout';

/** One source's identity for an item. The three id spaces differ, so an item may carry several. */
export interface SourceRef {
  source: SourceName;
  id: string;
}

export type MediaKind = 'photo' | 'video';

export type VideoStatus = 'READY' | 'PROCESSING' | 'FAILED' | 'UNSPECIFIED';

/** An item as a source lists it. */
export interface RemoteItem {
  ref: SourceRef;
  /** The original filename as Google shows it; untrusted (may hold '/', '..', control characters). */
  filename: string;
  mimeType: string;
  kind: MediaKind;
  /** Capture time, RFC 3339 in UTC ('2019-03-09T12:42:00Z'). */
  creationTime: string;
  width?: number;
  height?: number;
  /** Videos only: bytes are available only when READY. */
  videoStatus?: VideoStatus;
  description?: string;
  /**
   * Where creationTime came from. 'api' (the default): Google's API, and a photo's own EXIF places it. 'sidecar':
   * Takeout's photoTakenTime (it holds the user's corrections), placed with the EXIF offset. 'filename' and 'none':
   * a guess from the name or the file's mtime, which the bytes' own EXIF or mvhd time replaces; with 'none' and no
   * such time the item goes to unknown-date/.
   */
  dating?: 'api' | 'sidecar' | 'filename' | 'none';
  /** What the source knows beyond the API fields (Takeout sidecars and album folders). */
  meta?: ItemMeta;
}

/** What a Takeout sidecar and its album folders say about an item (absent when unknown or empty). */
export interface ItemMeta {
  /** The user's caption. */
  description?: string;
  /** Where it was taken (Google's, possibly user-corrected, location). */
  gps?: { latitude: number; longitude: number; altitude?: number };
  favorite?: boolean;
  archived?: boolean;
  /** Titles of the albums holding it. */
  albums?: string[];
  /** Names of the people tagged in it. */
  people?: string[];
  /** An edited version ('-edited', '-bearbeitet'…) names its original by reference ('takeout:<id>'). */
  editOf?: string;
}

export type Quality = 'api-copy' | 'original';

/** What the manifest remembers about one archived item. Paths are relative to the archive root, '/'-separated. */
export interface ManifestItem extends ItemMeta {
  /** Stable key of the item in the manifest: `${source}:${id}` of the reference it was first archived from. */
  key: string;
  refs: SourceRef[];
  path: string;
  size: number;
  sha256: string;
  /** Capture time in UTC, RFC 3339. */
  captureTime: string;
  /** Wall-clock capture time used for placement ('YYYY-MM-DDTHH:mm:ss'), and where it came from. */
  localTime: string;
  timeSource: 'exif' | 'api';
  mimeType: string;
  /** The original filename (untrusted, as listed). */
  filename: string;
  width?: number;
  height?: number;
  quality: Quality;
  /** When the bytes were fetched, RFC 3339. */
  fetchedAt: string;
  /** True when the file's mtime was set to the capture time. */
  mtimeStamped: boolean;
  /** Set by an upgrade: the API copy it replaced, so a copy still on disk after a crash is recognised as ours. */
  replaced?: { size: number; sha256: string };
}

/** What the disk says about a manifest path (from a stat). */
export interface LocalFile {
  path: string;
  size: number;
  /** mtime in milliseconds since the epoch. */
  mtimeMs: number;
}

export function refKey(ref: SourceRef): string {
  return `${ref.source}:${ref.id}`;
}
