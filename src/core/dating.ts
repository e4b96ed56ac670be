// When an item was taken and which wall clock places it, from what its source said and what its bytes hold (pure).
// One rule for every source, chosen by RemoteItem.dating:
// - 'api': Google's creationTime is the capture time; the photo's own EXIF wall clock picks the folder.
// - 'sidecar': Takeout's photoTakenTime is UTC and holds the user's corrections, so it wins; the wall clock comes
//   from the photo's EXIF offset when it has one, else from --tz.
// - 'filename' / 'none': a guess; EXIF, then the video's mvhd, replace it. With 'none' and neither, the time is
//   the file's own mtime and the item goes to unknown-date/.
import { isoSecond, localTimeAt, localTimeFromExif, localTimeOf, utcMsFromLocal } from './local-time.js';
import type { RemoteItem } from './types.js';

export type DateSource = 'api' | 'sidecar' | 'exif' | 'video' | 'filename' | 'none';

/** Where an item whose date nobody knows is filed. */
export const UNKNOWN_DATE_DIR = 'unknown-date';

export interface ContentTimes {
  exif?: { dateTimeOriginal: string; offset?: string };
  videoUtcMs?: number;
}

export interface Dated {
  captureTime: string;
  localTime: string;
  timeSource: 'exif' | 'api';
  source: DateSource;
}

function offsetMs(offset: string | undefined): number | undefined {
  const m = offset === undefined ? null : /^([+-])(\d{2}):(\d{2})$/.exec(offset.trim());
  if (m === null) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return minutes > 18 * 60 ? undefined : (m[1] === '-' ? -1 : 1) * minutes * 60_000;
}

const wallClock = (utcMs: number, shiftMs: number): string => new Date(utcMs + shiftMs).toISOString().slice(0, 19);

export function dateItem(item: Pick<RemoteItem, 'creationTime' | 'dating'>, content: ContentTimes, tz: string): Dated {
  const listedMs = Date.parse(item.creationTime);
  const exif = content.exif === undefined ? undefined : localTimeFromExif(content.exif.dateTimeOriginal, content.exif.offset);
  switch (item.dating ?? 'api') {
    case 'api':
      return exif === undefined
        ? { captureTime: item.creationTime, localTime: localTimeOf(item.creationTime, tz), timeSource: 'api', source: 'api' }
        : { captureTime: item.creationTime, localTime: exif.local, timeSource: 'exif', source: 'api' };
    case 'sidecar': {
      const shift = offsetMs(content.exif?.offset);
      const localTime = shift === undefined ? localTimeAt(listedMs, tz) : wallClock(listedMs, shift);
      return { captureTime: isoSecond(listedMs), localTime, timeSource: 'api', source: 'sidecar' };
    }
    case 'filename':
    case 'none':
      if (exif !== undefined) {
        const utcMs = exif.utc === undefined ? utcMsFromLocal(exif.local, tz) : Date.parse(exif.utc);
        return { captureTime: isoSecond(utcMs), localTime: exif.local, timeSource: 'exif', source: 'exif' };
      }
      if (content.videoUtcMs !== undefined) {
        return { captureTime: isoSecond(content.videoUtcMs), localTime: localTimeAt(content.videoUtcMs, tz), timeSource: 'exif', source: 'video' };
      }
      return { captureTime: isoSecond(listedMs), localTime: localTimeAt(listedMs, tz), timeSource: 'api', source: item.dating === 'filename' ? 'filename' : 'none' };
  }
}

/** The folder a dated item goes to. */
export function folderOf(dated: Pick<Dated, 'localTime' | 'source'>, layoutDir: (localTime: string) => string): string {
  return dated.source === 'none' ? UNKNOWN_DATE_DIR : layoutDir(dated.localTime);
}
