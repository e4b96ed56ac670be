import { describe, expect, it } from 'vitest';
import { AuthError, QuotaError, RemoteError } from '../../src/errors.js';
import { classifyApiError, classifyBytesError, parseRpcError } from '../../src/google/rpc-error.js';
import { redactUrl } from '../../src/google/redact-url.js';

const dailyQuotaBody = JSON.stringify({
  error: {
    code: 429,
    message:
      "Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary.googleapis.com' for consumer 'project_number:844831818923'.",
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: { quota_limit: 'ApiCallsPerProjectPerDay', quota_limit_value: '10000' },
      },
    ],
  },
});

const rpc = (code: number, status: string, message: string, details?: unknown[]): string =>
  JSON.stringify({ error: { code, status, message, ...(details ? { details } : {}) } });

describe('parseRpcError', () => {
  it('reads the google.rpc envelope and rejects anything else', () => {
    expect(parseRpcError(rpc(404, 'NOT_FOUND', 'gone'))).toEqual({ code: 404, status: 'NOT_FOUND', message: 'gone' });
    expect(parseRpcError('Too Many Requests')).toBeUndefined();
    expect(parseRpcError('{"foo":1}')).toBeUndefined();
  });
});

describe('classifyApiError', () => {
  it('maps the daily quota to a QuotaError (not retried)', () => {
    const e = classifyApiError(429, dailyQuotaBody, 'GET /v1/mediaItems');
    expect(e).toBeInstanceOf(QuotaError);
    expect(e.message).toContain('All requests per day');
  });

  it('recognises a daily quota from the message alone', () => {
    const body = rpc(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for limit 'Requests per day'");
    expect(classifyApiError(429, body, 'x')).toBeInstanceOf(QuotaError);
  });

  it('retries per-minute 429s and 5xx', () => {
    const perMinute = rpc(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', metadata: { quota_limit: 'WritesPerMinutePerUser' } },
    ]);
    for (const [status, body] of [[429, perMinute], [500, ''], [502, '<html>'], [503, rpc(503, 'UNAVAILABLE', 'x')], [504, '']] as const) {
      const e = classifyApiError(status, body, 'x');
      expect(e).toBeInstanceOf(RemoteError);
      expect((e as RemoteError).retryable).toBe(true);
      expect((e as RemoteError).status).toBe(status);
    }
  });

  it('maps 401 and a missing scope to AuthError with a re-login hint', () => {
    expect(classifyApiError(401, rpc(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'), 'x')).toBeInstanceOf(AuthError);
    const scope = classifyApiError(403, rpc(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.'), 'x');
    expect(scope).toBeInstanceOf(AuthError);
    expect(scope.message).toMatch(/lacks the scope/);
    expect(scope.hint).toMatch(/gphotos auth login/);
  });

  it('keeps Google\'s message for other 4xx and does not retry them', () => {
    const e = classifyApiError(400, rpc(400, 'INVALID_ARGUMENT', 'Invalid page token.'), 'POST /v1/mediaItems:search');
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).retryable).toBe(false);
    expect(e.message).toBe('POST /v1/mediaItems:search: HTTP 400 INVALID_ARGUMENT: Invalid page token.');
    const other403 = classifyApiError(403, rpc(403, 'PERMISSION_DENIED', 'The caller does not have permission'), 'x');
    expect(other403).toBeInstanceOf(RemoteError);
  });
});

describe('classifyBytesError', () => {
  it('treats a plain-text 429 without Retry-After as the media-bytes daily quota', () => {
    expect(classifyBytesError(429, 'Too Many Requests', 'GET /lr/x=d', false)).toBeInstanceOf(QuotaError);
    const transient = classifyBytesError(429, 'Too Many Requests', 'GET /lr/x=d', true);
    expect(transient).toBeInstanceOf(RemoteError);
    expect((transient as RemoteError).retryable).toBe(true);
  });

  it('reports 403 (expired baseUrl) as a non-retryable RemoteError carrying the status', () => {
    const e = classifyBytesError(403, 'Forbidden', 'GET /lr/x=d', false);
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).status).toBe(403);
    expect((e as RemoteError).retryable).toBe(false);
  });
});

describe('redactUrl', () => {
  it('drops the query and shortens opaque baseUrl segments', () => {
    expect(redactUrl('http://h/v1/mediaItems?pageToken=abc&access_token=ya29.secret')).toBe('/v1/mediaItems');
    const label = redactUrl('https://lh3.googleusercontent.com/lr/AGWb-e5y_R2qu8RmVeryLongOpaqueCapability=dv');
    expect(label).toBe('/lr/AGWb-e5y…=dv');
  });
});
