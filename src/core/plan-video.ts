// Videos whose bytes Google cannot serve yet (or ever): reported instead of downloaded, new or archived alike.

import type { Action } from './plan-types.js';
import type { RemoteItem } from './types.js';

/** The report for a video that cannot be fetched now, or undefined when it can (or is a photo). */
export function blockedVideoReport(item: RemoteItem, key?: string): Action | undefined {
  if (item.kind !== 'video') return undefined;
  const reason = item.videoStatus === 'PROCESSING' ? 'video-pending' : item.videoStatus === 'FAILED' ? 'video-failed' : undefined;
  if (reason === undefined) return undefined;
  return key === undefined ? { kind: 'report', reason, item } : { kind: 'report', reason, item, key };
}
