// The part the Library and Picker sources share, without a server: how pages are followed and how an item's bytes
// are opened (the emulator tests in library-source and picker-source prove both against real HTTP).
import { describe, expect, it } from 'vitest';
import type { RemoteItem } from '../../src/core/types.js';
import { RemoteError } from '../../src/errors.js';
import type { FetchBytesOptions, FetchedBytes } from '../../src/google/api-client.js';
import { listGooglePages, openGoogleMedia, type ListedPage, type WirePage } from '../../src/sources/google-media.js';

interface Wire {
  id: string;
  valid: boolean;
}

const itemOf = (wire: Wire): RemoteItem | undefined =>
  wire.valid ? { ref: { source: 'library', id: wire.id }, filename: `${wire.id}.jpg`, mimeType: 'image/jpeg', kind: 'photo', creationTime: '2020-01-01T00:00:00Z' } : undefined;

async function collect(pages: AsyncIterable<ListedPage<Wire>>): Promise<{ ids: string[][]; progress: { items: number; pages: number }[]; error?: unknown }> {
  const out: { ids: string[][]; progress: { items: number; pages: number }[]; error?: unknown } = { ids: [], progress: [] };
  try {
    for await (const page of pages) {
      out.ids.push(page.items.map((i) => i.wire.id));
      out.progress.push(page.progress);
    }
  } catch (e) {
    out.error = e;
  }
  return out;
}

describe('listGooglePages', () => {
  it('follows nextPageToken to the end, leaves out what toItem refuses, and counts items and pages', async () => {
    const served: Record<string, WirePage<Wire>> = {
      '': { mediaItems: [{ id: 'a', valid: true }, { id: 'bad', valid: false }], nextPageToken: 't1' },
      t1: { nextPageToken: 't2' },
      t2: { mediaItems: [{ id: 'c', valid: true }], nextPageToken: '' },
    };
    const asked: (string | undefined)[] = [];
    const got = await collect(listGooglePages('Test API', (token) => (asked.push(token), Promise.resolve(served[token ?? ''] ?? {})), itemOf));
    expect(got.error).toBeUndefined();
    expect(asked).toEqual([undefined, 't1', 't2']);
    expect(got.ids).toEqual([['a'], [], ['c']]);
    expect(got.progress).toEqual([{ items: 1, pages: 1 }, { items: 1, pages: 2 }, { items: 2, pages: 3 }]);
  });

  it('asks for the next page while the caller is still on this one, and a caller that stops costs one request more', async () => {
    const asked: (string | undefined)[] = [];
    const fetchPage = (token: string | undefined): Promise<WirePage<Wire>> => {
      asked.push(token);
      const n = Number(token ?? 0);
      // Page 2 fails: the caller has stopped before it, so that failure must go nowhere (no unhandled rejection).
      if (n === 2) return Promise.reject(new RemoteError('HTTP 503', { status: 503 }));
      return Promise.resolve({ mediaItems: [{ id: `i${n}`, valid: true }], nextPageToken: String(n + 1) });
    };
    const seenWhileOnPage: number[] = [];
    for await (const page of listGooglePages('Test API', fetchPage, itemOf)) {
      seenWhileOnPage.push(asked.length);
      if (page.progress.pages === 2) break;
    }
    // On page 1 the request for page 2 ('1') was already out; on page 2, the one for page 3 ('2').
    expect(seenWhileOnPage).toEqual([2, 3]);
    expect(asked).toEqual([undefined, '1', '2']);
  });

  it('stops with a retryable RemoteError naming the API when a token comes back twice, after handing over the page', async () => {
    const got = await collect(listGooglePages('Test API', () => Promise.resolve({ mediaItems: [{ id: 'a', valid: true }], nextPageToken: 'loop' }), itemOf));
    expect(got.ids).toEqual([['a'], ['a']]);
    expect(got.error).toBeInstanceOf(RemoteError);
    expect(got.error).toMatchObject({ message: 'The Test API repeated a page token', retryable: true });
  });
});

describe('openGoogleMedia', () => {
  const photo: RemoteItem = { ref: { source: 'picker', id: 'p' }, filename: 'p.jpg', mimeType: 'image/jpeg', kind: 'photo', creationTime: '2020-01-01T00:00:00Z' };
  const video: RemoteItem = { ...photo, ref: { source: 'picker', id: 'v' }, filename: 'v.mp4', mimeType: 'video/mp4', kind: 'video', videoStatus: 'READY' };

  /** A byte host that refuses the URLs in `refused` with `status`. */
  function host(refused: ReadonlySet<string>, status = 403): { fetchBytes: (url: string, init?: FetchBytesOptions) => Promise<FetchedBytes>; asked: { url: string; init: FetchBytesOptions | undefined }[] } {
    const asked: { url: string; init: FetchBytesOptions | undefined }[] = [];
    return {
      asked,
      fetchBytes: (url, init) => {
        asked.push({ url, init });
        if (refused.has(url)) return Promise.reject(new RemoteError(`HTTP ${status}`, { status }));
        const body = (async function* () {
          await Promise.resolve();
          yield new Uint8Array([1, 2]);
        })();
        return Promise.resolve({ status: 200, body, contentLength: 2 });
      },
    };
  }
  const base = { baseUrlOf: (url: string) => url, expired: (e: RemoteError) => e.status === 403 };

  it("asks for '=d' for a photo and '=dv' for a video, with the bearer token only when told", async () => {
    const client = host(new Set());
    const bytes = await openGoogleMedia(photo, { ...base, client, url: 'https://h/p', renewed: false, renew: () => Promise.resolve(undefined) });
    expect(bytes.contentLength).toBe(2);
    await openGoogleMedia(video, { ...base, client, url: 'https://h/v', renewed: false, renew: () => Promise.resolve(undefined), bearer: true });
    expect(client.asked).toEqual([{ url: 'https://h/p=d', init: {} }, { url: 'https://h/v=dv', init: { bearer: true } }]);
  });

  it('renews an expired URL once, and a second refusal stands', async () => {
    const client = host(new Set(['https://h/old=d', 'https://h/new=d']));
    const renewals: string[] = [];
    const opening = openGoogleMedia(photo, { ...base, client, url: 'https://h/old', renewed: false, renew: (stale) => (renewals.push(stale), Promise.resolve('https://h/new')) });
    await expect(opening).rejects.toThrow('HTTP 403');
    expect(renewals).toEqual(['https://h/old']);
    expect(client.asked.map((a) => a.url)).toEqual(['https://h/old=d', 'https://h/new=d']);
  });

  it('keeps the refusal when it is not an expiry, when the URL was just renewed, or when no fresh one exists', async () => {
    let renewals = 0;
    const renew = (): Promise<string> => (renewals++, Promise.resolve('https://h/new'));
    await expect(openGoogleMedia(photo, { ...base, client: host(new Set(['https://h/x=d']), 404), url: 'https://h/x', renewed: false, renew })).rejects.toThrow('HTTP 404');
    await expect(openGoogleMedia(photo, { ...base, client: host(new Set(['https://h/x=d'])), url: 'https://h/x', renewed: true, renew })).rejects.toThrow('HTTP 403');
    expect(renewals).toBe(0);
    await expect(openGoogleMedia(photo, { ...base, client: host(new Set(['https://h/x=d'])), url: 'https://h/x', renewed: false, renew: () => Promise.resolve(undefined) })).rejects.toThrow('HTTP 403');
  });

  it('opens from the renewed URL', async () => {
    const client = host(new Set(['https://h/old=d']));
    const bytes = await openGoogleMedia(photo, { ...base, client, url: 'https://h/old', renewed: false, renew: () => Promise.resolve('https://h/new') });
    const chunks: Uint8Array[] = [];
    for await (const c of bytes.body) chunks.push(c);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([1, 2]));
    expect(client.asked.map((a) => a.url)).toEqual(['https://h/old=d', 'https://h/new=d']);
  });
});
