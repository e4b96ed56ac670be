// Picker API wire shapes (reference §2.2, §2.4): int64 as strings (maxItemCount), but width/height as
// integers, Durations as "Ns", pollingConfig only while nothing is picked yet.
import type { EmulatorContext } from './context.js';
import type { LibraryItem } from './library-data.js';
import type { PickerSession } from './picker-sessions.js';
import { pickerIdOf } from './picker-sessions.js';

/** The payload signed into picker baseUrls: the prefix keeps them from working on the Library byte path. */
export const PICKER_URL_PREFIX = 'ppa:';

/** google.protobuf.Duration JSON: seconds with up to 9 fractional digits, then 's'. */
export function durationJson(ms: number): string {
  const sec = Math.max(0, ms) / 1000;
  return `${Number(sec.toFixed(9))}s`;
}

export function sessionJson(s: PickerSession, now: number, knobs: { pollIntervalSec: number }): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: s.id,
    // Real format undocumented (reference §2.2, UNVERIFIED).
    pickerUri: `https://photos.google.com/picker/${s.id}`,
  };
  if (s.picked === undefined) {
    json['pollingConfig'] = { pollInterval: durationJson(knobs.pollIntervalSec * 1000), timeoutIn: durationJson(s.pollUntil - now) };
  }
  json['expireTime'] = new Date(s.expiresAt).toISOString();
  json['pickingConfig'] = { maxItemCount: String(s.maxItemCount) };
  json['mediaItemsSet'] = s.picked !== undefined;
  return json;
}

const PHOTO_DETAILS = { focalLength: 4.25, apertureFNumber: 1.8, isoEquivalent: 100, exposureTime: '0.008333333s' };

export function pickedItemJson(ctx: EmulatorContext, item: LibraryItem): Record<string, unknown> {
  const metadata: Record<string, unknown> = { width: item.width, height: item.height };
  if (item.cameraMake !== undefined) Object.assign(metadata, { cameraMake: item.cameraMake, cameraModel: item.cameraModel });
  if (item.kind === 'video') metadata['videoMetadata'] = { fps: 30, processingStatus: item.videoStatus ?? 'READY' };
  else metadata['photoMetadata'] = item.cameraMake === undefined ? {} : PHOTO_DETAILS;
  return {
    id: pickerIdOf(item.id),
    createTime: item.creationTime,
    type: item.kind === 'video' ? 'VIDEO' : 'PHOTO',
    mediaFile: {
      baseUrl: `${ctx.urls.bytes}/ppa/${ctx.baseUrls.sign(PICKER_URL_PREFIX + item.id, ctx.baseUrlTtlSec)}`,
      mimeType: item.mimeType,
      filename: item.filename,
      mediaFileMetadata: metadata,
    },
  };
}
