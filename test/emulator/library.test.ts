// Library API listing, get, batchGet, albums and wire shapes, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { Page, RpcErrorBody, WireItem } from './helpers.js';
import { api, search } from './helpers.js';

let e: Emulator;
let token: string;

beforeAll(async () => {
  e = await startEmulator({ items: 120, seed: 7 });
  token = e.issueAccessToken();
});
afterAll(async () => {
  await e.stop();
});

async function listAll(pageSize: number): Promise<{ items: WireItem[]; pages: Page[] }> {
  const items: WireItem[] = [];
  const pages: Page[] = [];
  let pageToken: string | undefined;
  do {
    const q = new URLSearchParams({ pageSize: String(pageSize), ...(pageToken ? { pageToken } : {}) });
    const res = await api(e, token, `mediaItems?${q.toString()}`);
    expect(res.status).toBe(200);
    const page = res.body as Page;
    pages.push(page);
    items.push(...(page.mediaItems ?? []));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return { items, pages };
}

describe('mediaItems.list', () => {
  it('visits every item exactly once, newest first, and the last page has no nextPageToken', async () => {
    const { items, pages } = await listAll(50);
    expect(pages).toHaveLength(3);
    expect(items.map((i) => i.id).sort()).toEqual(e.items.map((i) => i.id).sort());
    expect(new Set(items.map((i) => i.id)).size).toBe(120);
    expect(pages.at(-1)).not.toHaveProperty('nextPageToken');
    const times = items.map((i) => i.mediaMetadata.creationTime);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('defaults to 25 and clamps above 100; negative and non-numeric sizes are 400', async () => {
    const big = await startEmulator({ items: 130, seed: 3 });
    try {
      const t = big.issueAccessToken();
      const def = (await api(big, t, 'mediaItems')).body as Page;
      expect(def.mediaItems).toHaveLength(25);
      const clamped = (await api(big, t, 'mediaItems?pageSize=1000')).body as Page;
      expect(clamped.mediaItems).toHaveLength(100);
      expect((await api(big, t, 'mediaItems?pageSize=-1')).status).toBe(400);
      expect((await api(big, t, 'mediaItems?pageSize=abc')).status).toBe(400);
    } finally {
      await big.stop();
    }
  });

  it('sends width/height as strings, Google URL shapes, and omits empty fields', async () => {
    const page = (await api(e, token, 'mediaItems?pageSize=100')).body as Page;
    for (const item of page.mediaItems ?? []) {
      expect(typeof item.mediaMetadata.width).toBe('string');
      expect(typeof item.mediaMetadata.height).toBe('string');
      expect(item.productUrl).toBe(`https://photos.google.com/lr/photo/${item.id}`);
      expect(item.baseUrl.startsWith(`${e.urls.bytes}/lr/`)).toBe(true);
      expect(item.mediaMetadata.creationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const video = page.mediaItems?.find((i) => i.mimeType === 'video/mp4');
    expect(video?.mediaMetadata.video?.status).toMatch(/READY|PROCESSING|FAILED/);
    const empty = await startEmulator({ items: 0 });
    try {
      expect((await api(empty, empty.issueAccessToken(), 'mediaItems')).body).toEqual({});
    } finally {
      await empty.stop();
    }
  });

  it('rejects forged page tokens and tokens of another query', async () => {
    const forged = await api(e, token, 'mediaItems?pageToken=CAUQAA');
    expect(forged.status).toBe(400);
    expect((forged.body as RpcErrorBody).error.status).toBe('INVALID_ARGUMENT');
    const first = (await api(e, token, 'mediaItems?pageSize=10')).body as Page;
    const crossed = await search(e, token, { pageToken: first.nextPageToken });
    expect(crossed.status).toBe(400);
  });

  it('keeps paging exact when the last item sent is removed between pages', async () => {
    const local = await startEmulator({ items: 30, seed: 11 });
    try {
      const t = local.issueAccessToken();
      const p1 = (await api(local, t, 'mediaItems?pageSize=10')).body as Page;
      local.removeItem(p1.mediaItems!.at(-1)!.id);
      const rest: WireItem[] = [];
      let next = p1.nextPageToken;
      while (next) {
        const p = (await api(local, t, `mediaItems?pageSize=10&pageToken=${next}`)).body as Page;
        rest.push(...(p.mediaItems ?? []));
        next = p.nextPageToken;
      }
      expect(p1.mediaItems!.length + rest.length).toBe(30);
      expect(new Set([...p1.mediaItems!, ...rest].map((i) => i.id)).size).toBe(30);
    } finally {
      await local.stop();
    }
  });

  it('tolerates standard query parameters and rejects unknown ones', async () => {
    expect((await api(e, token, 'mediaItems?alt=json&prettyPrint=false&fields=*&quotaUser=x&%24.xgafv=2&key=k')).status).toBe(200);
    const res = await api(e, token, 'mediaItems?pagesize=10');
    expect(res.status).toBe(400);
    expect((res.body as RpcErrorBody).error.message).toContain('pagesize');
  });
});

describe('mediaItems.get and batchGet', () => {
  it('gets one item, 404 NOT_FOUND for an unknown id', async () => {
    const item = e.items[5]!;
    const ok = await api(e, token, `mediaItems/${item.id}`);
    expect(ok.status).toBe(200);
    expect((ok.body as WireItem).filename).toBe(item.filename);
    const missing = await api(e, token, 'mediaItems/AF1QipDoesNotExist0000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 404, message: expect.any(String) as string, status: 'NOT_FOUND' } });
  });

  it('returns results in request order with per-item status for unknown ids', async () => {
    const [a, b] = [e.items[3]!.id, e.items[9]!.id];
    const q = [b, 'AF1QipUnknownUnknownUnknown', a, 'bad id!'].map((id) => `mediaItemIds=${encodeURIComponent(id)}`).join('&');
    const res = await api(e, token, `mediaItems:batchGet?${q}`);
    expect(res.status).toBe(200);
    const results = (res.body as { mediaItemResults: Array<{ mediaItem?: WireItem; status?: { code: number; message: string } }> }).mediaItemResults;
    expect(results.map((r) => r.mediaItem?.id ?? r.status?.code)).toEqual([b, 5, a, 3]);
  });

  it('rejects empty, more than 50 and repeated ids', async () => {
    expect((await api(e, token, 'mediaItems:batchGet')).status).toBe(400);
    const ids51 = e.items.slice(0, 51).map((i) => `mediaItemIds=${i.id}`).join('&');
    expect((await api(e, token, `mediaItems:batchGet?${ids51}`)).status).toBe(400);
    const ids50 = e.items.slice(0, 50).map((i) => `mediaItemIds=${i.id}`).join('&');
    expect((await api(e, token, `mediaItems:batchGet?${ids50}`)).status).toBe(200);
    const id = e.items[0]!.id;
    expect((await api(e, token, `mediaItems:batchGet?mediaItemIds=${id}&mediaItemIds=${id}`)).status).toBe(400);
  });
});

describe('albums', () => {
  it('lists app-created albums with string counts; get and album search agree', async () => {
    const res = await api(e, token, 'albums');
    expect(res.status).toBe(200);
    const albums = (res.body as { albums: Array<{ id: string; title: string; mediaItemsCount?: string; productUrl: string; coverPhotoBaseUrl?: string }> }).albums;
    expect(albums.length).toBeGreaterThanOrEqual(3);
    const withItems = albums.find((a) => a.mediaItemsCount !== undefined)!;
    expect(typeof withItems.mediaItemsCount).toBe('string');
    expect(withItems.productUrl).toBe(`https://photos.google.com/lr/album/${withItems.id}`);
    const empty = albums.find((a) => a.title === 'Empty album')!;
    expect(empty).not.toHaveProperty('mediaItemsCount');

    const got = await api(e, token, `albums/${withItems.id}`);
    expect((got.body as { title: string }).title).toBe(withItems.title);
    const inAlbum = await search(e, token, { albumId: withItems.id, pageSize: 100 });
    expect(inAlbum.body.mediaItems).toHaveLength(Number(withItems.mediaItemsCount));
    expect(inAlbum.body.mediaItems![0]!.productUrl).toContain(`/lr/album/${withItems.id}/photo/`);
    expect((await api(e, token, 'albums/AF1QipNoSuchAlbum000000')).status).toBe(404);
  });

  it('pages albums: default 20, max 50', async () => {
    const two = (await api(e, token, 'albums?pageSize=2')).body as { albums: unknown[]; nextPageToken?: string };
    expect(two.albums).toHaveLength(2);
    expect(two.nextPageToken).toBeDefined();
    expect((await api(e, token, 'albums?pageSize=500')).status).toBe(200);
  });

  it('sharedAlbums is 403 PERMISSION_DENIED', async () => {
    const res = await api(e, token, 'sharedAlbums');
    expect(res.status).toBe(403);
    expect((res.body as RpcErrorBody).error.status).toBe('PERMISSION_DENIED');
  });
});
