// Equality, written down in one place.
//
// An archived item is PRESENT when its manifest path exists on disk with exactly the manifest's size. A different
// size means someone changed the file: we report it and never overwrite it. The mtime is checked only when we
// stamp mtimes and stamped this file before: it must be within MTIME_WINDOW_MS of the capture time. The window
// absorbs coarse mtimes: FAT32 keeps even seconds, so a whole-second capture time lands at most 1 s away.
// Comparing never changes anything: a wrong mtime becomes a restamp action.

import type { LocalFile, ManifestItem } from './types.js';

export const MTIME_WINDOW_MS = 1000;

export type FileState = 'present' | 'missing' | 'changed' | 'mtime-differs';

export function fileState(item: ManifestItem, local: LocalFile | undefined, setMtime: boolean): FileState {
  if (local === undefined) return 'missing';
  if (local.size !== item.size) return 'changed';
  if (setMtime && item.mtimeStamped && Math.abs(local.mtimeMs - Date.parse(item.captureTime)) > MTIME_WINDOW_MS) {
    return 'mtime-differs';
  }
  return 'present';
}
