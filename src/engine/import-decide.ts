// What to do with each catalogued entry before reading any of its bytes (pure). An entry whose Takeout id
// and size are already archived is skipped unread: that is what makes a re-import fast.
import type { ManifestItem } from '../core/types.js';
import type { CatalogItem } from '../sources/takeout/catalog.js';

export type Decision = { item: CatalogItem; action: 'import' | 'trashed' | 'remembered' | 'known' | 'same-id' };

export function decide(
  items: readonly CatalogItem[],
  o: { remembered: (input: number) => boolean; includeTrashed: boolean; known: (id: string) => ManifestItem | undefined },
): Decision[] {
  const seen = new Set<string>();
  return items.map((item) => {
    if (o.remembered(item.input)) return { item, action: 'remembered' };
    if (item.trashed && !o.includeTrashed) return { item, action: 'trashed' };
    if (item.id !== undefined) {
      if (o.known(item.id)?.size === item.entry.size) return { item, action: 'known' };
      // An album copy of a year-folder photo: same id, same size. Read only the first.
      const k = `${item.id}\0${item.entry.size}`;
      if (seen.has(k)) return { item, action: 'same-id' };
      seen.add(k);
    }
    return { item, action: 'import' };
  });
}
