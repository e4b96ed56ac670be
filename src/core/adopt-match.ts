// Facts about files already on disk (rebuild, adopt): their original name, their capture time, and which listed
// item they are. Pure: the shell reads EXIF / MP4 headers and stats, this decides. Matching follows
// core/identity.ts (filename, capture second, pixel size when both sides know it) and never guesses.

import { MTIME_WINDOW_MS } from './compare.js';
import { identityBaseKey } from './identity.js';
import { safeFilename } from './names.js';
import { isoSecond, localTimeAt, localTimeFromExif, utcMsFromLocal } from './local-time.js';
import type { RemoteItem } from './types.js';

export interface FileFacts {
  /** the file's name as found, e.g. 'IMG_1234~2.jpg' */
  name: string;
  mtimeMs: number;
  exif?: { dateTimeOriginal: string; offset?: string; width?: number; height?: number };
  /** MP4/MOV mvhd creation time, RFC 3339 UTC */
  mp4Time?: string;
}

export interface CaptureFacts {
  captureTime: string;
  localTime: string;
  timeSource: 'exif' | 'api';
  /** the file's mtime already is the capture time (so sync may keep it so) */
  mtimeStamped: boolean;
}

/** 'IMG_1234~2.jpg' -> 'IMG_1234.jpg': our collision suffix is not part of the original name. */
export function originalName(name: string): string {
  return name.replace(/~([2-9]|[1-9]\d+)(?=\.[^.]*$|$)/, '');
}

/** An EXIF wall clock without offset and an mtime this close can be the same instant in some zone (UTC-12..+14). */
const MAX_ZONE_MS = 14 * 3600_000;

/**
 * The capture time to record for a file. EXIF with an offset is exact; MP4 times are UTC; an EXIF wall clock
 * without offset is ambiguous, so an mtime consistent with it wins (gphotos and most peers stamp mtimes with
 * Google's capture time, which is what identity matching compares), else the wall clock is read in `tz`.
 * Without any metadata the mtime is all there is.
 */
export function captureOf(f: FileFacts, tz: string): CaptureFacts {
  const mtimeSecond = Math.floor(f.mtimeMs / 1000) * 1000;
  const exif = f.exif === undefined ? undefined : localTimeFromExif(f.exif.dateTimeOriginal, f.exif.offset);
  let utcMs: number;
  let localTime: string;
  let timeSource: CaptureFacts['timeSource'] = 'api';
  if (exif !== undefined) {
    timeSource = 'exif';
    localTime = exif.local;
    if (exif.utc !== undefined) utcMs = Date.parse(exif.utc);
    else {
      const wallAsUtc = Date.parse(`${exif.local}Z`);
      const sameSeconds = (mtimeSecond - wallAsUtc) % (15 * 60_000) === 0; // zones are whole quarter hours
      utcMs = Math.abs(mtimeSecond - wallAsUtc) <= MAX_ZONE_MS && sameSeconds ? mtimeSecond : utcMsFromLocal(exif.local, tz);
    }
  } else if (f.mp4Time !== undefined && !Number.isNaN(Date.parse(f.mp4Time))) {
    utcMs = Date.parse(f.mp4Time);
    localTime = localTimeAt(utcMs, tz);
  } else {
    utcMs = mtimeSecond;
    localTime = localTimeAt(utcMs, tz);
  }
  return { captureTime: isoSecond(utcMs), localTime, timeSource, mtimeStamped: Math.abs(f.mtimeMs - utcMs) <= MTIME_WINDOW_MS };
}

/**
 * Every instant a file's metadata can mean, to the second: EXIF with offset; EXIF without offset read as UTC (what
 * Google assumes), in `tz`, and at the mtime when the mtime fits; the MP4 time; and the mtime itself.
 */
export function candidateInstants(f: FileFacts, tz: string): Set<string> {
  const out = new Set<string>([captureOf(f, tz).captureTime, isoSecond(f.mtimeMs)]);
  const exif = f.exif === undefined ? undefined : localTimeFromExif(f.exif.dateTimeOriginal, f.exif.offset);
  if (exif !== undefined && exif.utc === undefined) {
    out.add(isoSecond(Date.parse(`${exif.local}Z`)));
    out.add(isoSecond(utcMsFromLocal(exif.local, tz)));
  }
  if (f.mp4Time !== undefined && !Number.isNaN(Date.parse(f.mp4Time))) out.add(isoSecond(Date.parse(f.mp4Time)));
  return out;
}

export interface FileToMatch {
  path: string;
  facts: FileFacts;
}

export type FileMatch =
  | { kind: 'one'; path: string; item: RemoteItem }
  | { kind: 'ambiguous'; path: string; detail: string }
  | { kind: 'none'; path: string };

function sizeFits(f: FileFacts, item: RemoteItem): boolean {
  const w = f.exif?.width;
  const h = f.exif?.height;
  if (w === undefined || h === undefined || item.width === undefined || item.height === undefined) return true;
  // Rotated photos may store the pixel size either way round.
  return (w === item.width && h === item.height) || (w === item.height && h === item.width);
}

/**
 * Which listed item each file is. A file matching several items, or an item claimed by several files, is
 * ambiguous: reported, never guessed. Result in the files' order.
 */
export function matchFiles(files: readonly FileToMatch[], remote: readonly RemoteItem[], tz: string): FileMatch[] {
  const index = new Map<string, RemoteItem[]>();
  for (const item of remote) {
    // Files on disk carry a sanitised name (ours: safeFilename), so each item is found under both spellings.
    const names = new Set([item.filename, originalName(safeFilename(item.filename))]);
    for (const filename of names) {
      const k = identityBaseKey({ filename, captureTime: item.creationTime });
      index.set(k, [...(index.get(k) ?? []), item]);
    }
  }
  const found = files.map((f) => {
    const name = originalName(f.facts.name);
    const hits = new Map<string, RemoteItem>();
    for (const t of candidateInstants(f.facts, tz)) {
      for (const item of index.get(identityBaseKey({ filename: name, captureTime: t })) ?? []) {
        if (sizeFits(f.facts, item)) hits.set(`${item.ref.source}:${item.ref.id}`, item);
      }
    }
    return { f, hits: [...hits.values()] };
  });
  const claims = new Map<string, number>();
  for (const { hits } of found) {
    const [only] = hits;
    if (hits.length === 1 && only !== undefined) claims.set(`${only.ref.source}:${only.ref.id}`, (claims.get(`${only.ref.source}:${only.ref.id}`) ?? 0) + 1);
  }
  return found.map(({ f, hits }): FileMatch => {
    const [only] = hits;
    if (only === undefined) return { kind: 'none', path: f.path };
    if (hits.length > 1) return { kind: 'ambiguous', path: f.path, detail: `matches ${hits.length} listed items` };
    const k = `${only.ref.source}:${only.ref.id}`;
    if ((claims.get(k) ?? 0) > 1) return { kind: 'ambiguous', path: f.path, detail: `${claims.get(k)} files match listed item ${k}` };
    return { kind: 'one', path: f.path, item: only };
  });
}
