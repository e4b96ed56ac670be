// The Library API (`/v1/...` below urls.library): list, search, get, batchGet, albums; sharedAlbums is 403.
// Visibility follows the 2025 rules: a client sees only the items and albums it created.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext, Mount } from './context.js';
import { countRoute } from './context.js';
import { admitApiCall, authenticate } from './guard.js';
import type { LibraryAlbum, LibraryItem } from './library-data.js';
import { paginate } from './page-tokens.js';
import { RpcError, checkQueryParams, pageSizeOf, readBody, sendJson } from './rpc.js';
import { parseSearch } from './search.js';
import type { SearchRequest } from './search.js';
import { albumJson, mediaItemJson } from './wire.js';

export const LIBRARY_SCOPE = 'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata';
const RPC_PREFIX = 'google.photos.library.v1.PhotosLibrary.';
const ID_SHAPE = /^[A-Za-z0-9_-]{10,200}$/;

interface Route {
  name: string;
  rpc: string;
  method: 'GET' | 'POST';
  match: RegExp;
  run(ctx: EmulatorContext, call: Call): unknown;
}

interface Call {
  req: IncomingMessage;
  url: URL;
  clientId: string;
  params: string[];
}

const byNewest = (a: LibraryItem, b: LibraryItem): number =>
  b.creationTime < a.creationTime ? -1 : b.creationTime > a.creationTime ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Listings are cached per library version (bumped by addItem/removeItem/setVideoStatus), so a page costs
 * O(page) instead of a filter and sort of the whole library (minutes for a full listing at 100k items).
 */
interface ListingCache {
  version: number;
  length: number;
  /** client id → its items, newest first. */
  visible: Map<string, readonly LibraryItem[]>;
  /** client id + search queryKey → matching items in the search's order, valid until `until` (ms). */
  searches: Map<string, { list: readonly LibraryItem[]; until: number }>;
}

const MAX_CACHED_SEARCHES = 32;
const caches = new WeakMap<EmulatorContext, ListingCache>();

function cacheOf(ctx: EmulatorContext): ListingCache {
  const { version, items } = ctx.library;
  let cache = caches.get(ctx);
  if (!cache || cache.version !== version || cache.length !== items.length) {
    cache = { version, length: items.length, visible: new Map(), searches: new Map() };
    caches.set(ctx, cache);
  }
  return cache;
}

/** The client's items, newest first (cached; do not mutate). */
function visibleItems(ctx: EmulatorContext, clientId: string): readonly LibraryItem[] {
  const cache = cacheOf(ctx);
  let list = cache.visible.get(clientId);
  if (!list) {
    list = ctx.library.items.filter((it) => it.owner === clientId).sort(byNewest);
    cache.visible.set(clientId, list);
  }
  return list;
}

/** The items a (non-album) search matches, in its order; cached until a future-dated item comes of age. */
function searchedItems(ctx: EmulatorContext, clientId: string, search: SearchRequest, now: number): readonly LibraryItem[] {
  const cache = cacheOf(ctx);
  const key = `${clientId}\u0000${search.queryKey}`;
  const hit = cache.searches.get(key);
  if (hit && now < hit.until) return hit.list;
  const visible = visibleItems(ctx, clientId);
  const list = visible.filter((it) => search.match(it, now));
  if (search.order === 'oldest') list.reverse();
  // Newest first: the future-dated items lead; the cache holds until the earliest of them is no longer future.
  let until = Infinity;
  for (const it of visible) {
    const t = Date.parse(it.creationTime);
    if (!(t > now)) break;
    until = t;
  }
  cache.searches.delete(key);
  cache.searches.set(key, { list, until });
  if (cache.searches.size > MAX_CACHED_SEARCHES) {
    const oldest = cache.searches.keys().next().value;
    if (oldest !== undefined) cache.searches.delete(oldest);
  }
  return list;
}

function ownAlbum(ctx: EmulatorContext, clientId: string, id: string): LibraryAlbum | undefined {
  return ctx.library.albums.find((a) => a.id === id && a.owner === clientId);
}

async function requireEmptyBody(req: IncomingMessage): Promise<void> {
  const body = await readBody(req);
  if (body.length > 0) throw new RpcError('INVALID_ARGUMENT', 'The request body must be empty for this method.');
}

/** Builds the page reply; empty lists and a final nextPageToken are omitted, as Google does. */
function pageReply(key: string, list: unknown[], nextPageToken: string | undefined): Record<string, unknown> {
  const reply: Record<string, unknown> = {};
  if (list.length > 0) reply[key] = list;
  if (nextPageToken !== undefined) reply['nextPageToken'] = nextPageToken;
  return reply;
}

const ROUTES: Route[] = [
  {
    name: 'mediaItems.list',
    rpc: 'ListMediaItems',
    method: 'GET',
    match: /^\/v1\/mediaItems$/,
    async run(ctx, { req, url, clientId }) {
      checkQueryParams(url.searchParams, ['pageSize', 'pageToken']);
      await requireEmptyBody(req);
      const pageSize = pageSizeOf(url.searchParams.get('pageSize') ?? undefined, 'page_size', 25, 100);
      const token = url.searchParams.get('pageToken') || undefined;
      const query = 'mediaItems.list';
      const cursor = token === undefined ? undefined : ctx.pageTokens.resolve(token, query, clientId);
      const { page, nextPageToken } = paginate(visibleItems(ctx, clientId), pageSize, cursor, (it) => it.id, ctx.pageTokens, query, clientId, byNewest);
      return pageReply('mediaItems', page.map((it) => mediaItemJson(ctx, it, ctx.baseUrlTtlSec)), nextPageToken);
    },
  },
  {
    name: 'mediaItems.search',
    rpc: 'SearchMediaItems',
    method: 'POST',
    match: /^\/v1\/mediaItems:search$/,
    async run(ctx, { req, url, clientId }) {
      checkQueryParams(url.searchParams, []);
      const raw = (await readBody(req)).toString('utf8');
      let body: unknown = {};
      if (raw.trim() !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new RpcError('INVALID_ARGUMENT', `Invalid JSON payload received. Unexpected token.\n${raw.slice(0, 40)}`);
        }
      }
      const search = parseSearch(body);
      const cursor = search.pageToken === undefined ? undefined : ctx.pageTokens.resolve(search.pageToken, search.queryKey, clientId);
      const now = Date.now();
      let list: readonly LibraryItem[];
      if (search.albumId !== undefined) {
        const album = ownAlbum(ctx, clientId, search.albumId);
        if (!album) throw new RpcError('INVALID_ARGUMENT', 'Invalid album ID.');
        list = album.itemIds.map((id) => ctx.itemById(id)).filter((it): it is LibraryItem => it !== undefined && it.owner === clientId);
      } else {
        list = searchedItems(ctx, clientId, search, now);
      }
      const compare = search.albumId === undefined ? (search.order === 'oldest' ? (a: LibraryItem, b: LibraryItem) => byNewest(b, a) : byNewest) : undefined;
      const { page, nextPageToken } = paginate(list, search.pageSize, cursor, (it) => it.id, ctx.pageTokens, search.queryKey, clientId, compare);
      return pageReply('mediaItems', page.map((it) => mediaItemJson(ctx, it, ctx.baseUrlTtlSec, search.albumId)), nextPageToken);
    },
  },
  {
    name: 'mediaItems.batchGet',
    rpc: 'BatchGetMediaItems',
    method: 'GET',
    match: /^\/v1\/mediaItems:batchGet$/,
    async run(ctx, { req, url, clientId }) {
      checkQueryParams(url.searchParams, ['mediaItemIds']);
      await requireEmptyBody(req);
      const ids = url.searchParams.getAll('mediaItemIds');
      if (ids.length === 0) throw new RpcError('INVALID_ARGUMENT', 'Request must contain at least one media item ID.');
      if (ids.length > 50) throw new RpcError('INVALID_ARGUMENT', 'Request must contain at most 50 media item IDs.');
      if (new Set(ids).size !== ids.length) throw new RpcError('INVALID_ARGUMENT', 'Request must not contain repeated media item IDs.');
      return {
        mediaItemResults: ids.map((id) => {
          const item = ctx.itemById(id);
          if (item && item.owner === clientId) return { mediaItem: mediaItemJson(ctx, item, ctx.baseUrlTtlSec) };
          // Malformed ids are INVALID_ARGUMENT (3); well-formed but unknown or foreign ones NOT_FOUND (5).
          return ID_SHAPE.test(id)
            ? { status: { code: 5, message: 'Requested entity was not found.' } }
            : { status: { code: 3, message: 'Invalid media item ID.' } };
        }),
      };
    },
  },
  {
    name: 'mediaItems.get',
    rpc: 'GetMediaItem',
    method: 'GET',
    match: /^\/v1\/mediaItems\/([^/]+)$/,
    async run(ctx, { req, url, clientId, params }) {
      checkQueryParams(url.searchParams, []);
      await requireEmptyBody(req);
      const id = params[0] ?? '';
      const item = ctx.itemById(id);
      if (item && item.owner === clientId) return mediaItemJson(ctx, item, ctx.baseUrlTtlSec);
      if (!ID_SHAPE.test(id)) throw new RpcError('INVALID_ARGUMENT', 'Invalid media item ID.');
      throw new RpcError('NOT_FOUND', 'Requested entity was not found.');
    },
  },
  {
    name: 'albums.list',
    rpc: 'ListAlbums',
    method: 'GET',
    match: /^\/v1\/albums$/,
    async run(ctx, { req, url, clientId }) {
      checkQueryParams(url.searchParams, ['pageSize', 'pageToken', 'excludeNonAppCreatedData']);
      await requireEmptyBody(req);
      const pageSize = pageSizeOf(url.searchParams.get('pageSize') ?? undefined, 'page_size', 20, 50);
      const token = url.searchParams.get('pageToken') || undefined;
      const query = 'albums.list';
      const cursor = token === undefined ? undefined : ctx.pageTokens.resolve(token, query, clientId);
      const albums = ctx.library.albums.filter((a) => a.owner === clientId);
      const { page, nextPageToken } = paginate(albums, pageSize, cursor, (a) => a.id, ctx.pageTokens, query, clientId);
      return pageReply('albums', page.map((a) => albumJson(ctx, a, ctx.baseUrlTtlSec)), nextPageToken);
    },
  },
  {
    name: 'albums.get',
    rpc: 'GetAlbum',
    method: 'GET',
    match: /^\/v1\/albums\/([^/]+)$/,
    async run(ctx, { req, url, clientId, params }) {
      checkQueryParams(url.searchParams, []);
      await requireEmptyBody(req);
      const album = ownAlbum(ctx, clientId, params[0] ?? '');
      if (!album) throw new RpcError('NOT_FOUND', 'Requested entity was not found.');
      return albumJson(ctx, album, ctx.baseUrlTtlSec);
    },
  },
  {
    name: 'sharedAlbums.list',
    rpc: 'ListSharedAlbums',
    method: 'GET',
    match: /^\/v1\/sharedAlbums(\/[^/]+)?$/,
    run() {
      // Gone since 2025-03-31 (reference §1.1).
      throw new RpcError('PERMISSION_DENIED', 'The caller does not have permission');
    },
  },
];

export function libraryMount(ctx: EmulatorContext): Mount {
  return {
    prefix: '/library',
    async handle(req, res: ServerResponse, path, url) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        decoded = path;
      }
      const found = ROUTES.map((route) => ({ route, m: route.match.exec(decoded) })).find((r) => r.m !== null);
      if (!found || !found.m || found.route.method !== req.method) {
        countRoute(ctx, 'library.unknown');
        throw new RpcError('NOT_FOUND', `Method not found: ${req.method ?? ''} ${decoded}`);
      }
      const { route, m } = found;
      countRoute(ctx, route.name);
      const clientId = authenticate(ctx, req, url, { method: RPC_PREFIX + route.rpc, scope: LIBRARY_SCOPE });
      admitApiCall(ctx);
      const reply = await route.run(ctx, { req, url, clientId, params: m.slice(1).filter((p): p is string => p !== undefined) });
      sendJson(res, 200, reply);
    },
  };
}
