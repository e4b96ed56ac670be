// Which entries of a set of Takeout inputs are media, and which sidecar, album and trash state each has.
// Pure: built from the entry lists and the JSON bodies of every input at once, because a photo's sidecar
// may sit in another archive of the same export (§4.1). Deterministic: the same export as folder, zip or tgz,
// split or whole, in any order, gives the same catalog. Every entry that is media by its name or its first
// bytes ends up in `items` or in `skipped` with a reason.
import { baseOf, dirOf } from './entry-path.js';
import type { Entry, ProblemReason, RefusedEntry } from './input.js';
import { sniffMedia } from './magic.js';
import { extOf, isAlbumMetaName, isMediaName, isTrashFolder, splitCounter } from './names.js';
import { parseAlbumMeta, parseSidecar, type SidecarMeta } from './sidecar.js';
import { matchSidecars, type FolderSidecar, type Variant } from './sidecar-match.js';

export type { Variant } from './sidecar-match.js';

export interface CatalogItem {
  input: number;
  entry: Entry;
  /** The file's own name in the export. */
  name: string;
  sidecar?: SidecarMeta;
  /** How the sidecar was found (or 'none'). */
  variant: Variant;
  album?: string;
  trashed: boolean;
  /** Stable Takeout id when a sidecar identifies the item; files without one get theirs from their hash. */
  id?: string;
  /** The type the first bytes announce, for a file whose name has no media extension. */
  mimeType?: string;
  /** Several sidecars could be this file's and none is sure: it is kept, dated from its own bytes, and this says why. */
  ambiguousSidecar?: string;
}

export interface CatalogProblem {
  path: string;
  reason: 'bad-sidecar';
  detail: string;
}

/** Why a media entry is not an item. 'trashed' is for callers that turn trashed items into skips. */
export type SkipReason = 'trashed' | 'ambiguous-sidecar' | 'same-path' | ProblemReason;

export interface CatalogSkip {
  input: number;
  path: string;
  reason: SkipReason;
  detail?: string;
}

export interface Catalog {
  /** Items with a sidecar first, then by path: a reader that keeps the first of two equal files keeps the dated one. */
  items: CatalogItem[];
  problems: CatalogProblem[];
  /** Media entries that are not items, by path. */
  skipped: CatalogSkip[];
  sidecars: number;
  albums: number;
}

export interface CatalogInput {
  entries: readonly Entry[];
  json: ReadonlyMap<string, string>;
  /** First bytes of entries with no media extension (media without one are known by content). */
  heads?: ReadonlyMap<string, Uint8Array>;
  refused?: readonly RefusedEntry[];
}

// Year folders are not albums even when a metadata.json sits in them (gpth #10); only a few locales are known.
const YEAR_TITLE = /^(photos from|fotos von|fotos de|photos de|foto dal|foto del|zdjęcia z|foto's uit|фото за) \d{4}$/i;

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Folders are grouped in NFC, so parts zipped on macOS (NFD) meet the others; names inside keep their form. */
const folderKey = (dir: string): string => dir.normalize('NFC');

interface Located {
  input: number;
  entry: Entry;
}

interface Folder {
  sidecars: FolderSidecar[];
  meta: Map<string, SidecarMeta>;
  files: { at: Located; name: string; media: boolean }[];
}

export function buildCatalog(inputs: readonly CatalogInput[]): Catalog {
  const problems: CatalogProblem[] = [];
  const skipped: CatalogSkip[] = [];
  const folders = new Map<string, Folder>();
  const folder = (dir: string): Folder => {
    const k = folderKey(dir);
    let f = folders.get(k);
    if (f === undefined) folders.set(k, (f = { sidecars: [], meta: new Map(), files: [] }));
    return f;
  };
  const looksLikeMedia = (at: Located): boolean => {
    if (isMediaName(baseOf(at.entry.path))) return true;
    const head = inputs[at.input]?.heads?.get(at.entry.path);
    return head !== undefined && sniffMedia(head) !== undefined;
  };

  // One entry per path: overlapping inputs (a zip and its extracted folder) hold the same file twice.
  const all: Located[] = inputs.flatMap(({ entries }, input) => entries.map((entry) => ({ input, entry })));
  all.sort((a, b) => byCode(a.entry.path, b.entry.path) || b.entry.size - a.entry.size || a.input - b.input);
  const chosen: Located[] = [];
  for (const at of all) {
    const prev = chosen.at(-1);
    if (prev?.entry.path !== at.entry.path) chosen.push(at);
    else if (looksLikeMedia(at)) skipped.push({ input: at.input, path: at.entry.path, reason: 'same-path', detail: `the same path is read from input ${prev.input + 1}` });
  }
  inputs.forEach(({ refused }, input) => {
    for (const r of refused ?? []) if (isMediaName(baseOf(r.path))) skipped.push({ input, path: r.path, reason: r.reason, detail: r.detail });
  });

  const albumByFolder = new Map<string, string>();
  let sidecars = 0;
  const jsonPaths = [...new Set(inputs.flatMap(({ json }) => [...json.keys()]))].sort(byCode);
  const owner = new Map(chosen.map((at) => [at.entry.path, at.input]));
  for (const path of jsonPaths) {
    const first = owner.get(path);
    const text = (first === undefined ? undefined : inputs[first]?.json.get(path)) ?? inputs.map((i) => i.json.get(path)).find((t) => t !== undefined);
    if (text === undefined) continue;
    const dir = dirOf(path);
    const name = baseOf(path);
    if (isAlbumMetaName(name)) {
      const album = parseAlbumMeta(text);
      if (album !== undefined && !YEAR_TITLE.test(album.title.trim()) && !albumByFolder.has(folderKey(dir))) albumByFolder.set(folderKey(dir), album.title);
      if (album !== undefined || !text.includes('photoTakenTime')) continue;
    }
    const meta = parseSidecar(text);
    if (typeof meta === 'string') {
      // print-subscriptions.json, user-generated-memory-titles.json…: JSON that is not about one photo.
      if (text.includes('photoTakenTime') || text.includes('"title"')) problems.push({ path, reason: 'bad-sidecar', detail: meta });
      continue;
    }
    const f = folder(dir);
    if (f.meta.has(name)) continue; // the same name under an NFC and an NFD spelling of one folder
    sidecars++;
    f.meta.set(name, meta);
    f.sidecars.push({ name, title: meta.title });
  }

  for (const at of chosen) {
    const name = baseOf(at.entry.path);
    if (extOf(name) === 'json') continue;
    const media = looksLikeMedia(at);
    // A file without any extension and unknown bytes is media only when a sidecar names it.
    if (media || extOf(name) === '') folder(dirOf(at.entry.path)).files.push({ at, name, media });
  }

  const items: CatalogItem[] = [];
  for (const [key, f] of folders) {
    if (f.files.length === 0) continue;
    const matches = matchSidecars(f.files.map((x) => x.name), f.sidecars);
    for (const { at, name, media } of f.files) {
      const m = matches.get(name) ?? { kind: 'none' };
      const detail = m.kind === 'ambiguous' ? `${m.sidecars.join(', ')} could each be its sidecar` : undefined;
      if (m.kind === 'ambiguous' && !media) {
        skipped.push({ input: at.input, path: at.entry.path, reason: 'ambiguous-sidecar', ...(detail === undefined ? {} : { detail }) });
      } else if (m.kind === 'ambiguous' && detail !== undefined) {
        // A photo is never lost to a guess: it is archived without a sidecar, and the ambiguity is reported.
        items.push({ ...item(at, name, 'none', undefined, albumByFolder.get(key), undefined), ambiguousSidecar: detail });
      } else if (m.kind === 'sidecar' || media) {
        const sidecar = m.kind === 'sidecar' ? f.meta.get(m.sidecar) : undefined;
        const head = !isMediaName(name) ? inputs[at.input]?.heads?.get(at.entry.path) : undefined;
        const mimeType = head === undefined ? undefined : sniffMedia(head);
        items.push(item(at, name, m.kind === 'sidecar' ? m.variant : 'none', sidecar, albumByFolder.get(key), mimeType));
      }
    }
  }

  items.sort((a, b) => Number(a.sidecar === undefined) - Number(b.sidecar === undefined) || byCode(a.entry.path, b.entry.path) || a.input - b.input);
  skipped.sort((a, b) => byCode(a.path, b.path) || a.input - b.input || byCode(a.reason, b.reason));
  problems.sort((a, b) => byCode(a.path, b.path));
  return { items, problems, skipped, sidecars, albums: new Set(albumByFolder.values()).size };
}

function item(at: Located, name: string, variant: Variant, sidecar: SidecarMeta | undefined, album: string | undefined, mimeType: string | undefined): CatalogItem {
  const id = sidecar === undefined ? undefined : takeoutId(sidecar, variant, name);
  return {
    input: at.input,
    entry: at.entry,
    name,
    variant,
    ...(mimeType === undefined ? {} : { mimeType }),
    trashed: sidecar?.trashed === true || dirOf(at.entry.path).split('/').some(isTrashFolder),
    ...(sidecar === undefined ? {} : { sidecar }),
    ...(album === undefined ? {} : { album }),
    ...(id === undefined ? {} : { id }),
  };
}

/**
 * The item's id in the 'takeout' id space: the photo's Google Photos URL when the sidecar has one (the
 * same in every export and album copy), else its title and capture second. Files that borrow a sidecar
 * (edits, live-photo videos, motion parts, '~2' copies) are other files, so their name joins the id.
 */
export function takeoutId(meta: SidecarMeta, variant: Variant, name: string): string {
  const { base: plain, counter } = splitCounter(name);
  // Without a URL, 'IMG(1).jpg' and 'IMG.jpg' share title and maybe second: the counter tells them apart.
  const base = meta.url ?? `${meta.title}@${meta.takenSec ?? '?'}${counter > 0 ? `(${counter})` : ''}`;
  if (variant === 'self' || variant === 'title') return base;
  return `${base}#${variant}:${plain.normalize('NFC').toLowerCase()}`;
}
