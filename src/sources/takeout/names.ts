// Takeout file-name rules (reference/google-photos-api.md §4.4–4.6). Pure: names in, names out.
// Google never documented these; they are what ente, gpth and immich-go learnt from real exports.
import { sniffMedia } from './magic.js';

const MEDIA_EXT = new Set([
  'jpg', 'jpeg', 'jpe', 'png', 'gif', 'heic', 'heif', 'webp', 'bmp', 'tif', 'tiff', 'avif', 'jxl',
  'dng', 'cr2', 'cr3', 'nef', 'arw', 'orf', 'rw2', 'raf', 'srw', 'pef',
  'mp4', 'mov', 'm4v', '3gp', '3g2', 'avi', 'mkv', 'mts', 'm2ts', 'webm', 'mpg', 'mpeg', 'wmv', 'flv',
  // Pixel motion-photo video parts.
  'mp', 'mv',
]);
const VIDEO_EXT = new Set(['mp4', 'mov', 'm4v', '3gp', '3g2', 'avi', 'mkv', 'mts', 'm2ts', 'webm', 'mpg', 'mpeg', 'wmv', 'flv', 'mp', 'mv']);
const STILL_EXT = ['HEIC', 'heic', 'JPG', 'jpg', 'JPEG', 'jpeg', 'HEIF', 'heif', 'PNG', 'png'];

/** Localized suffixes Google adds to a rendered edit (gpth lib/extras.dart). */
const EDIT_SUFFIXES = [
  '-edited', '-effects', '-smile', '-mix', '-edytowane', '-bearbeitet', '-bewerkt', '-編集済み', '-modificato',
  '-modifié', '-ha editado', '-editado', '-editat', '-отредактировано', '-已编辑', '-편집됨', '-düzenlendi',
  '-تم التعديل', '-संपादित', '-đã chỉnh sửa', '-แก้ไขแล้ว', '-diedit',
].map((s) => s.normalize('NFC'));

/** Trash folders, localized (immich-go docs: the folder name follows the account language). */
const TRASH_FOLDERS = new Set(
  ['trash', 'bin', 'papierkorb', 'corbeille', 'papelera', 'cestino', 'lixeira', 'prullenbak', 'kosz', 'корзина',
    'ゴミ箱', '휴지통', '垃圾桶', 'papperskorg', 'papirkurv', 'roskakori', 'çöp kutusu', 'koš', 'lixo'].map((s) => s.normalize('NFC')),
);

const ALBUM_META_NAMES = new Set(['metadata.json', 'métadonnées.json', 'metadaten.json', 'metadati.json', 'metadatos.json', 'metadane.json', 'метаданные.json'].map((s) => s.normalize('NFC')));

/** 'IMG.JPG' -> 'jpg'; a file named only '.jpg' has the extension 'jpg' (and an empty stem). */
export function extOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** A media extension, also with a '~n' copy mark after it ('PXL_….MP~2'). */
export function isMediaName(name: string): boolean {
  const ext = extOf(name);
  return MEDIA_EXT.has(ext) || MEDIA_EXT.has(ext.replace(/~\d+$/, ''));
}

export function isVideoName(name: string): boolean {
  return VIDEO_EXT.has(extOf(name));
}

export function isAlbumMetaName(name: string): boolean {
  return ALBUM_META_NAMES.has(name.normalize('NFC').toLowerCase());
}

export function isTrashFolder(folder: string): boolean {
  return TRASH_FOLDERS.has(folder.normalize('NFC').toLowerCase());
}

/** 'IMG(1).jpg' -> ['IMG.jpg', 1]; Google's counter sits before the extension of the media file. */
export function splitCounter(name: string): { base: string; counter: number } {
  const stem = stemOf(name);
  const ext = name.slice(stem.length);
  const m = /^(.*)\((\d{1,4})\)$/s.exec(stem);
  return m === null ? { base: name, counter: 0 } : { base: (m[1] ?? '') + ext, counter: Number(m[2]) };
}

/** 'IMG-edited.jpg' -> 'IMG.jpg' (any localized edit suffix); undefined when it is not an edit. */
export function stripEditSuffix(name: string): string | undefined {
  // The rest of the name keeps its own form (NFC or NFD): the original it names may be either.
  const stem = stemOf(name);
  const ext = name.slice(stem.length);
  const lower = stem.toLowerCase();
  for (const s of EDIT_SUFFIXES) {
    for (const form of [s, s.normalize('NFD')]) if (lower.endsWith(form)) return stem.slice(0, stem.length - form.length) + ext;
  }
  return undefined;
}

/** Still images that may own a live-photo video's sidecar: 'IMG_1.MOV' -> 'IMG_1.HEIC', 'IMG_1.jpg', … */
export function liveStillNames(videoName: string): string[] {
  if (!isVideoName(videoName)) return [];
  const stem = stemOf(videoName);
  return STILL_EXT.map((e) => `${stem}.${e}`);
}

const NAME_DATE = /(?:^|[^0-9])((?:19|20)\d{2})[-_]?(\d{2})[-_]?(\d{2})[-_ ]?(?:(\d{2})[-_.]?(\d{2})[-_.]?(\d{2}))?/;

/**
 * A capture time written into a camera's or app's file name (PXL_20230101_123456789, IMG_20230101_123456,
 * VID-20230101-WA0001, Screenshot_2023-01-01-12-34-56, signal-2020-10-26-163832): 'YYYY-MM-DDTHH:mm:ss' wall clock.
 */
export function localTimeFromName(name: string): string | undefined {
  const m = NAME_DATE.exec(name);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s] = m[4] === undefined ? [0, 0, 0] : [Number(m[4]), Number(m[5]), Number(m[6])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(ms).getUTCDate() !== d) return undefined;
  return new Date(ms).toISOString().slice(0, 19);
}

export function mimeOf(name: string, head?: Uint8Array): string {
  const ext = extOf(name).replace(/~\d+$/, '');
  const byExt: Record<string, string> = {
    jpg: 'image/jpeg', jpeg: 'image/jpeg', jpe: 'image/jpeg', png: 'image/png', gif: 'image/gif', heic: 'image/heic',
    heif: 'image/heif', webp: 'image/webp', bmp: 'image/bmp', tif: 'image/tiff', tiff: 'image/tiff', avif: 'image/avif',
    dng: 'image/x-adobe-dng', mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', '3gp': 'video/3gpp',
    avi: 'video/x-msvideo', mkv: 'video/x-matroska', webm: 'video/webm', mp: 'video/mp4', mv: 'video/mp4',
  };
  const known = byExt[ext];
  if (known !== undefined) return known;
  const sniffed = head === undefined ? undefined : sniffMedia(head);
  if (sniffed !== undefined) return sniffed;
  if (VIDEO_EXT.has(ext)) return 'video/mp4';
  return MEDIA_EXT.has(ext) ? `image/${ext}` : 'application/octet-stream';
}

/** Entries whose first bytes the inputs read while indexing: neither media nor JSON by their name. */
export function needsSniff(name: string): boolean {
  return !isMediaName(name) && extOf(name) !== 'json';
}
