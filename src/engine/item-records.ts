// The part of the manifest that applying a plan needs: read an item, record one durably, take one back.
// ManifestStore implements it; engine code that only applies actions depends on this, not on the store.
import type { ManifestItem } from '../core/types.js';

export interface ItemRecords {
  get(key: string): ManifestItem | undefined;
  /** Resolves once the entry is durable. */
  put(item: ManifestItem): Promise<void>;
  delete(key: string): Promise<void>;
}
