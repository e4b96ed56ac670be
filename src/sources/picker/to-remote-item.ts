// Wire → domain for one picked item. Bad items are skipped and reported, never fatal.
import type { MediaKind, RemoteItem, VideoStatus } from '../../core/types.js';
import type { InvalidItem } from '../library/to-remote-item.js';
import type { WirePickedMediaItem } from './wire.js';

const VIDEO_STATUSES: ReadonlySet<string> = new Set<VideoStatus>(['READY', 'PROCESSING', 'FAILED', 'UNSPECIFIED']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export function toRemoteItem(wire: WirePickedMediaItem, onInvalid?: (info: InvalidItem) => void): RemoteItem | undefined {
  const reject = (reason: string): undefined => {
    onInvalid?.(typeof wire.id === 'string' && wire.id !== '' ? { id: wire.id, reason } : { reason });
    return undefined;
  };
  if (typeof wire.id !== 'string' || wire.id === '') return reject('missing id');
  const file = wire.mediaFile ?? {};
  if (typeof file.filename !== 'string' || file.filename === '') return reject('missing filename');
  const ms = typeof wire.createTime === 'string' && RFC3339.test(wire.createTime) ? Date.parse(wire.createTime) : NaN;
  if (Number.isNaN(ms)) return reject(`missing or invalid createTime ${JSON.stringify(wire.createTime)}`);

  const meta = file.mediaFileMetadata ?? {};
  const mimeType = typeof file.mimeType === 'string' && file.mimeType !== '' ? file.mimeType : 'application/octet-stream';
  const kind: MediaKind = wire.type === 'VIDEO' || meta.videoMetadata !== undefined || mimeType.startsWith('video/') ? 'video' : 'photo';
  const item: RemoteItem = {
    ref: { source: 'picker', id: wire.id },
    filename: file.filename,
    mimeType,
    kind,
    creationTime: new Date(ms).toISOString().replace('.000Z', 'Z'),
  };
  const width = toPositiveInt(meta.width);
  const height = toPositiveInt(meta.height);
  if (width !== undefined) item.width = width;
  if (height !== undefined) item.height = height;
  if (kind === 'video') {
    const status = meta.videoMetadata?.processingStatus;
    // Missing status is not READY: never fetch bytes that may not exist.
    item.videoStatus = status !== undefined && VIDEO_STATUSES.has(status) ? (status as VideoStatus) : 'UNSPECIFIED';
  }
  return item;
}

/** Documented as integers; one integrator saw strings (reference §2.4, UNVERIFIED): accept both. */
function toPositiveInt(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}
