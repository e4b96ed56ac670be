// Which entries of a set of Takeout inputs are media, and which sidecar, album and trash state each has.
// Pure: built from the entry lists and the JSON bodies of every input at once, because a photo's sidecar
// may sit in another archive of the same export (§4.1).
import { baseOf, dirOf } from './entry-path.js';
import type { Entry } from './input.js';
import {
  extOf, isAlbumMetaName, isMediaName, isTrashFolder, liveStillNames, noExtensionStem, parseSidecarName,
  sidecarOwners, sidecarStems, splitCounter,
} from './names.js';
import { parseAlbumMeta, parseSidecar, type SidecarMeta } from './sidecar.js';

export type Variant = 'self' | 'edited' | 'motion' | 'tilde' | 'live' | 'title' | 'none';

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
}

export interface CatalogProblem {
  path: string;
  reason: 'bad-sidecar';
  detail: string;
}

export interface Catalog {
  items: CatalogItem[];
  problems: CatalogProblem[];
  sidecars: number;
  albums: number;
}

// Year folders are not albums even when a metadata.json sits in them (gpth #10); only a few locales are known.
const YEAR_TITLE = /^(photos from|fotos von|fotos de|photos de|foto dal|foto del|zdjęcia z|foto's uit|фото за) \d{4}$/i;

const key = (dir: string, stem: string, counter: number): string => `${dir}\0${stem.normalize('NFC')}\0${counter}`;

export function buildCatalog(inputs: readonly { entries: readonly Entry[]; json: ReadonlyMap<string, string> }[]): Catalog {
  const problems: CatalogProblem[] = [];
  const albumByDir = new Map<string, string>();
  const sidecarByKey = new Map<string, string>();
  const byTitle = new Map<string, string[]>();
  const parsed = new Map<string, SidecarMeta>();
  let sidecars = 0;

  for (const { json } of inputs) {
    for (const [path, text] of json) {
      const dir = dirOf(path);
      const name = baseOf(path);
      if (isAlbumMetaName(name)) {
        const album = parseAlbumMeta(text);
        if (album !== undefined && !YEAR_TITLE.test(album.title.trim())) albumByDir.set(dir, album.title);
        if (album !== undefined || !text.includes('photoTakenTime')) continue;
      }
      const sc = parseSidecarName(name);
      if (sc === undefined || parsed.has(path)) continue;
      const meta = parseSidecar(text);
      if (typeof meta === 'string') {
        // print-subscriptions.json, user-generated-memory-titles.json…: JSON that is not about one photo.
        if (text.includes('photoTakenTime') || text.includes('"title"')) problems.push({ path, reason: 'bad-sidecar', detail: meta });
        continue;
      }
      sidecars++;
      parsed.set(path, meta);
      const k = key(dir, sc.stem, sc.counter);
      if (!sidecarByKey.has(k)) sidecarByKey.set(k, path);
      const tk = `${dir}\0${meta.title.normalize('NFC').toLowerCase()}`;
      byTitle.set(tk, [...(byTitle.get(tk) ?? []), path]);
    }
  }

  const mediaPaths = new Set<string>();
  for (const { entries } of inputs) for (const e of entries) if (isMediaName(baseOf(e.path))) mediaPaths.add(e.path);

  const lookup = (dir: string, base: string, counter: number): string | undefined => {
    for (const stem of sidecarStems(base)) {
      const hit = sidecarByKey.get(key(dir, stem, counter));
      if (hit !== undefined) return hit;
    }
    return undefined;
  };

  const find = (dir: string, name: string): { path: string; variant: Variant } | undefined => {
    const { base, counter } = splitCounter(name);
    for (const owner of sidecarOwners(base)) {
      const hit = lookup(dir, owner.base, counter);
      if (hit !== undefined) return { path: hit, variant: owner.variant };
    }
    for (const still of liveStillNames(base)) {
      const stillName = counter > 0 ? splitBack(still, counter) : still;
      if (!mediaPaths.has(dir === '' ? stillName : `${dir}/${stillName}`)) continue;
      const hit = lookup(dir, still, counter);
      if (hit !== undefined) return { path: hit, variant: 'live' };
    }
    const bare = noExtensionStem(base);
    if (bare !== undefined) {
      const hit = sidecarByKey.get(key(dir, bare, counter));
      if (hit !== undefined) return { path: hit, variant: 'self' };
    }
    const titled = byTitle.get(`${dir}\0${base.normalize('NFC').toLowerCase()}`);
    if (titled?.length === 1 && titled[0] !== undefined) return { path: titled[0], variant: 'title' };
    return undefined;
  };

  const items: CatalogItem[] = [];
  const taken = new Set<string>();
  inputs.forEach(({ entries }, input) => {
    for (const entry of entries) {
      const name = baseOf(entry.path);
      if (taken.has(entry.path)) continue; // the same file in two overlapping inputs
      const dir = dirOf(entry.path);
      const media = isMediaName(name);
      if (!media && extOf(name) !== '') continue;
      const found = find(dir, name);
      if (!media && found === undefined) continue; // an extensionless file is media only when a sidecar says so
      taken.add(entry.path);
      const sidecar = found === undefined ? undefined : parsed.get(found.path);
      const album = albumByDir.get(dir);
      const variant = found?.variant ?? 'none';
      const id = sidecar === undefined ? undefined : takeoutId(sidecar, variant, name);
      items.push({
        input,
        entry,
        name,
        variant,
        trashed: sidecar?.trashed === true || dir.split('/').some(isTrashFolder),
        ...(sidecar === undefined ? {} : { sidecar }),
        ...(album === undefined ? {} : { album }),
        ...(id === undefined ? {} : { id }),
      });
    }
  });
  return { items, problems, sidecars, albums: new Set(albumByDir.values()).size };
}

function splitBack(name: string, counter: number): string {
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}(${counter})${name.slice(dot)}`;
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
