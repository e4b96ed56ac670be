// Where every file of a Takeout export goes (reference §4.2): `Takeout/Google Photos/Photos from YYYY/` for each
// item, one folder per album holding copies of its items (and a metadata.json), `Trash/` for trashed items.
// Pure apart from rendering bytes on demand: the listing is cheap, the pixels are made only when written.
import type { Library, LibraryItem } from './library-data.js';
import { makeItem } from './library-data.js';
import { hash32, intBetween, makePrng } from './prng.js';
import { FolderNames, archiveSafeName, mediaBaseName, sidecarName, withCounter, yearFolder } from './takeout-names.js';
import type { SidecarStyle } from './takeout-names.js';
import { originalBytes } from './takeout-originals.js';
import { albumMetadataJson, sidecarJson } from './takeout-sidecar.js';

export const PHOTOS_ROOT = 'Takeout/Google Photos';
export const TRASH_FOLDER = 'Trash';

export interface TakeoutEntry {
  /** '/'-separated path inside the export, starting with 'Takeout/'. */
  path: string;
  kind: 'media' | 'sidecar' | 'album-metadata' | 'html';
  /** The library (or trash) item a media file or sidecar belongs to. */
  itemId?: string;
  /** The entry's bytes, rendered when called (deterministic: the same every call). */
  data(): Buffer;
}

export interface LayoutOptions {
  sidecarStyle: SidecarStyle | 'mixed';
  /** Number of trashed items (they are in no Library listing, only in Takeout's Trash folder). */
  trashed: number;
  /** Export time, Unix seconds: upload times in sidecars are never later. */
  exportSec: number;
}

export interface TakeoutLayout {
  entries: TakeoutEntry[];
  /** Every media item once (album copies not counted): the library's items, then the trashed ones. */
  items: LibraryItem[];
  trashed: LibraryItem[];
}

const BROWSER_HTML = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Google Takeout</title></head>\n<body><p>Google Photos</p></body></html>\n';

function styleOf(item: LibraryItem, style: LayoutOptions['sidecarStyle']): SidecarStyle {
  if (style !== 'mixed') return style;
  // Both generations in one export, chosen per item (same seed, same choice).
  return (hash32(`${item.id}:sidecar-style`) & 1) === 0 ? 'legacy' : 'supplemental';
}

/** Trashed items: ordinary photos of 2024 made like library items, from a seed derived from the library. */
export function trashedItems(library: Library, count: number): LibraryItem[] {
  const first = library.items[0];
  const seed = hash32(`takeout-trash:${first?.mediaSeed ?? 0}`);
  const owner = first?.owner ?? 'gphotos-emulator-client';
  return Array.from({ length: count }, (_, i) => {
    const rand = makePrng(hash32(`${seed}:${i}`));
    const two = (n: number): string => String(n).padStart(2, '0');
    const [mo, d, h, mi, s] = [(i % 12) + 1, intBetween(rand, 1, 28), intBetween(rand, 0, 23), intBetween(rand, 0, 59), intBetween(rand, 0, 59)];
    const local = `2024-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}`;
    return makeItem(seed, `trash:${i}`, owner, { filename: `PXL_2024${two(mo)}${two(d)}_${two(h)}${two(mi)}${two(s)}${String(i).padStart(3, '0')}.jpg`, local, offset: '+00:00' });
  });
}

export function takeoutLayout(library: Library, opts: LayoutOptions): TakeoutLayout {
  const entries: TakeoutEntry[] = [];
  const folders = new Map<string, FolderNames>();
  const bytes = new Map<string, () => Buffer>();
  const originalOf = (item: LibraryItem): (() => Buffer) => {
    let fn = bytes.get(item.id);
    if (fn === undefined) {
      fn = () => originalBytes(item);
      bytes.set(item.id, fn);
    }
    return fn;
  };

  /**
   * The media files of `folder`, then their sidecars, each pair with the smallest `(n)` that keeps both names
   * free. Media before sidecars (not interleaved) is why a part boundary so often separates a photo from its JSON.
   */
  const fill = (folder: string, items: readonly LibraryItem[], trashed: boolean): void => {
    const sidecars: TakeoutEntry[] = [];
    for (const item of items) sidecars.push(place(folder, item, trashed));
    entries.push(...sidecars);
  };
  const place = (folder: string, item: LibraryItem, trashed: boolean): TakeoutEntry => {
    let names = folders.get(folder);
    if (names === undefined) {
      names = new FolderNames();
      folders.set(folder, names);
    }
    const style = styleOf(item, opts.sidecarStyle);
    const base = mediaBaseName(item.filename, item.mimeType);
    const n = names.claim((c) => [withCounter(base, c), sidecarName(item.filename, c, style)]);
    const dir = `${PHOTOS_ROOT}/${folder}`;
    entries.push({ path: `${dir}/${withCounter(base, n)}`, kind: 'media', itemId: item.id, data: originalOf(item) });
    const json = sidecarJson(item, opts.exportSec, trashed);
    return { path: `${dir}/${sidecarName(item.filename, n, style)}`, kind: 'sidecar', itemId: item.id, data: () => Buffer.from(json) };
  };

  entries.push({ path: `${PHOTOS_ROOT}/archive_browser.html`, kind: 'html', data: () => Buffer.from(BROWSER_HTML) });
  const top = new FolderNames();
  const byYear = new Map<string, LibraryItem[]>();
  for (const item of library.items) {
    const year = yearFolder(item.creationTime);
    byYear.set(year, [...(byYear.get(year) ?? []), item]);
  }
  const years = [...byYear.keys()].sort();
  const trashed = trashedItems(library, opts.trashed);
  // Year and Trash folders are Google's own names: albums yield to them.
  for (const name of [...years, ...(trashed.length > 0 ? [TRASH_FOLDER] : [])]) top.reserve(name);
  for (const year of years) fill(year, byYear.get(year) ?? [], false);

  const byId = new Map(library.items.map((it) => [it.id, it]));
  for (const album of library.albums) {
    // Two albums may share a title (or a safe form of it): the folder gets a counter, metadata.json keeps the title.
    const safe = archiveSafeName(album.title.trim());
    const folderFor = (c: number): string => (c === 0 ? safe : `${safe}(${c})`);
    const folder = folderFor(top.claim((c) => [folderFor(c)]));
    const members = album.itemIds.map((id) => byId.get(id)).filter((it): it is LibraryItem => it !== undefined);
    const meta = albumMetadataJson(album, members, opts.exportSec);
    entries.push({ path: `${PHOTOS_ROOT}/${folder}/metadata.json`, kind: 'album-metadata', data: () => Buffer.from(meta) });
    const albumNames = new FolderNames();
    albumNames.reserve('metadata.json');
    folders.set(folder, albumNames);
    fill(folder, members, false);
  }

  fill(TRASH_FOLDER, trashed, true);
  return { entries, items: [...library.items, ...trashed], trashed };
}
