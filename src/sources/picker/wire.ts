// The Picker API's JSON as Google sends it (reference/google-photos-api.md §2.2–2.4). Everything optional:
// to-remote-item.ts validates. Unlike the Library API, width/height are integers (accept strings too).

export interface WirePickingSession {
  id?: string;
  pickerUri?: string;
  /** Present only while mediaItemsSet is false. Durations like "5s", "3.5s". */
  pollingConfig?: { pollInterval?: string; timeoutIn?: string };
  expireTime?: string;
  /** int64 as a JSON string. */
  pickingConfig?: { maxItemCount?: string };
  mediaItemsSet?: boolean;
}

export interface WirePickedMediaItem {
  id?: string;
  /** Capture time (not upload time), RFC 3339. */
  createTime?: string;
  type?: string;
  mediaFile?: {
    /** Valid for 60 minutes; needs the bearer token; append '=d' / '=dv'. */
    baseUrl?: string;
    mimeType?: string;
    filename?: string;
    mediaFileMetadata?: {
      width?: number | string;
      height?: number | string;
      cameraMake?: string;
      cameraModel?: string;
      photoMetadata?: object;
      videoMetadata?: { fps?: number; processingStatus?: string };
    };
  };
}

export interface WirePickedPage {
  mediaItems?: WirePickedMediaItem[];
  nextPageToken?: string;
}
