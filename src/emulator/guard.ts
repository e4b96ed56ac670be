// What stands in front of every emulated Google API call: bearer token and scope checks, the daily
// quota, then injected faults. Shared so the Picker API gets identical behaviour.
import type { IncomingMessage } from 'node:http';
import type { EmulatorContext } from './context.js';
import { chance } from './context.js';
import { RpcError } from './rpc.js';
import { bearerOf } from './tokens.js';

const CONSUMER = '844831818923';
const SERVICE = 'photoslibrary.googleapis.com';

const MISSING_CREDENTIALS =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const INVALID_CREDENTIALS =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export interface GuardSpec {
  /** google.rpc method name for error details, e.g. 'google.photos.library.v1.PhotosLibrary.ListMediaItems'. */
  method: string;
  scope: string;
  service?: string;
}

/** Returns the caller's OAuth client id, or throws the RpcError Google would answer with. */
export function authenticate(ctx: EmulatorContext, req: IncomingMessage, url: URL, spec: GuardSpec): string {
  const service = spec.service ?? SERVICE;
  const check = ctx.tokens.check(bearerOf(req.headers.authorization, url.searchParams));
  if (!check.ok) {
    const missing = check.reason === 'missing';
    const details = missing
      ? [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'CREDENTIALS_MISSING', domain: 'googleapis.com', metadata: { method: spec.method, service } }]
      : [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_EXPIRED', domain: 'googleapis.com', metadata: { method: spec.method, service } }];
    throw new RpcError('UNAUTHENTICATED', missing ? MISSING_CREDENTIALS : INVALID_CREDENTIALS, details, {
      'www-authenticate': missing ? 'Bearer realm="https://accounts.google.com/"' : 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
    });
  }
  if (!check.scopes.includes(spec.scope)) {
    throw new RpcError('PERMISSION_DENIED', 'Request had insufficient authentication scopes.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com', metadata: { method: spec.method, service } },
    ], { 'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${spec.scope}"` });
  }
  return check.clientId;
}

/** A 429 RESOURCE_EXHAUSTED in the shape of reference §1.8's captured body, for one quota. */
function quotaError(
  q: { metric: string; metricName: string; limit: string; limitName: string; limitValue: string },
  service: string,
  headers: Record<string, string>,
  errors?: object[],
): RpcError {
  const message = `Quota exceeded for quota metric '${q.metricName}' and limit '${q.limitName}' of service '${service}' for consumer 'project_number:${CONSUMER}'.`;
  return new RpcError(
    'RESOURCE_EXHAUSTED',
    message,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: {
          service,
          quota_metric: `${service}/${q.metric}`,
          quota_limit: q.limit,
          quota_limit_value: q.limitValue,
          consumer: `projects/${CONSUMER}`,
          quota_location: 'global',
        },
      },
      ...(errors === undefined
        ? []
        : [{ '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Request a higher quota limit.', url: 'https://cloud.google.com/docs/quota#requesting_higher_quota' }] }]),
    ],
    headers,
    ...(errors === undefined ? [] : [errors.map((e) => ({ message, ...e }))]),
  );
}

/** The captured daily-quota 429 of reference §1.8, with this emulator's limit. */
export function dailyQuotaError(limit: number, service = SERVICE): RpcError {
  const q = { metric: 'all_requests', metricName: 'All requests', limit: 'ApiCallsPerProjectPerDay', limitName: 'All requests per day', limitValue: String(limit) };
  return quotaError(q, service, {}, [{ domain: 'global', reason: 'rateLimitExceeded' }]);
}

/**
 * A short-term (per-minute) 429: same envelope, but quota_limit 'ReadRequestsPerMinutePerUser' and a
 * Retry-After header, so clients can tell "back off briefly" from "stop for today". The exact
 * per-minute read limit name is not documented (reference §1.8 only shows the write one).
 */
export function perMinuteQuotaError(retryAfterSec: number, service = SERVICE): RpcError {
  const q = { metric: 'read_requests', metricName: 'Read requests', limit: 'ReadRequestsPerMinutePerUser', limitName: 'Read requests per minute per user', limitValue: '600' };
  return quotaError(q, service, { 'retry-after': String(retryAfterSec) });
}

/** Daily budget, then injected 429/5xx. Requests refused by the daily quota do not use it up. */
export function admitApiCall(ctx: EmulatorContext, service = SERVICE): void {
  if (ctx.counters.apiToday >= ctx.quota.apiPerDay) throw dailyQuotaError(ctx.quota.apiPerDay, service);
  ctx.counters.apiToday++;
  if (chance(ctx, ctx.faults.rate429)) throw perMinuteQuotaError(ctx.faults.retryAfterSec, service);
  if (chance(ctx, ctx.faults.rate5xx)) {
    throw ctx.random() < 0.5
      ? new RpcError('INTERNAL', 'Internal error encountered.')
      : new RpcError('UNAVAILABLE', 'The service is currently unavailable.');
  }
}
