// Wire → domain for one Library media item. Bad items are skipped and reported, never fatal: one odd
// item must not stop a whole library listing.
import type { MediaKind, RemoteItem, VideoStatus } from '../../core/types.js';
import type { WireMediaItem } from './wire.js';

export interface InvalidItem {
  id?: string;
  reason: string;
}

const VIDEO_STATUSES: ReadonlySet<string> = new Set<VideoStatus>(['READY', 'PROCESSING', 'FAILED', 'UNSPECIFIED']);

/** The domain item, or undefined (after calling `onInvalid`) when a required field is missing. */
export function toRemoteItem(wire: WireMediaItem, onInvalid?: (info: InvalidItem) => void): RemoteItem | undefined {
  const reject = (reason: string): undefined => {
    onInvalid?.(typeof wire.id === 'string' && wire.id !== '' ? { id: wire.id, reason } : { reason });
    return undefined;
  };
  if (typeof wire.id !== 'string' || wire.id === '') return reject('missing id');
  if (typeof wire.filename !== 'string' || wire.filename === '') return reject('missing filename');
  const meta = wire.mediaMetadata ?? {};
  const creationTime = toUtcRfc3339(meta.creationTime);
  if (creationTime === undefined) return reject(`missing or invalid creationTime ${JSON.stringify(meta.creationTime)}`);

  const mimeType = typeof wire.mimeType === 'string' && wire.mimeType !== '' ? wire.mimeType : 'application/octet-stream';
  const kind: MediaKind = meta.video !== undefined || mimeType.startsWith('video/') ? 'video' : 'photo';
  const item: RemoteItem = { ref: { source: 'library', id: wire.id }, filename: wire.filename, mimeType, kind, creationTime };
  const width = toPositiveInt(meta.width);
  const height = toPositiveInt(meta.height);
  if (width !== undefined) item.width = width;
  if (height !== undefined) item.height = height;
  if (kind === 'video') {
    const status = meta.video?.status;
    // Missing status is not READY: the engine must not fetch bytes it cannot be sure exist.
    item.videoStatus = status !== undefined && VIDEO_STATUSES.has(status) ? (status as VideoStatus) : 'UNSPECIFIED';
  }
  if (typeof wire.description === 'string' && wire.description !== '') item.description = wire.description;
  return item;
}

/** '2019-03-09T13:42:00+01:00' → '2019-03-09T12:42:00Z'; sub-second digits kept only when non-zero. */
function toUtcRfc3339(value: string | undefined): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    return undefined;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Width/height arrive as int64 strings (sometimes numbers from lenient servers). */
function toPositiveInt(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}
