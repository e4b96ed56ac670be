// The deterministic library: the same seed and size always give the same items, names, dates and bytes.
// It front-loads the awkward cases an archiver must survive (duplicate and hostile names, Unicode forms,
// month-crossing time zones, videos still processing, photos without EXIF), then fills with ordinary items.
import type { EmulatorItem } from './api.js';
import { hash32, intBetween, makePrng, opaqueId, pick } from './prng.js';

export const CONTENT_CATEGORIES = [
  'NONE', 'LANDSCAPES', 'RECEIPTS', 'CITYSCAPES', 'LANDMARKS', 'SELFIES', 'PEOPLE', 'PETS', 'WEDDINGS', 'BIRTHDAYS',
  'DOCUMENTS', 'TRAVEL', 'ANIMALS', 'FOOD', 'SPORT', 'NIGHT', 'PERFORMANCES', 'WHITEBOARDS', 'SCREENSHOTS', 'UTILITY',
  'ARTS', 'CRAFTS', 'FASHION', 'HOUSES', 'GARDENS', 'FLOWERS', 'HOLIDAYS',
] as const;

/** What the emulator knows about an item beyond the public EmulatorItem. */
export interface LibraryItem extends EmulatorItem {
  /** OAuth client that "created" the item; only its tokens can see it. */
  owner: string;
  /** Seed of the generated pixels (stable per item). */
  mediaSeed: number;
  /** False when the item carries no capture-date metadata: date filters never match it. */
  hasCaptureDate: boolean;
  gps?: { lat: number; lon: number };
  cameraMake?: string;
  cameraModel?: string;
  favorite: boolean;
  archived: boolean;
  categories: string[];
  description?: string;
  durationMs?: number;
  moovAtEnd?: boolean;
}

export interface LibraryAlbum {
  id: string;
  owner: string;
  title: string;
  itemIds: string[];
}

export interface Library {
  items: LibraryItem[];
  albums: LibraryAlbum[];
  /** Bumped on every change to the items (add, remove, status): listings cached by it are then rebuilt. */
  version: number;
}

const OFFSETS = ['+00:00', '+01:00', '+02:00', '-05:00', '-08:00', '+09:00', '+05:30', '-03:30'] as const;
const PHOTO_SIZES: ReadonlyArray<readonly [number, number]> = [
  [320, 240], [640, 480], [800, 600], [1024, 768], [480, 640], [768, 1024], [600, 400], [400, 300],
];
const VIDEO_SIZES: ReadonlyArray<readonly [number, number]> = [[320, 240], [640, 360]];
const CAMERAS: ReadonlyArray<readonly [string, string]> = [
  ['samsung', 'SM-G965F'], ['Google', 'Pixel 7'], ['Apple', 'iPhone 12'], ['SONY', 'DSC-W220'], ['Canon', 'EOS 80D'],
];

/** A special item's wishes; anything omitted is filled from the PRNG. */
interface Spec {
  filename: string;
  kind?: 'photo' | 'video';
  /** Local wall-clock capture time 'YYYY-MM-DDTHH:MM:SS' and its offset; creationTime is derived. */
  local: string;
  offset?: string | null;
  noExif?: boolean;
  videoStatus?: 'READY' | 'PROCESSING' | 'FAILED';
  favorite?: boolean;
  archived?: boolean;
  moovAtEnd?: boolean;
  description?: string;
}

const LONG_NAME = `${'a_very_long_file_name_'.repeat(11)}end.jpg`; // 249 characters

const SPECIALS: readonly Spec[] = [
  { filename: 'IMG_1234.JPG', local: '2019-03-09T13:42:01', offset: '+01:00' },
  { filename: 'IMG_1234.JPG', local: '2019-03-21T08:15:00', offset: '+01:00' },
  { filename: 'IMG_0001.JPG', local: '2020-07-04T10:00:00', offset: '-05:00' },
  { filename: 'img_0001.jpg', local: '2020-07-18T17:30:00', offset: '-05:00' },
  { filename: 'caf\u00e9.jpg', local: '2018-05-12T12:00:00', offset: '+02:00' },
  { filename: 'cafe\u0301.jpg', local: '2018-05-13T12:00:00', offset: '+02:00' },
  { filename: '../x.jpg', local: '2017-02-02T09:00:00', offset: '+00:00' },
  { filename: 'a/b.jpg', local: '2017-02-03T09:00:00', offset: '+00:00' },
  { filename: LONG_NAME, local: '2017-06-06T06:06:06', offset: '+00:00' },
  { filename: 'bell\u0007tab\there\nnewline.jpg', local: '2017-06-07T07:07:07', offset: '+00:00' },
  { filename: 'CON.jpg', local: '2016-08-08T08:08:08', offset: '+01:00' },
  { filename: '...', local: '2016-08-09T08:08:08', offset: '+01:00' },
  { filename: 'trailing space .jpg', local: '2016-08-10T08:08:08', offset: '+01:00' },
  // EXIF local date is in another month (and year) than the UTC creationTime.
  { filename: 'PXL_20210401_053000000.jpg', local: '2021-04-01T05:30:00', offset: '+09:00' },
  { filename: 'DSC_NYE.JPG', local: '2015-12-31T19:00:00', offset: '-08:00' },
  // EXIF without an offset: the wall clock is taken as UTC.
  { filename: 'OLDCAM01.JPG', local: '2015-04-30T23:59:59', offset: null },
  { filename: 'scan-no-exif-1.jpg', local: '2022-09-14T10:00:00', noExif: true },
  { filename: 'scan-no-exif-2.jpg', local: '2023-01-01T00:00:00', noExif: true },
  { filename: 'screenshot-no-exif.jpg', local: '2024-11-30T22:00:00', noExif: true },
  { filename: 'VID_20200101_000001.mp4', kind: 'video', local: '2020-01-01T00:00:01', videoStatus: 'READY' },
  { filename: 'VID_20230615_120000.mp4', kind: 'video', local: '2023-06-15T12:00:00', videoStatus: 'PROCESSING' },
  { filename: 'VID_20240229_235959.mp4', kind: 'video', local: '2024-02-29T23:59:59', videoStatus: 'FAILED' },
  { filename: 'VID_MOOV_AT_END.mp4', kind: 'video', local: '2022-10-10T10:10:10', videoStatus: 'READY', moovAtEnd: true },
  { filename: 'archived.jpg', local: '2019-11-11T11:11:11', offset: '+01:00', archived: true },
  { filename: 'favourite.jpg', local: '2019-11-12T11:11:11', offset: '+01:00', favorite: true, description: 'The best one' },
];

/** '2021-04-01T05:30:00' + '+09:00' → the UTC instant. */
function utcOf(local: string, offset: string | null | undefined): Date {
  return new Date(`${local}${offset ?? 'Z'}`);
}

function exifOf(local: string): string {
  return local.replace('T', ' ').replace(/-/g, ':');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function makeItem(seed: number, key: string, owner: string, spec: Spec): LibraryItem {
  const rand = makePrng(hash32(`${seed}:${key}:meta`));
  const kind = spec.kind ?? 'photo';
  const isVideo = kind === 'video';
  const offset = spec.offset === undefined ? pick(rand, OFFSETS) : spec.offset;
  const creation = utcOf(spec.local, isVideo ? null : offset);
  const [width, height] = pick(rand, isVideo ? VIDEO_SIZES : PHOTO_SIZES);
  const [make, model] = pick(rand, CAMERAS);
  const item: LibraryItem = {
    id: opaqueId('AF1Qip', `${seed}:${key}:id`),
    filename: spec.filename,
    mimeType: isVideo ? 'video/mp4' : 'image/jpeg',
    kind,
    creationTime: creation.toISOString().replace('.000Z', 'Z'),
    width,
    height,
    owner,
    mediaSeed: hash32(`${seed}:${key}:pixels`),
    hasCaptureDate: !spec.noExif,
    favorite: spec.favorite ?? rand() < 0.05,
    archived: spec.archived ?? false,
    categories: [pick(rand, CONTENT_CATEGORIES.slice(1)), ...(rand() < 0.3 ? [pick(rand, CONTENT_CATEGORIES.slice(1))] : [])],
  };
  if (spec.description !== undefined) item.description = spec.description;
  if (isVideo) {
    item.videoStatus = spec.videoStatus ?? (rand() < 0.15 ? 'PROCESSING' : 'READY');
    item.durationMs = intBetween(rand, 1000, 3000);
    if (spec.moovAtEnd) item.moovAtEnd = true;
  } else if (!spec.noExif) {
    item.exifDateTimeOriginal = exifOf(spec.local);
    if (offset !== null) item.exifOffset = offset;
    item.cameraMake = make;
    item.cameraModel = model;
    if (rand() < 0.85) {
      item.gps = { lat: Math.round((rand() * 140 - 70) * 1e5) / 1e5, lon: Math.round((rand() * 340 - 170) * 1e5) / 1e5 };
    }
  }
  return item;
}

/** Ordinary item i: years 2015..2025 and all 12 months are covered round-robin. */
function ordinarySpec(seed: number, i: number): Spec {
  const rand = makePrng(hash32(`${seed}:fill:${i}`));
  const year = 2015 + (Math.floor(i / 12) % 11);
  const month = (i % 12) + 1;
  const day = intBetween(rand, 1, 28);
  const [hh, mm, ss] = [intBetween(rand, 0, 23), intBetween(rand, 0, 59), intBetween(rand, 0, 59)];
  const local = `${year}-${pad(month)}-${pad(day)}T${pad(hh)}:${pad(mm)}:${pad(ss)}`;
  const stamp = `${year}${pad(month)}${pad(day)}_${pad(hh)}${pad(mm)}${pad(ss)}`;
  if (rand() < 0.08) return { filename: `VID_${stamp}.mp4`, kind: 'video', local };
  const style = rand();
  const filename =
    style < 0.4 ? `IMG_${pad(intBetween(rand, 1, 9999), 4)}.JPG` : style < 0.75 ? `PXL_${stamp}${pad(intBetween(rand, 0, 999), 3)}.jpg` : `DSC0${pad(intBetween(rand, 1, 9999), 4)}.JPG`;
  return { filename, local, offset: pick(rand, OFFSETS) };
}

export function generateLibrary(seed: number, count: number, owner: string): Library {
  const items: LibraryItem[] = [];
  for (let i = 0; i < count; i++) {
    const special = SPECIALS[i];
    items.push(special ? makeItem(seed, `special:${i}`, owner, special) : makeItem(seed, `fill:${i}`, owner, ordinarySpec(seed, i)));
  }
  const rand = makePrng(hash32(`${seed}:albums`));
  const album = (title: string, ids: string[]): LibraryAlbum => ({ id: opaqueId('AF1QipA', `${seed}:album:${title}`), owner, title, itemIds: ids });
  const sample = (p: number): string[] => items.filter(() => rand() < p).map((it) => it.id);
  const albums = [
    album('Trip to Rome', sample(0.1)),
    album('Family', sample(0.15)),
    // Album titles are user text: they may hold slashes and other path-hostile characters too.
    album('Best of 2019 / 2020', items.filter((it) => /^(2019|2020)/.test(it.creationTime)).slice(0, 12).map((it) => it.id)),
    album('Empty album', []),
  ];
  return { items, albums, version: 0 };
}

