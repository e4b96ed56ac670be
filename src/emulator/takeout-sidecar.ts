// The JSON Takeout writes beside each media file and in each album folder (reference §4.3). What the Library
// knows (name, capture time, GPS, caption, favourite, archived) is copied as is; what only Takeout has (upload
// time, views, named people) is derived from the item's seed, so the same library always gives the same JSON.
import type { LibraryAlbum, LibraryItem } from './library-data.js';
import { hash32, intBetween, makePrng, pick } from './prng.js';
import { takeoutTime } from './takeout-names.js';

const PEOPLE = ['Anna', 'Marco', 'Дочь', 'José', '李雷', 'Grandma'] as const;
/** Categories whose photos get named faces. */
const FACES = new Set(['PEOPLE', 'SELFIES', 'WEDDINGS', 'BIRTHDAYS']);
const DAY_S = 86_400;

export interface TakeoutExtras {
  /** Upload to Google Photos (sidecar `creationTime`), Unix seconds: after capture, before the export. */
  uploadSec: number;
  imageViews: number;
  people: string[];
}

export function secondsOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

export function extrasOf(item: LibraryItem, exportSec: number): TakeoutExtras {
  const rand = makePrng(hash32(`${item.mediaSeed}:takeout`));
  const taken = secondsOf(item.creationTime);
  const uploadSec = Math.max(taken, Math.min(taken + intBetween(rand, 60, 30 * DAY_S), exportSec - DAY_S));
  const imageViews = intBetween(rand, 0, 400);
  const faces = item.kind === 'photo' && item.categories.some((c) => FACES.has(c));
  const people = faces ? [...new Set([pick(rand, PEOPLE), ...(rand() < 0.4 ? [pick(rand, PEOPLE)] : [])])] : [];
  return { uploadSec, imageViews, people };
}

/** The Takeout `url` of an item: the same id the Library API gives it, so both sources name one photo. */
export function takeoutUrl(item: LibraryItem): string {
  return `https://photos.google.com/photo/${item.id}`;
}

function geo(gps: LibraryItem['gps']): Record<string, number> {
  // 0.0/0.0 is how Takeout says "no location".
  return { latitude: gps?.lat ?? 0, longitude: gps?.lon ?? 0, altitude: 0, latitudeSpan: 0, longitudeSpan: 0 };
}

/** The sidecar of `item`, pretty-printed as Takeout writes it; `trashed` for items of the Trash folder. */
export function sidecarJson(item: LibraryItem, exportSec: number, trashed: boolean): string {
  const extras = extrasOf(item, exportSec);
  const json: Record<string, unknown> = {
    title: item.filename,
    description: item.description ?? '',
    imageViews: String(extras.imageViews),
    creationTime: takeoutTime(extras.uploadSec),
    photoTakenTime: takeoutTime(secondsOf(item.creationTime)),
    // The Library holds the camera's location only: the user never corrected it, so both agree.
    geoData: geo(item.gps),
    geoDataExif: geo(item.gps),
    ...(extras.people.length > 0 ? { people: extras.people.map((name) => ({ name })) } : {}),
    url: takeoutUrl(item),
    googlePhotosOrigin: { mobileUpload: { deviceFolder: { localFolderName: '' }, deviceType: 'ANDROID_PHONE' } },
    // Booleans are absent when false, as in most exports.
    ...(item.archived ? { archived: true } : {}),
    ...(trashed ? { trashed: true } : {}),
    ...(item.favorite ? { favorited: true } : {}),
  };
  return JSON.stringify(json, null, 2);
}

/** An album folder's metadata.json; its date is the earliest upload among its items (or a month before the export). */
export function albumMetadataJson(album: LibraryAlbum, items: readonly LibraryItem[], exportSec: number): string {
  const uploads = items.map((it) => extrasOf(it, exportSec).uploadSec);
  const date = uploads.length > 0 ? Math.min(...uploads) : exportSec - 30 * DAY_S;
  return JSON.stringify({ title: album.title, description: '', access: 'protected', date: takeoutTime(date) }, null, 2);
}
