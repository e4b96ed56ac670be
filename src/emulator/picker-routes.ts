// The Picker API (`/v1/...` below urls.picker), reference §2: sessions.create/get/delete and mediaItems.list.
// Picked items are library items of any owner (the Picker sees the user's whole library), under picker ids.
import type { IncomingMessage } from 'node:http';
import type { EmulatorContext, Mount } from './context.js';
import { chance, countRoute } from './context.js';
import { authenticate, perMinuteQuotaError } from './guard.js';
import type { LibraryItem } from './library-data.js';
import { paginate } from './page-tokens.js';
import type { PickerSession, PickerSessions } from './picker-sessions.js';
import { MAX_ITEM_COUNT } from './picker-sessions.js';
import { pickedItemJson, sessionJson } from './picker-wire.js';
import { RpcError, checkQueryParams, pageSizeOf, readBody, sendJson } from './rpc.js';

export const PICKER_SCOPE = 'https://www.googleapis.com/auth/photospicker.mediaitems.readonly';
const SERVICE = 'photospicker.googleapis.com';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** Output-only PickingSession fields: accepted in a create body and ignored, as proto3 JSON parsing does. */
const OUTPUT_ONLY = new Set(['id', 'pickerUri', 'pollingConfig', 'expireTime', 'mediaItemsSet']);

interface Call {
  req: IncomingMessage;
  url: URL;
  clientId: string;
  id: string;
}

interface Route {
  name: string;
  rpc: string;
  method: 'GET' | 'POST' | 'DELETE';
  match: RegExp;
  run(ctx: EmulatorContext, sessions: PickerSessions, call: Call): Promise<unknown>;
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = (await readBody(req)).toString('utf8');
  if (raw.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new RpcError('INVALID_ARGUMENT', `Invalid JSON payload received. Unexpected token.\n${raw.slice(0, 40)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RpcError('INVALID_ARGUMENT', 'Invalid JSON payload received. Expected an object.');
  return body as Record<string, unknown>;
}

async function requireEmptyBody(req: IncomingMessage): Promise<void> {
  if ((await readBody(req)).length > 0) throw new RpcError('INVALID_ARGUMENT', 'The request body must be empty for this method.');
}

/** pickingConfig.maxItemCount (int64: a JSON string or number). 0/absent → 2000; above 2000 → 2000. */
function maxItemCountOf(body: Record<string, unknown>): number {
  for (const key of Object.keys(body)) {
    if (key !== 'pickingConfig' && !OUTPUT_ONLY.has(key)) throw new RpcError('INVALID_ARGUMENT', `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`);
  }
  const config = body['pickingConfig'];
  if (config === undefined || config === null) return MAX_ITEM_COUNT;
  if (typeof config !== 'object' || Array.isArray(config)) throw new RpcError('INVALID_ARGUMENT', 'Invalid value at \'picking_config\'.');
  const fields = config as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key !== 'maxItemCount') throw new RpcError('INVALID_ARGUMENT', `Invalid JSON payload received. Unknown name "${key}" at 'picking_config': Cannot find field.`);
  }
  const raw = fields['maxItemCount'];
  if (raw === undefined || raw === null) return MAX_ITEM_COUNT;
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^-?\d+$/.test(text.trim())) {
    throw new RpcError('INVALID_ARGUMENT', `Invalid value at 'picking_config.max_item_count' (TYPE_INT64), ${JSON.stringify(raw)}`);
  }
  const n = Number(text);
  if (n < 0) throw new RpcError('INVALID_ARGUMENT', 'picking_config.max_item_count must not be negative.');
  return n === 0 ? MAX_ITEM_COUNT : Math.min(n, MAX_ITEM_COUNT);
}

/** The caller's session, or the documented NOT_FOUND / PERMISSION_DENIED. */
function ownSession(sessions: PickerSessions, clientId: string, id: string): PickerSession {
  const s = sessions.find(clientId, id);
  if (!s) throw new RpcError('NOT_FOUND', 'Requested entity was not found.');
  if (sessions.expired(s)) throw new RpcError('PERMISSION_DENIED', 'Access to this picking session has expired.');
  return s;
}

const ROUTES: Route[] = [
  {
    name: 'picker.sessions.create',
    rpc: 'PickingSessionService.CreateSession',
    method: 'POST',
    match: /^\/v1\/sessions$/,
    async run(_ctx, sessions, { req, url, clientId }) {
      checkQueryParams(url.searchParams, ['requestId']);
      const requestId = url.searchParams.get('requestId') ?? undefined;
      if (requestId !== undefined && !UUID_V4.test(requestId)) throw new RpcError('INVALID_ARGUMENT', 'request_id must be a UUID (version 4).');
      const max = maxItemCountOf(await jsonBody(req));
      const again = requestId === undefined ? undefined : sessions.byRequestId(clientId, requestId);
      if (again) return sessionJson(again, Date.now(), sessions.knobs);
      if (sessions.openCount(clientId) >= sessions.knobs.maxOpenSessions) {
        throw new RpcError('RESOURCE_EXHAUSTED', 'Too many picking sessions are open for this user. Delete sessions you no longer need.');
      }
      return sessionJson(sessions.create(clientId, max, requestId), Date.now(), sessions.knobs);
    },
  },
  {
    name: 'picker.sessions.get',
    rpc: 'PickingSessionService.GetSession',
    method: 'GET',
    match: /^\/v1\/sessions\/([^/]+)$/,
    async run(_ctx, sessions, { req, url, clientId, id }) {
      checkQueryParams(url.searchParams, []);
      await requireEmptyBody(req);
      const s = ownSession(sessions, clientId, id);
      sessions.poll(s);
      return sessionJson(s, Date.now(), sessions.knobs);
    },
  },
  {
    name: 'picker.sessions.delete',
    rpc: 'PickingSessionService.DeleteSession',
    method: 'DELETE',
    match: /^\/v1\/sessions\/([^/]+)$/,
    async run(_ctx, sessions, { req, url, clientId, id }) {
      checkQueryParams(url.searchParams, []);
      await requireEmptyBody(req);
      // Deleting an expired session is allowed: it is how a client tidies up.
      const s = sessions.find(clientId, id);
      if (!s) throw new RpcError('NOT_FOUND', 'Requested entity was not found.');
      sessions.delete(s);
      return {};
    },
  },
  {
    name: 'picker.mediaItems.list',
    rpc: 'MediaItemsService.ListMediaItems',
    method: 'GET',
    match: /^\/v1\/mediaItems$/,
    async run(ctx, sessions, { req, url, clientId }) {
      checkQueryParams(url.searchParams, ['sessionId', 'pageSize', 'pageToken']);
      await requireEmptyBody(req);
      const sessionId = url.searchParams.get('sessionId');
      if (!sessionId) throw new RpcError('INVALID_ARGUMENT', 'session_id is required.');
      const pageSize = pageSizeOf(url.searchParams.get('pageSize') ?? undefined, 'page_size', 50, 100);
      const s = ownSession(sessions, clientId, sessionId);
      if (s.picked === undefined) {
        throw new RpcError('FAILED_PRECONDITION', 'The user has not finished picking media items for this session. Poll sessions.get until mediaItemsSet is true.');
      }
      const token = url.searchParams.get('pageToken') || undefined;
      const query = `picker.mediaItems.list:${s.id}`;
      const cursor = token === undefined ? undefined : ctx.pageTokens.resolve(token, query, clientId);
      // Items deleted from the library since picking are no longer served.
      const items = s.picked.map((id) => ctx.itemById(id)).filter((it): it is LibraryItem => it !== undefined);
      const { page, nextPageToken } = paginate(items, pageSize, cursor, (it) => it.id, ctx.pageTokens, query, clientId);
      const reply: Record<string, unknown> = {};
      if (page.length > 0) reply['mediaItems'] = page.map((it) => pickedItemJson(ctx, it));
      if (nextPageToken !== undefined) reply['nextPageToken'] = nextPageToken;
      return reply;
    },
  },
];

/** Injected 429/5xx. The Picker's quotas are per minute and generous (§1.9): no daily budget here. */
function admitPickerCall(ctx: EmulatorContext): void {
  if (chance(ctx, ctx.faults.rate429)) throw perMinuteQuotaError(ctx.faults.retryAfterSec, SERVICE);
  if (chance(ctx, ctx.faults.rate5xx)) {
    throw ctx.random() < 0.5 ? new RpcError('INTERNAL', 'Internal error encountered.') : new RpcError('UNAVAILABLE', 'The service is currently unavailable.');
  }
}

export function pickerMount(ctx: EmulatorContext, sessions: PickerSessions): Mount {
  return {
    prefix: '/picker',
    async handle(req, res, path, url) {
      const found = ROUTES.map((route) => ({ route, m: route.match.exec(path) })).find((r) => r.m !== null && r.route.method === req.method);
      if (!found?.m) {
        countRoute(ctx, 'picker.unknown');
        throw new RpcError('NOT_FOUND', `Method not found: ${req.method ?? ''} ${path}`);
      }
      const { route, m } = found;
      countRoute(ctx, route.name);
      const clientId = authenticate(ctx, req, url, { method: `google.photos.picker.v1.${route.rpc}`, scope: PICKER_SCOPE, service: SERVICE });
      admitPickerCall(ctx);
      let id = m[1] ?? '';
      try {
        id = decodeURIComponent(id);
      } catch {
        // A malformed escape names no session: NOT_FOUND follows.
      }
      sendJson(res, 200, await route.run(ctx, sessions, { req, url, clientId, id }));
    },
  };
}
