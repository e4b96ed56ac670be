// The manifest as it is in memory: items by key, indexed by ref and path, and each source's last-listing facts.
// Changed only through apply(), with ops the store has made durable (manifest-store.ts), so it always shows what
// a reopen would.
import type { ManifestItem, SourceRef } from '../core/types.js';
import { refKey } from '../core/types.js';
import type { JournalOp, SourceMeta } from './manifest-format.js';

/** Distinct values compactStrings shares (mime types, sources, ...): a bound, should a manifest hold odd ones. */
const MAX_SHARED_STRINGS = 1000;

export class ManifestView {
  private readonly itemsByKey = new Map<string, ManifestItem>();
  /**
   * refKey -> item key, for refs other than the one an item's key is made of: most items hold just that one, and
   * itemsByKey finds it (a 100k-entry Map less, ~8 MB at 100k items with its growth).
   */
  private readonly otherRefs = new Map<string, string>();
  /** path -> item key; built on first use (a no-op sync never needs it). */
  private pathIndex: Map<string, string> | undefined;
  private readonly sources = new Map<string, SourceMeta>();
  /** See compactStrings. */
  private readonly sharedStrings = new Map<string, string>();

  get size(): number {
    return this.itemsByKey.size;
  }

  items(): IterableIterator<ManifestItem> {
    return this.itemsByKey.values();
  }

  get(key: string): ManifestItem | undefined {
    return this.itemsByKey.get(key);
  }

  byRef(ref: SourceRef): ManifestItem | undefined {
    const key = this.refOwner(ref);
    return key === undefined ? undefined : this.itemsByKey.get(key);
  }

  byPath(path: string): ManifestItem | undefined {
    const key = this.pathHolder(path);
    return key === undefined ? undefined : this.itemsByKey.get(key);
  }

  /** Key of the item at `path`. */
  pathHolder(path: string): string | undefined {
    return this.paths().get(path);
  }

  sourceMeta(source: string): SourceMeta {
    return { ...this.sources.get(source) };
  }

  /** What a snapshot writes: the item Map itself (no 100k-key copy) and the sources. */
  snapshotParts(): { items: ReadonlyMap<string, ManifestItem>; sources: Record<string, SourceMeta> } {
    return { items: this.itemsByKey, sources: Object.fromEntries(this.sources) };
  }

  apply(op: JournalOp): void {
    switch (op.op) {
      case 'put':
        this.applyPut(op.item);
        break;
      case 'del':
        this.applyDelete(op.key);
        break;
      case 'meta':
        this.sources.set(op.source, op.meta);
        break;
    }
  }

  private applyPut(item: ManifestItem): void {
    this.applyDelete(item.key);
    this.compactStrings(item);
    for (const ref of item.refs) Object.freeze(ref);
    Object.freeze(item.refs);
    Object.freeze(item); // callers get the stored object: mutating it would bypass the journal
    this.itemsByKey.set(item.key, item);
    for (const ref of item.refs) {
      const k = refKey(ref);
      if (k !== item.key) this.otherRefs.set(k, item.key);
    }
    this.pathIndex?.set(item.path, item.key);
  }

  /** Key of the item holding `ref`. */
  refOwner(ref: SourceRef): string | undefined {
    const k = refKey(ref);
    const own = this.itemsByKey.get(k);
    if (own !== undefined && own.refs.some((r) => r.source === ref.source && r.id === ref.id)) return k;
    return this.otherRefs.get(k);
  }

  private paths(): Map<string, string> {
    if (this.pathIndex === undefined) {
      this.pathIndex = new Map();
      for (const item of this.itemsByKey.values()) this.pathIndex.set(item.path, item.key);
    }
    return this.pathIndex;
  }

  /**
   * Every JSON.parse'd item has its own copy of each string: share the few values most items repeat, and let a
   * ref's id be a slice of the key that contains it. Same values, ~9 MB less live heap at 100k items. The item is
   * the store's own (parsed from disk or from the journal line), not yet frozen.
   */
  private compactStrings(item: ManifestItem): void {
    // Only fields that are strings: a damaged manifest may lack them (itemProblem checks fewer), and an absent
    // field must stay absent.
    if (typeof item.timeSource === 'string') item.timeSource = this.shared(item.timeSource);
    if (typeof item.mimeType === 'string') item.mimeType = this.shared(item.mimeType);
    if (typeof item.quality === 'string') item.quality = this.shared(item.quality);
    for (const ref of item.refs) {
      ref.source = this.shared(ref.source);
      const at = ref.source.length + 1;
      if (item.key.length === at + ref.id.length && item.key.startsWith(ref.source) && item.key.charCodeAt(at - 1) === 0x3a && item.key.endsWith(ref.id)) {
        ref.id = item.key.slice(at);
      }
    }
  }

  private shared<T extends string>(value: T): T {
    const known = this.sharedStrings.get(value);
    if (known !== undefined) return known as T;
    if (this.sharedStrings.size < MAX_SHARED_STRINGS) this.sharedStrings.set(value, value);
    return value;
  }

  private applyDelete(key: string): void {
    const old = this.itemsByKey.get(key);
    if (old === undefined) return;
    this.itemsByKey.delete(key);
    for (const ref of old.refs) {
      const k = refKey(ref);
      if (this.otherRefs.get(k) === key) this.otherRefs.delete(k);
    }
    if (this.pathIndex?.get(old.path) === key) this.pathIndex.delete(old.path);
  }
}
