// startListing: a listing that runs while the run reads its manifest and disk, and learns them later.
import { describe, expect, test } from 'vitest';
import { NO_FILTER } from '../../src/core/filters.js';
import type { ManifestItem, RemoteItem, SourceRef } from '../../src/core/types.js';
import { startListing, type ArchiveView } from '../../src/engine/list-source.js';
import type { SyncEvent } from '../../src/engine/events.js';
import type { ListOptions, RandomAccessSource } from '../../src/sources/source.js';
import { remoteItem } from '../core/fake-state.js';

/** A Library-like source of `pages` pages of `perPage` items; each page waits for `gate(page)`; what mayOpen said is kept. */
function pagedSource(pages: number, gate: (page: number) => Promise<void> = () => Promise.resolve(), fail?: number, perPage = 2) {
  const asked = new Map<string, boolean>();
  let pagesServed = 0;
  let closed = false;
  const source: RandomAccessSource = {
    name: 'library',
    access: 'random',
    features: { quality: 'api-copy', selection: false, sameBytesSameItem: false },
    async *list(options?: ListOptions): AsyncIterable<RemoteItem> {
      try {
        for (let page = 0; page < pages; page++) {
          await gate(page);
          if (page === fail) throw new Error(`page ${page} failed`);
          pagesServed++;
          for (let n = 0; n < perPage; n++) {
            // A fresh object with fresh strings, as a parsed page gives.
            const item = remoteItem(`id-${page}-${n}`);
            asked.set(item.ref.id, options?.mayOpen?.(item.ref) ?? true);
            yield item;
          }
          options?.onPage?.({ items: (page + 1) * perPage, pages: page + 1 });
        }
      } finally {
        closed = true;
      }
    },
    open: () => Promise.reject(new Error('not opened in these tests')),
  };
  return { source, asked, served: () => pagesServed, closed: () => closed };
}

/** The manifest's record of an item: its own copies of the ref and strings (as read from manifest.json). */
const archivedCopy = (item: RemoteItem): ManifestItem => ({
  key: `library:${item.ref.id}`,
  refs: [{ ...item.ref }],
  path: `2019/03/${item.filename}`,
  size: 1,
  sha256: '0'.repeat(64),
  captureTime: (' ' + item.creationTime).slice(1),
  localTime: '2019-03-09T12:42:00',
  timeSource: 'api',
  mimeType: item.mimeType,
  filename: (' ' + item.filename).slice(1),
  quality: 'api-copy',
  fetchedAt: '2020-01-01T00:00:00Z',
  mtimeStamped: false,
});

/** An archive that holds the given ids, and says which of them may be opened. */
function viewOf(archivedIds: readonly string[], openable: readonly string[]): { view: ArchiveView; held: Map<string, ManifestItem> } {
  const held = new Map(archivedIds.map((id) => [id, archivedCopy(remoteItem(id))]));
  const view: ArchiveView = {
    archived: { byRef: (ref: SourceRef) => held.get(ref.id) },
    mayOpen: (ref) => openable.includes(ref.id),
  };
  return { view, held };
}

const opts = (events: SyncEvent[] = [], signal = new AbortController().signal) => ({ filter: NO_FILTER, signal, onEvent: (e: SyncEvent) => void events.push(e) });

describe('startListing', () => {
  test('pages are fetched before the archive is known; items listed then are kept openable and share the manifest strings at the end', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const s = pagedSource(3, (page) => (page === 2 ? held : Promise.resolve()));
    const events: SyncEvent[] = [];
    const listing = startListing(s.source, opts(events));
    // The first two pages arrive while the "manifest" is still being read.
    await expect.poll(() => s.served()).toBe(2);
    const { view, held: archive } = viewOf(['id-0-0', 'id-1-0', 'id-2-0'], ['id-2-1']);
    listing.know(view);
    release();
    const { items, complete } = await listing.done();
    expect(complete).toBe(true);
    expect(items.map((i) => i.ref.id)).toEqual(['id-0-0', 'id-0-1', 'id-1-0', 'id-1-1', 'id-2-0', 'id-2-1']);
    // Before know(): every URL kept (the plan's retainOnly drops the unneeded); after: the archive decides.
    expect(Object.fromEntries(s.asked)).toEqual({ 'id-0-0': true, 'id-0-1': true, 'id-1-0': true, 'id-1-1': true, 'id-2-0': false, 'id-2-1': true });
    // Archived items point at the manifest's own strings, whether listed before or after know().
    for (const id of ['id-0-0', 'id-1-0', 'id-2-0']) {
      const item = items.find((i) => i.ref.id === id);
      expect(item?.ref).toBe(archive.get(id)?.refs[0]);
      expect(item?.ref).toEqual({ source: 'library', id });
    }
    expect(items.find((i) => i.ref.id === 'id-0-1')?.ref).toEqual({ source: 'library', id: 'id-0-1' });
    expect(events.filter((e) => e.event === 'listing').length).toBe(3);
  });

  test('before the archive is known it lists only so far (ten pages of 100), then goes on; done() alone lists everything', async () => {
    const s = pagedSource(30, () => Promise.resolve(), undefined, 100);
    const listing = startListing(s.source, opts());
    await new Promise((r) => setTimeout(r, 100));
    expect(s.served()).toBeGreaterThanOrEqual(10);
    expect(s.served()).toBeLessThanOrEqual(12); // the page being handed over, and the one asked for next
    listing.know(viewOf([], []).view);
    expect((await listing.done()).items).toHaveLength(3000);

    const alone = pagedSource(30, () => Promise.resolve(), undefined, 100);
    expect((await startListing(alone.source, opts()).done()).items).toHaveLength(3000);
  });

  test('cancel stops the listing between pages, closes the source and never rejects', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const s = pagedSource(50, (page) => (page === 1 ? held : Promise.resolve()));
    const listing = startListing(s.source, opts());
    await expect.poll(() => s.served()).toBe(1);
    const cancelled = listing.cancel();
    release();
    await expect(cancelled).resolves.toBeUndefined();
    expect(s.served()).toBeLessThanOrEqual(2);
    expect(s.closed()).toBe(true);
  });

  test('a page that fails rejects done() with its error, even when it failed before anyone waited', async () => {
    const s = pagedSource(3, () => Promise.resolve(), 1);
    const listing = startListing(s.source, opts());
    await expect.poll(() => s.closed()).toBe(true); // failed, nobody waiting yet: no unhandled rejection
    listing.know(viewOf([], []).view);
    await expect(listing.done()).rejects.toThrow('page 1 failed');
    await expect(listing.cancel()).resolves.toBeUndefined();
  });

  test('Ctrl-C during the listing ends it as interrupted', async () => {
    const ctrlC = new AbortController();
    const s = pagedSource(5, (page) => {
      if (page === 2) ctrlC.abort();
      return Promise.resolve();
    });
    const listing = startListing(s.source, opts([], ctrlC.signal));
    listing.know(viewOf([], []).view);
    await expect(listing.done()).rejects.toMatchObject({ kind: 'interrupted' });
    expect(s.served()).toBeLessThan(5);
  });
});
