// The Library API's JSON exactly as Google sends it (reference/google-photos-api.md §1.2–1.5).
// Everything is optional: "some of these fields may be null or not included"; to-remote-item.ts validates.

export interface WireMediaItem {
  id?: string;
  description?: string;
  productUrl?: string;
  /** Valid for 60 minutes; never used as-is (append '=d' / '=dv'). */
  baseUrl?: string;
  mimeType?: string;
  filename?: string;
  mediaMetadata?: WireMediaMetadata;
}

export interface WireMediaMetadata {
  /** RFC 3339 capture time. */
  creationTime?: string;
  /** int64 as a JSON string. */
  width?: string;
  height?: string;
  photo?: {
    cameraMake?: string;
    cameraModel?: string;
    focalLength?: number;
    apertureFNumber?: number;
    isoEquivalent?: number;
    exposureTime?: string;
  };
  video?: {
    cameraMake?: string;
    cameraModel?: string;
    fps?: number;
    status?: string;
  };
}

/** mediaItems.list and mediaItems:search. */
export interface WireMediaItemsPage {
  mediaItems?: WireMediaItem[];
  /** Its presence is the only reliable sign of another page. */
  nextPageToken?: string;
}

export interface WireStatus {
  code?: number;
  message?: string;
  details?: unknown[];
}

/** mediaItems:batchGet: results in the order of the requested ids. */
export interface WireBatchGetResponse {
  mediaItemResults?: { mediaItem?: WireMediaItem; status?: WireStatus }[];
}

export interface WireSearchRequest {
  pageSize: number;
  pageToken?: string;
  filters?: object;
}
