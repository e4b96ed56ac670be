// GoogleApiClient against the emulator over real HTTP: auth, retries, quota, aborts, byte downloads.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { AuthError, InterruptedError, QuotaError, RemoteError } from '../../src/errors.js';
import { GoogleApiClient } from '../../src/google/api-client.js';
import type { GoogleApiClientOptions, RetryInfo } from '../../src/google/api-client.js';
import type { TokenProvider } from '../../src/google/token-provider.js';
import type { WireMediaItemsPage } from '../../src/sources/library/wire.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ items: 30, seed: 7 });
});
afterAll(async () => {
  await emu.stop();
});
afterEach(() => {
  Object.assign(emu.faults, { latencyMs: 0, rate429: 0, retryAfterSec: 1, rate5xx: 0, rateReset: 0, rateTruncate: 0 });
  emu.quota.apiPerDay = 10_000;
  emu.quota.bytesPerDay = 75_000;
  emu.resetQuotaDay();
});

/** A TokenProvider over the emulator, counting refreshes; `first` is what it hands out before any refresh. */
function tokens(first?: string, refreshTo?: () => string): TokenProvider & { refreshes: number } {
  let current = first ?? emu.issueAccessToken();
  const provider = {
    refreshes: 0,
    getAccessToken: () => Promise.resolve(current),
    refreshAccessToken: () => {
      provider.refreshes++;
      current = refreshTo ? refreshTo() : emu.issueAccessToken();
      return Promise.resolve(current);
    },
  };
  return provider;
}

function client(extra: Partial<GoogleApiClientOptions> = {}): GoogleApiClient & { retryLog: RetryInfo[] } {
  const retryLog: RetryInfo[] = [];
  const c = new GoogleApiClient({
    tokens: tokens(),
    baseDelayMs: 5,
    maxDelayMs: 50,
    onRetry: (info) => retryLog.push(info),
    ...extra,
  });
  return Object.assign(c, { retryLog });
}

const listUrl = (): string => `${emu.urls.library}/v1/mediaItems?pageSize=10`;

describe('GoogleApiClient JSON calls', () => {
  it('sends the bearer token and returns the parsed page', async () => {
    const c = client();
    const page = await c.getJson<WireMediaItemsPage>(listUrl());
    expect(page.mediaItems).toHaveLength(10);
    expect(page.nextPageToken).toBeTruthy();
    expect(c.counters).toEqual({ apiCalls: 1, byteCalls: 0, retries: 0 });
  });

  it('refreshes an unknown token once on 401, then succeeds', async () => {
    const provider = tokens('ya29.not-a-real-token');
    const c = client({ tokens: provider });
    const page = await c.getJson<WireMediaItemsPage>(listUrl());
    expect(page.mediaItems).toHaveLength(10);
    expect(provider.refreshes).toBe(1);
    expect(c.counters.apiCalls).toBe(2);
  });

  it('refreshes an expired token once on 401, then succeeds', async () => {
    const ttl = emu.oauth.accessTokenTtlSec;
    emu.oauth.accessTokenTtlSec = 0; // issued already expired
    const expired = emu.issueAccessToken();
    emu.oauth.accessTokenTtlSec = ttl;
    const provider = tokens(expired);
    const page = await client({ tokens: provider }).getJson<WireMediaItemsPage>(listUrl());
    expect(page.mediaItems).toHaveLength(10);
    expect(provider.refreshes).toBe(1);
  });

  it('gives up with AuthError when the refreshed token is refused too', async () => {
    const provider = tokens('ya29.bad', () => 'ya29.still-bad');
    const err = await client({ tokens: provider }).getJson(listUrl()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(provider.refreshes).toBe(1);
    expect((err as Error).message).not.toContain('ya29');
  });

  it('says to log in again when the token lacks the Library scope', async () => {
    const pickerOnly = emu.issueAccessToken(['https://www.googleapis.com/auth/photospicker.mediaitems.readonly']);
    const err = await client({ tokens: tokens(pickerOnly) }).getJson(listUrl()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).message).toMatch(/lacks the scope/);
    expect((err as AuthError).hint).toMatch(/gphotos auth login/);
  });

  it('does not retry a 400 and keeps Google\'s message', async () => {
    const c = client();
    const err = await c.getJson(`${emu.urls.library}/v1/mediaItems?pageSize=10&pageToken=forged`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).status).toBe(400);
    expect((err as RemoteError).retryable).toBe(false);
    expect((err as RemoteError).message).not.toContain('forged');
    expect(c.counters.retries).toBe(0);
  });

  it('retries 429s no sooner than Retry-After, then reports a retryable RemoteError', async () => {
    emu.faults.rate429 = 1;
    emu.faults.retryAfterSec = 0.05;
    const delays: number[] = [];
    const c = client({ maxRetries: 3, sleep: (ms) => (delays.push(ms), Promise.resolve()) });
    const err = await c.getJson(listUrl()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).retryable).toBe(true);
    expect(c.counters).toMatchObject({ apiCalls: 4, retries: 3 });
    expect(delays).toHaveLength(3);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(50);
    expect(c.retryLog.map((r) => [r.status, r.attempt, r.path])).toEqual([
      [429, 1, '/library/v1/mediaItems'],
      [429, 2, '/library/v1/mediaItems'],
      [429, 3, '/library/v1/mediaItems'],
    ]);
  });

  it('rides out random 429s and 5xx', async () => {
    Object.assign(emu.faults, { rate429: 0.3, retryAfterSec: 0.02, rate5xx: 0.2 });
    const c = client({ maxRetries: 12 });
    for (let i = 0; i < 10; i++) {
      const page = await c.getJson<WireMediaItemsPage>(listUrl());
      expect(page.mediaItems).toHaveLength(10);
    }
    expect(c.counters.retries).toBeGreaterThan(0);
    expect(c.counters.apiCalls).toBe(10 + c.counters.retries);
  });

  it('stops at once with QuotaError when the daily quota is spent (no retry storm)', async () => {
    emu.quota.apiPerDay = emu.stats().apiRequestsToday + 1;
    const c = client();
    await c.getJson(listUrl());
    const before = emu.stats().apiRequestsToday;
    const err = await c.getJson(listUrl()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaError);
    expect(c.counters.retries).toBe(0);
    expect(emu.stats().apiRequestsToday - before).toBeLessThanOrEqual(1);
  });

  it('retries network errors (ECONNREFUSED) and then reports them as retryable', async () => {
    const port = await closedPort();
    const c = client({ maxRetries: 2 });
    const err = await c.getJson(`http://127.0.0.1:${port}/v1/mediaItems?access_token=secret`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).retryable).toBe(true);
    expect((err as RemoteError).message).toMatch(/ECONNREFUSED/);
    expect((err as RemoteError).message).not.toContain('secret');
    expect(c.retryLog.map((r) => r.status)).toEqual([undefined, undefined]);
  });

  it('turns an abort into InterruptedError, before a request and during a backoff wait', async () => {
    const done = new AbortController();
    done.abort();
    await expect(client({ signal: done.signal }).getJson(listUrl())).rejects.toBeInstanceOf(InterruptedError);

    emu.faults.rate429 = 1;
    emu.faults.retryAfterSec = 30;
    const ctl = new AbortController();
    const c = client({ onRetry: () => ctl.abort() });
    const started = Date.now();
    await expect(c.getJson(listUrl(), { signal: ctl.signal })).rejects.toBeInstanceOf(InterruptedError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('GoogleApiClient.fetchBytes', () => {
  async function firstItem(c: GoogleApiClient): Promise<{ id: string; url: string }> {
    const page = await c.getJson<WireMediaItemsPage>(listUrl());
    const photo = page.mediaItems!.find((m) => m.mediaMetadata?.photo !== undefined || m.mimeType?.startsWith('image/'))!;
    return { id: photo.id!, url: `${photo.baseUrl!}=d` };
  }

  it('streams the exact bytes with Content-Length', async () => {
    const c = client();
    const { id, url } = await firstItem(c);
    const res = await c.fetchBytes(url);
    expect(res.status).toBe(200);
    const bytes = await collect(res.body);
    expect(bytes.equals(emu.downloadBytes(id))).toBe(true);
    expect(res.contentLength).toBe(bytes.length);
    expect(c.counters.byteCalls).toBe(1);
  });

  it('reports an expired baseUrl as a non-retryable RemoteError with its status', async () => {
    const c = client();
    const { url } = await firstItem(c);
    emu.expireBaseUrls();
    const err = await c.fetchBytes(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect([403, 404]).toContain((err as RemoteError).status);
    expect((err as RemoteError).retryable).toBe(false);
    expect(c.counters.retries).toBe(0);
  });

  it('surfaces a connection reset mid-body as a retryable RemoteError from the iterator', async () => {
    const c = client();
    const { url } = await firstItem(c);
    emu.faults.rateReset = 1;
    const res = await c.fetchBytes(url);
    const err = await collect(res.body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).retryable).toBe(true);
  });

  it('surfaces a truncated body as a retryable RemoteError', async () => {
    const c = client();
    const { url } = await firstItem(c);
    emu.faults.rateTruncate = 1;
    const res = await c.fetchBytes(url);
    const err = await collect(res.body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).retryable).toBe(true);
  });

  it('maps the byte host\'s daily quota to QuotaError', async () => {
    const c = client();
    const { url } = await firstItem(c);
    emu.quota.bytesPerDay = emu.stats().byteRequestsToday;
    await expect(c.fetchBytes(url)).rejects.toBeInstanceOf(QuotaError);
    expect(c.counters.retries).toBe(0);
  });
});

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A port nothing listens on: bind one, then close it. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
