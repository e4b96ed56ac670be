// LibrarySource against the emulator over real HTTP: listing, searching, downloading, URL refresh, faults.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteItem } from '../../src/core/types.js';
import type { Emulator, EmulatorItem } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { QuotaError, RemoteError } from '../../src/errors.js';
import { GoogleApiClient } from '../../src/google/api-client.js';
import type { TokenProvider } from '../../src/google/token-provider.js';
import { LibrarySource } from '../../src/sources/library/library-source.js';
import type { LibrarySourceOptions } from '../../src/sources/library/library-source.js';
import type { ListFilter, ListProgress, Source } from '../../src/sources/source.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ items: 260, seed: 3 });
});
afterAll(async () => {
  await emu.stop();
});
afterEach(() => {
  Object.assign(emu.faults, { latencyMs: 0, rate429: 0, retryAfterSec: 1, rate5xx: 0, rateReset: 0, rateTruncate: 0 });
  emu.quota.apiPerDay = 10_000;
  emu.resetQuotaDay();
});

function tokens(): TokenProvider {
  let token = emu.issueAccessToken();
  return {
    getAccessToken: () => Promise.resolve(token),
    refreshAccessToken: () => Promise.resolve((token = emu.issueAccessToken())),
  };
}

function makeSource(extra: Partial<LibrarySourceOptions> = {}): { source: LibrarySource; client: GoogleApiClient; batches: string[][] } {
  const client = new GoogleApiClient({ tokens: tokens(), baseDelayMs: 5, maxDelayMs: 40, maxRetries: 12 });
  const batches: string[][] = [];
  const source = new LibrarySource({
    client,
    baseUrl: emu.urls.library,
    onBatchGet: (ids) => batches.push([...ids]),
    ...extra,
  });
  return { source, client, batches };
}

async function listAll(source: Source, filter: ListFilter = { media: 'all' }): Promise<{ items: RemoteItem[]; pages: number }> {
  const items: RemoteItem[] = [];
  let last: ListProgress = { items: 0, pages: 0 };
  for await (const item of source.list({ filter, onPage: (progress) => (last = progress) })) items.push(item);
  expect(last.items).toBe(items.length);
  return { items, pages: last.pages };
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function requests(route: string): number {
  return emu.stats().requests[route] ?? 0;
}

/** What the source should report for an emulator item. */
function expected(e: EmulatorItem): Partial<RemoteItem> {
  return {
    ref: { source: 'library', id: e.id },
    filename: e.filename,
    mimeType: e.mimeType,
    kind: e.kind,
    creationTime: e.creationTime,
    width: e.width,
    height: e.height,
    ...(e.videoStatus === undefined ? {} : { videoStatus: e.videoStatus }),
  };
}

const downloadable = (i: RemoteItem): boolean => i.kind === 'photo' || i.videoStatus === 'READY';

describe('LibrarySource.list', () => {
  it('lists every item exactly once with the right fields, one request per page', async () => {
    const { source } = makeSource();
    const before = requests('mediaItems.list');
    const { items, pages } = await listAll(source);
    expect(requests('mediaItems.list') - before).toBe(pages);
    expect(pages).toBe(Math.ceil(emu.items.length / 100));
    const ids = items.map((i) => i.ref.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(emu.items.map((e) => e.id).sort());
    const byId = new Map(items.map((i) => [i.ref.id, i]));
    for (const e of emu.items) expect(byId.get(e.id)).toMatchObject(expected(e));
  });

  it('searches with a date range and a media type, one request per page', async () => {
    const { source } = makeSource();
    const filter: ListFilter = { from: '2015', to: '2022-12-31', media: 'photos' };
    const apiFilters = {
      dateFilter: { ranges: [{ startDate: { year: 2015, month: 1, day: 1 }, endDate: { year: 2022, month: 12, day: 31 } }] },
      mediaTypeFilter: { mediaTypes: ['PHOTO'] },
    };
    const before = requests('mediaItems.search');
    const { items, pages } = await listAll(source, { ...filter, apiFilters });
    expect(requests('mediaItems.search') - before).toBe(pages);
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((i) => i.ref.id)).size).toBe(items.length);
    const byId = new Map(emu.items.map((e) => [e.id, e]));
    for (const item of items) {
      const e = byId.get(item.ref.id)!;
      expect(item).toMatchObject(expected(e));
      expect(item.kind).toBe('photo');
      // The API filters on the capture date as the camera wrote it, else on creationTime.
      const year = Number((e.exifDateTimeOriginal ?? e.creationTime).slice(0, 4));
      expect(year).toBeGreaterThanOrEqual(2015);
      expect(year).toBeLessThanOrEqual(2022);
    }
    const videos = await listAll(source, { media: 'videos', apiFilters: { mediaTypeFilter: { mediaTypes: ['VIDEO'] }, includeArchivedMedia: true } });
    expect(videos.items.length).toBeGreaterThan(0);
    expect(videos.items.every((i) => i.kind === 'video')).toBe(true);
  });

  it('fails fast with QuotaError when the daily quota runs out mid-listing', async () => {
    const { source, client } = makeSource();
    emu.quota.apiPerDay = emu.stats().apiRequestsToday + 1;
    const started = Date.now();
    await expect(listAll(source)).rejects.toBeInstanceOf(QuotaError);
    expect(client.counters.retries).toBe(0);
    expect(client.counters.apiCalls).toBe(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('LibrarySource.open', () => {
  it('downloads photos (=d) and READY videos (=dv) byte for byte', async () => {
    const { source } = makeSource();
    const { items } = await listAll(source);
    const photos = items.filter((i) => i.kind === 'photo').slice(0, 15);
    const videos = items.filter((i) => i.kind === 'video' && i.videoStatus === 'READY');
    expect(videos.length).toBeGreaterThan(0);
    for (const item of [...photos, ...videos]) {
      const { body, contentLength } = await source.open(item);
      const bytes = await readAll(body);
      expect(bytes.equals(emu.downloadBytes(item.ref.id)), item.filename).toBe(true);
      if (contentLength !== undefined) expect(contentLength).toBe(bytes.length);
    }
  });

  it('refuses a video that is not READY without a request', async () => {
    const { source, client } = makeSource();
    const { items } = await listAll(source);
    const processing = items.find((i) => i.kind === 'video' && i.videoStatus !== 'READY')!;
    expect(processing).toBeDefined();
    const err = await source.open(processing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).retryable).toBe(false);
    expect(client.counters.byteCalls).toBe(0);
  });

  it('completes listing and downloads under injected 429s and 5xx', async () => {
    Object.assign(emu.faults, { rate429: 0.3, retryAfterSec: 0.05, rate5xx: 0.2 });
    const { source, client } = makeSource();
    const { items } = await listAll(source);
    expect(items).toHaveLength(emu.items.length);
    const sample = items.filter(downloadable).slice(0, 25);
    await Promise.all(
      sample.map(async (item) => {
        const bytes = await readAll((await source.open(item)).body);
        expect(bytes.equals(emu.downloadBytes(item.ref.id))).toBe(true);
      }),
    );
    expect(client.counters.retries).toBeGreaterThan(0);
  });

  it('refreshes expired baseUrls with batchGet in batches of at most 50', async () => {
    const { source, client, batches } = makeSource();
    const { items } = await listAll(source);
    emu.expireBaseUrls();
    const wanted = items.filter(downloadable).slice(0, 120);
    const beforeBatchGet = requests('mediaItems.batchGet');
    await Promise.all(
      wanted.map(async (item) => {
        const bytes = await readAll((await source.open(item)).body);
        expect(bytes.equals(emu.downloadBytes(item.ref.id))).toBe(true);
      }),
    );
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(wanted.length / 50));
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(wanted.length / 50) + 2);
    expect(batches.every((b) => b.length <= 50 && b.length > 0)).toBe(true);
    // Coalesced: far fewer API calls than items.
    expect(batches.length).toBeLessThan(wanted.length / 4);
    expect(requests('mediaItems.batchGet') - beforeBatchGet).toBe(batches.length);
    // Batches with room are padded with other stale ids, so every wanted id is among the refreshed ones.
    const refreshed = new Set(batches.flat());
    expect(wanted.every((i) => refreshed.has(i.ref.id))).toBe(true);
    expect(batches.every((b) => new Set(b).size === b.length)).toBe(true);
    expect(client.counters.byteCalls).toBe(wanted.length * 2);
  });

  it('refreshes expired baseUrls under injected 429s and 5xx too', async () => {
    const { source } = makeSource();
    const { items } = await listAll(source);
    emu.expireBaseUrls();
    Object.assign(emu.faults, { rate429: 0.3, retryAfterSec: 0.05, rate5xx: 0.2 });
    const wanted = items.filter(downloadable).slice(0, 60);
    await Promise.all(
      wanted.map(async (item) => {
        const bytes = await readAll((await source.open(item)).body);
        expect(bytes.equals(emu.downloadBytes(item.ref.id))).toBe(true);
      }),
    );
  });

  it('refreshes baseUrls older than 55 minutes before fetching (no wasted 403)', async () => {
    let now = Date.now();
    const { source, client, batches } = makeSource({ now: () => now });
    const { items } = await listAll(source);
    now += 56 * 60_000;
    const [first, ...next] = items.filter(downloadable).slice(0, 10);
    const bytes = await readAll((await source.open(first!)).body);
    expect(bytes.equals(emu.downloadBytes(first!.ref.id))).toBe(true);
    // One batchGet, padded with the other stale ids in listing order...
    expect(batches).toHaveLength(1);
    expect(batches[0]![0]).toBe(first!.ref.id);
    expect(batches[0]).toHaveLength(50);
    // ...so the next downloads need no API call at all.
    for (const item of next) expect((await readAll((await source.open(item)).body)).equals(emu.downloadBytes(item.ref.id))).toBe(true);
    expect(batches).toHaveLength(1);
    expect(client.counters.byteCalls).toBe(10);
  });

  it('opens an item it never listed by fetching its baseUrl first', async () => {
    const { source, batches } = makeSource();
    const e = emu.items.find((i) => i.kind === 'photo')!;
    const item: RemoteItem = { ref: { source: 'library', id: e.id }, filename: e.filename, mimeType: e.mimeType, kind: 'photo', creationTime: e.creationTime };
    const bytes = await readAll((await source.open(item)).body);
    expect(bytes.equals(emu.downloadBytes(e.id))).toBe(true);
    expect(batches).toEqual([[e.id]]);
  });

  it('keeps baseUrls only for items the caller may open; another one opened anyway costs one batchGet', async () => {
    const { source, batches, client } = makeSource();
    const photos = emu.items.filter((i) => i.kind === 'photo').slice(0, 2).map((e) => e.id);
    const [wanted, notWanted] = photos as [string, string];
    const items: RemoteItem[] = [];
    for await (const item of source.list({ mayOpen: (ref) => ref.id === wanted })) items.push(item);
    const byId = (id: string): RemoteItem => items.find((i) => i.ref.id === id)!;
    expect((await readAll((await source.open(byId(wanted))).body)).equals(emu.downloadBytes(wanted))).toBe(true);
    expect(batches).toEqual([]);
    expect((await readAll((await source.open(byId(notWanted))).body)).equals(emu.downloadBytes(notWanted))).toBe(true);
    expect(batches).toEqual([[notWanted]]);
    expect(client.counters.byteCalls).toBe(2);
  });

  it('reports an item deleted from Google as non-retryable "no longer exists"', async () => {
    const { source } = makeSource();
    const { items } = await listAll(source);
    const victim = items.find(downloadable)!;
    emu.removeItem(victim.ref.id);
    emu.expireBaseUrls();
    const err = await source.open(victim).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).retryable).toBe(false);
    expect((err as RemoteError).message).toMatch(/no longer exists/);
  });
});
