// Google's error envelope (google.rpc.Status over HTTP/JSON) and what each failure means for the caller:
// retry, re-login, wait for tomorrow's quota, or give up on this request.
import { AuthError, QuotaError, RemoteError } from '../errors.js';
import type { GphotosError } from '../errors.js';

export interface RpcStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: unknown[];
}

/** The `error` object of a Google JSON error body, or undefined when the body is not one. */
export function parseRpcError(body: string): RpcStatus | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !isObject(parsed.error)) return undefined;
  const e = parsed.error;
  const out: RpcStatus = {};
  if (typeof e.code === 'number') out.code = e.code;
  if (typeof e.message === 'string') out.message = e.message;
  if (typeof e.status === 'string') out.status = e.status;
  if (Array.isArray(e.details)) out.details = e.details as unknown[];
  return out;
}

/** A daily quota: waiting minutes won't help, so it must not be retried. */
export function isDailyQuota(rpc: RpcStatus | undefined): boolean {
  if (rpc === undefined) return false;
  for (const d of rpc.details ?? []) {
    if (isObject(d) && isObject(d.metadata)) {
      const limit = d.metadata.quota_limit;
      if (typeof limit === 'string' && /perday/i.test(limit)) return true;
    }
  }
  return /per day/i.test(rpc.message ?? '');
}

export function isInsufficientScope(rpc: RpcStatus | undefined): boolean {
  if (rpc === undefined) return false;
  if (/insufficient authentication scopes/i.test(rpc.message ?? '')) return true;
  return (rpc.details ?? []).some((d) => isObject(d) && d.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT');
}

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * The error for a failed Library/Picker API response. `what` names the request ('GET /v1/mediaItems');
 * callers never pass URLs with tokens, and Google's messages carry none.
 * 401 maps to AuthError: the client refreshes the token once before it gets here.
 */
export function classifyApiError(status: number, body: string, what: string): GphotosError {
  const rpc = parseRpcError(body);
  const google = rpc?.message ?? shortText(body);
  const label = `${what}: HTTP ${status}${rpc?.status ? ` ${rpc.status}` : ''}${google ? `: ${google}` : ''}`;
  if (status === 429 && isDailyQuota(rpc)) return new QuotaError(`Google's daily API quota is used up (${label})`);
  if (status === 401) return new AuthError(`Google refused the access token even after a refresh (${label})`);
  if (status === 403 && isInsufficientScope(rpc)) {
    return new AuthError(`The access token lacks the scope this request needs (${label})`, {
      hint: 'Run `gphotos auth login` again and grant the requested Google Photos access.',
    });
  }
  return new RemoteError(label, { status, retryable: RETRYABLE_STATUSES.has(status) });
}

/**
 * The error for a failed byte-host (baseUrl) response. 403/404 usually mean an expired baseUrl: a
 * non-retryable RemoteError carrying the status, so the source can refresh the URL. A 429 without
 * Retry-After is the media-bytes daily quota (the byte host answers it in plain text).
 */
export function classifyBytesError(status: number, body: string, what: string, hasRetryAfter: boolean): GphotosError {
  const rpc = parseRpcError(body);
  const label = `${what}: HTTP ${status}${shortText(rpc?.message ?? body) ? `: ${shortText(rpc?.message ?? body)}` : ''}`;
  if (status === 429 && (isDailyQuota(rpc) || !hasRetryAfter)) {
    return new QuotaError(`Google's daily media-bytes quota is used up (${label})`);
  }
  if (status === 401) return new AuthError(`The byte host refused the access token (${label})`);
  return new RemoteError(label, { status, retryable: RETRYABLE_STATUSES.has(status) });
}

function shortText(body: string): string {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
