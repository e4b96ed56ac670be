// Quotas and injected faults: each kind observable over HTTP, reproducible from the seed.
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { Page, RpcErrorBody } from './helpers.js';
import { api } from './helpers.js';

let e: Emulator | undefined;
afterEach(async () => {
  await e?.stop();
  e = undefined;
});

async function firstBaseUrl(em: Emulator, token: string): Promise<string> {
  const page = (await api(em, token, 'mediaItems?pageSize=1')).body as Page;
  return page.mediaItems![0]!.baseUrl;
}

describe('daily quotas', () => {
  it('answers the exact daily 429 body once apiPerDay is used up, until resetQuotaDay()', async () => {
    e = await startEmulator({ items: 5, quota: { apiPerDay: 3 } });
    const token = e.issueAccessToken();
    for (let i = 0; i < 3; i++) expect((await api(e, token, 'mediaItems')).status).toBe(200);
    const over = await api(e, token, 'mediaItems');
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBeNull();
    expect(over.body).toEqual({
      error: {
        code: 429,
        message: "Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary.googleapis.com' for consumer 'project_number:844831818923'.",
        errors: [{ message: "Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary.googleapis.com' for consumer 'project_number:844831818923'.", domain: 'global', reason: 'rateLimitExceeded' }],
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'googleapis.com',
            metadata: {
              service: 'photoslibrary.googleapis.com',
              quota_metric: 'photoslibrary.googleapis.com/all_requests',
              quota_limit: 'ApiCallsPerProjectPerDay',
              quota_limit_value: '3',
              consumer: 'projects/844831818923',
              quota_location: 'global',
            },
          },
          { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Request a higher quota limit.', url: 'https://cloud.google.com/docs/quota#requesting_higher_quota' }] },
        ],
      },
    });
    expect(e.stats()).toMatchObject({ apiRequestsToday: 3, requests: { 'mediaItems.list': 4 } });
    e.resetQuotaDay();
    expect((await api(e, token, 'mediaItems')).status).toBe(200);
  });

  it('the byte host answers a plain 429 once bytesPerDay is used up', async () => {
    e = await startEmulator({ items: 5, quota: { bytesPerDay: 2 } });
    const url = `${await firstBaseUrl(e, e.issueAccessToken())}=d`;
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(url)).status).toBe(200);
    const over = await fetch(url);
    expect(over.status).toBe(429);
    expect(await over.text()).toContain('Too Many Requests');
    expect(e.stats().byteRequestsToday).toBe(2);
    e.resetQuotaDay();
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('injected faults', () => {
  it('rate429 answers a per-minute 429 with Retry-After, distinguishable from the daily one', async () => {
    e = await startEmulator({ items: 5, faults: { rate429: 1, retryAfterSec: 2 } });
    const res = await api(e, e.issueAccessToken(), 'mediaItems');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    const body = res.body as RpcErrorBody;
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect((body.error.details![0]!['metadata'] as Record<string, string>)['quota_limit']).not.toBe('ApiCallsPerProjectPerDay');
  });

  it('rate5xx answers 500 or 503 with a google.rpc body; byte host too', async () => {
    e = await startEmulator({ items: 5 });
    const token = e.issueAccessToken();
    const url = `${await firstBaseUrl(e, token)}=d`;
    e.faults.rate5xx = 1;
    const res = await api(e, token, 'mediaItems');
    expect([500, 503]).toContain(res.status);
    expect((res.body as RpcErrorBody).error.status).toMatch(/INTERNAL|UNAVAILABLE/);
    expect([500, 503]).toContain((await fetch(url)).status);
  });

  it('rateReset and rateTruncate break byte downloads mid-body, after headers promised the full length', async () => {
    e = await startEmulator({ items: 5 });
    const url = `${await firstBaseUrl(e, e.issueAccessToken())}=d`;
    for (const knob of ['rateReset', 'rateTruncate'] as const) {
      e.faults[knob] = 1;
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
      await expect(res.arrayBuffer()).rejects.toThrow();
      e.faults[knob] = 0;
    }
    expect((await fetch(url)).status).toBe(200);
  });

  it('latencyMs delays API requests', async () => {
    e = await startEmulator({ items: 5, faults: { latencyMs: 150 } });
    const started = Date.now();
    await api(e, e.issueAccessToken(), 'mediaItems');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('is reproducible: the same seed and requests give the same fault pattern', async () => {
    const pattern = async (): Promise<number[]> => {
      const em = await startEmulator({ items: 5, seed: 42, faults: { rate5xx: 0.5 } });
      try {
        const token = em.issueAccessToken();
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await api(em, token, 'mediaItems')).status);
        return out;
      } finally {
        await em.stop();
      }
    };
    const a = await pattern();
    expect(a).toEqual(await pattern());
    expect(a.some((s) => s === 200) && a.some((s) => s >= 500)).toBe(true);
  });
});
