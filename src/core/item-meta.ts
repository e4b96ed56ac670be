// Metadata a source knows about an item (a Takeout sidecar's caption, favorite, GPS, people; its album folders)
// against what the manifest holds. Pure. A later export is the newer truth for what it says; albums only grow,
// because an export may hold only some albums.
import type { ItemMeta, ManifestItem } from './types.js';

function sameGps(a: ItemMeta['gps'], b: ItemMeta['gps']): boolean {
  return a?.latitude === b?.latitude && a?.longitude === b?.longitude && a?.altitude === b?.altitude;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === b?.[i]);
}

function mergedAlbums(had: readonly string[] | undefined, more: readonly string[] | undefined): string[] | undefined {
  if (more === undefined || more.length === 0) return had === undefined ? undefined : [...had];
  return [...new Set([...(had ?? []), ...more])].sort();
}

/** What `meta` would change in `m`, or undefined when nothing. */
export function metaChanges(meta: ItemMeta | undefined, m: ManifestItem): ItemMeta | undefined {
  if (meta === undefined) return undefined;
  const out: ItemMeta = {};
  if (meta.description !== undefined && meta.description !== m.description) out.description = meta.description;
  if (meta.gps !== undefined && !sameGps(meta.gps, m.gps)) out.gps = meta.gps;
  if (meta.people !== undefined && !sameList(meta.people, m.people)) out.people = meta.people;
  if (meta.favorite !== undefined && meta.favorite !== (m.favorite ?? false)) out.favorite = meta.favorite;
  if (meta.archived !== undefined && meta.archived !== (m.archived ?? false)) out.archived = meta.archived;
  if (meta.editOf !== undefined && meta.editOf !== m.editOf) out.editOf = meta.editOf;
  const albums = mergedAlbums(m.albums, meta.albums);
  if (!sameList(albums, m.albums)) out.albums = albums ?? [];
  return Object.keys(out).length === 0 ? undefined : out;
}

/** `m` with `meta` merged in (albums grow; false flags are left out, as the manifest writes them). */
export function withMeta(m: ManifestItem, meta: ItemMeta | undefined): ManifestItem {
  if (meta === undefined) return m;
  const out: ManifestItem = { ...m };
  if (meta.description !== undefined) out.description = meta.description;
  if (meta.gps !== undefined) out.gps = meta.gps;
  if (meta.people !== undefined) out.people = meta.people;
  if (meta.editOf !== undefined) out.editOf = meta.editOf;
  for (const flag of ['favorite', 'archived'] as const) {
    if (meta[flag] === true) out[flag] = true;
    else if (meta[flag] === false) delete out[flag];
  }
  const albums = mergedAlbums(m.albums, meta.albums);
  if (albums !== undefined && albums.length > 0) out.albums = albums;
  return out;
}
