// Picker baseUrls on the byte host (`/lh/ppa/<signed token>`): the same parameter grammar and the same bytes as
// Library baseUrls, but every fetch needs `Authorization: Bearer` with the Picker scope (reference §2.5).
// Undocumented choices: a missing, invalid or under-scoped token → 403 (plain text, like the host's other errors);
// expiry as on the Library path (403); the token is not tied to the session, so deleting it keeps URLs working.
import type { ServerResponse } from 'node:http';
import { parseVariant, sendBytes } from './bytes-routes.js';
import type { EmulatorContext, Mount } from './context.js';
import { chance, countRoute } from './context.js';
import { PICKER_SCOPE } from './picker-routes.js';
import { PICKER_URL_PREFIX } from './picker-wire.js';
import { sendText } from './rpc.js';
import { bearerOf } from './tokens.js';

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

function serve(ctx: EmulatorContext, req: Parameters<Mount['handle']>[0], res: ServerResponse, path: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Method Not Allowed', { allow: 'GET, HEAD' });
  const m = /^\/([^=/]+)(?:=(.*))?$/.exec(path);
  if (!m?.[1]) throw new HttpError(404, 'Not Found');
  // Only the header counts: a token in the query string would leak into logs.
  const check = ctx.tokens.check(bearerOf(req.headers.authorization, new URLSearchParams()));
  if (!check.ok) throw new HttpError(403, `Picker baseUrls need an OAuth bearer token (${check.reason === 'missing' ? 'none sent' : `token ${check.reason}`}).`);
  if (!check.scopes.includes(PICKER_SCOPE)) throw new HttpError(403, 'The access token lacks the photospicker.mediaitems.readonly scope.');
  if (ctx.counters.bytesToday >= ctx.quota.bytesPerDay) throw new HttpError(429, 'Too Many Requests');
  ctx.counters.bytesToday++;
  if (chance(ctx, ctx.faults.rate429)) throw new HttpError(429, 'Too Many Requests', { 'retry-after': String(ctx.faults.retryAfterSec) });
  if (chance(ctx, ctx.faults.rate5xx)) throw ctx.random() < 0.5 ? new HttpError(500, 'Internal Server Error') : new HttpError(503, 'Service Unavailable');

  const signed = ctx.baseUrls.verify(m[1]);
  if (!signed.ok) {
    if (signed.reason === 'expired') throw new HttpError(403, 'This baseUrl has expired (they last 60 minutes). List the session\'s media items again for fresh ones.');
    throw new HttpError(404, 'Not Found');
  }
  const item = signed.itemId.startsWith(PICKER_URL_PREFIX) ? ctx.itemById(signed.itemId.slice(PICKER_URL_PREFIX.length)) : undefined;
  if (!item) throw new HttpError(404, 'Not Found');
  const variant = (() => {
    try {
      return parseVariant(m[2]);
    } catch (e) {
      throw new HttpError(400, e instanceof Error ? e.message : 'Bad parameters');
    }
  })();
  if (variant.kind === 'video') {
    if (item.kind !== 'video') throw new HttpError(400, '=dv is only valid for videos; use =d for photos.');
    if (item.videoStatus !== 'READY') throw new HttpError(404, `Video is not ready (status ${item.videoStatus ?? 'UNSPECIFIED'}).`);
  }
  sendBytes(ctx, req, res, ctx.media.bytes(item, variant), variant.kind === 'video' ? item.mimeType : 'image/jpeg');
}

export function pickerBytesMount(ctx: EmulatorContext): Mount {
  return {
    prefix: '/lh/ppa',
    handle(req, res, path) {
      countRoute(ctx, 'picker.bytes');
      try {
        serve(ctx, req, res, path);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        sendText(res, err.status, `${err.status} ${err.message}\n`, err.headers);
      }
      return Promise.resolve();
    },
  };
}
