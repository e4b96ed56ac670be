// A listed item no archived item is known to be: downloaded to a new path, unless identity is in doubt or the
// video cannot be fetched yet.

import { UNKNOWN_DATE_DIR } from './dating.js';
import { localTimeOf } from './local-time.js';
import type { RemoteOnly } from './plan-pairing.js';
import type { Action } from './plan-types.js';
import { blockedVideoReport } from './plan-video.js';

export interface NewItemPlacement {
  /** the compiled layout: local time -> folder */
  folderOf: (localTime: string) => string;
  tz: string;
  /** reserves and returns a free path (PathRegistry.claim): new items never land on a taken one */
  claim: (dir: string, safeName: string) => string;
}

export function planRemoteOnly(pair: RemoteOnly, placement: NewItemPlacement): Action {
  const { item, doubt } = pair;
  if (doubt?.kind === 'contested') {
    const detail = `several listed items match archived ${doubt.key}`;
    return { kind: 'report', reason: 'ambiguous-identity', item, key: doubt.key, detail };
  }
  if (doubt?.kind === 'ambiguous') {
    const detail = `matches ${doubt.keys.length} archived items: ${doubt.keys.join(', ')}`;
    return { kind: 'report', reason: 'ambiguous-identity', item, detail };
  }
  const blocked = blockedVideoReport(item);
  if (blocked !== undefined) return blocked;
  // Provisional path from the API time; the engine may re-place by EXIF date (through a PathRegistry).
  const dir = item.dating === 'none' ? UNKNOWN_DATE_DIR : placement.folderOf(localTimeOf(item.creationTime, placement.tz));
  return { kind: 'download', item, path: placement.claim(dir, pair.safeName), reason: 'new-remote-item' };
}
