// Album membership comes from the folders an item's copies sat in; it only grows (an import never
// forgets an album an earlier export showed).
import type { ManifestStore } from '../archive/manifest-store.js';
import type { CatalogItem } from '../sources/takeout/catalog.js';

export async function recordAlbums(manifest: ManifestStore, items: readonly CatalogItem[], keyOf: ReadonlyMap<CatalogItem, string>): Promise<void> {
  const albums = new Map<string, Set<string>>();
  for (const item of items) {
    const key = keyOf.get(item);
    if (item.album === undefined || key === undefined) continue;
    albums.set(key, (albums.get(key) ?? new Set()).add(item.album));
  }
  const puts: Promise<void>[] = [];
  for (const [key, titles] of albums) {
    const existing = manifest.get(key);
    if (existing === undefined) continue;
    const merged = [...new Set([...(existing.albums ?? []), ...titles])].sort();
    if (merged.length !== (existing.albums ?? []).length) puts.push(manifest.put({ ...existing, albums: merged }));
  }
  await Promise.all(puts);
}
