// When an imported file was taken, from the best evidence it has (pure). Sidecar first: Google keeps the
// user's date corrections only there. Its time is UTC, so the wall clock comes from the photo's own EXIF
// offset when it has one, else from --tz. Without a sidecar: EXIF, the video's mvhd, then the file name.
import { isoSecond, localTimeAt, localTimeFromExif, utcMsFromLocal } from '../../core/local-time.js';

export type DateSource = 'sidecar' | 'exif' | 'video' | 'filename' | 'none';

export interface DateFacts {
  sidecarSec?: number;
  exif?: { dateTimeOriginal: string; offset?: string };
  videoUtcMs?: number;
  nameLocal?: string;
  /** Used as the capture time of a file with no date at all (its time in the archive). */
  fallbackMs: number;
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

export function resolveDate(f: DateFacts, tz: string): Dated {
  if (f.sidecarSec !== undefined) {
    const utcMs = f.sidecarSec * 1000;
    const shift = offsetMs(f.exif?.offset);
    const localTime = shift === undefined ? localTimeAt(utcMs, tz) : wallClock(utcMs, shift);
    return { captureTime: isoSecond(utcMs), localTime, timeSource: 'api', source: 'sidecar' };
  }
  const exif = f.exif === undefined ? undefined : localTimeFromExif(f.exif.dateTimeOriginal, f.exif.offset);
  if (exif !== undefined) {
    const utcMs = exif.utc === undefined ? utcMsFromLocal(exif.local, tz) : Date.parse(exif.utc);
    return { captureTime: isoSecond(utcMs), localTime: exif.local, timeSource: 'exif', source: 'exif' };
  }
  if (f.videoUtcMs !== undefined) {
    return { captureTime: isoSecond(f.videoUtcMs), localTime: localTimeAt(f.videoUtcMs, tz), timeSource: 'exif', source: 'video' };
  }
  if (f.nameLocal !== undefined) {
    return { captureTime: isoSecond(utcMsFromLocal(f.nameLocal, tz)), localTime: f.nameLocal, timeSource: 'api', source: 'filename' };
  }
  return { captureTime: isoSecond(f.fallbackMs), localTime: localTimeAt(f.fallbackMs, tz), timeSource: 'api', source: 'none' };
}
