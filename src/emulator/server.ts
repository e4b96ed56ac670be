// startEmulator(): one node:http server on 127.0.0.1 that mounts the emulated Google services:
//   /oauth    OAuth (auth, token, revoke)          /library  Library API (/v1/...)
//   /lh       byte host (baseUrls; /lh/ppa: Picker) /picker   Picker API (/v1/...)
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator, EmulatorAccount, EmulatorItem, EmulatorOptions, EmulatorUrls, FaultKnobs, OAuthKnobs, PickerKnobs, QuotaKnobs } from './api.js';
import { BaseUrlSigner } from './base-urls.js';
import { bytesMount } from './bytes-routes.js';
import type { EmulatorContext, Mount } from './context.js';
import { LIBRARY_SCOPE, libraryMount } from './library-routes.js';
import { generateLibrary, makeItem } from './library-data.js';
import type { LibraryItem } from './library-data.js';
import { MediaStore } from './media-store.js';
import { oauthMount } from './oauth-routes.js';
import { PageTokens } from './page-tokens.js';
import { pickerBytesMount } from './picker-bytes.js';
import { pickerMount } from './picker-routes.js';
import { DEFAULT_PICKER_KNOBS, PickerSessions, pickerIdOf } from './picker-sessions.js';
import { hash32, makePrng } from './prng.js';
import { RpcError, sendJson, sendRpcError } from './rpc.js';
import { TokenRegistry } from './tokens.js';

const DEFAULT_CLIENT_ID = 'gphotos-emulator-client';
const DEFAULT_CLIENT_SECRET = 'gphotos-emulator-secret';
/** Google's subject ids are 21-digit numbers. */
const DEFAULT_ACCOUNTS: readonly EmulatorAccount[] = [
  { sub: '110000000000000000001', email: 'alice@example.com' },
  { sub: '110000000000000000002', email: 'bob@example.com' },
];
/** Mounts whose requests get the latency knob (OAuth stays instant: it is not an API call). */
const SLOWED = new Set(['/library', '/picker', '/lh', '/lh/ppa']);

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const seed = opts.seed ?? 1;
  const client = { clientId: opts.clientId ?? DEFAULT_CLIENT_ID, clientSecret: opts.clientSecret ?? DEFAULT_CLIENT_SECRET };
  const faults: FaultKnobs = { latencyMs: 0, rate429: 0, retryAfterSec: 1, rate5xx: 0, rateReset: 0, rateTruncate: 0, ...opts.faults };
  const quota: QuotaKnobs = { apiPerDay: 10_000, bytesPerDay: 75_000, ...opts.quota };
  const oauth: OAuthKnobs = { deny: false, invalidGrant: false, accessTokenTtlSec: 3599, ...opts.oauth };
  const picker: PickerKnobs = { ...DEFAULT_PICKER_KNOBS, ...opts.picker };
  const library = generateLibrary(seed, opts.items ?? 300, client.clientId);
  const byId = new Map<string, LibraryItem>(library.items.map((it) => [it.id, it]));
  const urls: EmulatorUrls = { library: '', picker: '', authUrl: '', tokenUrl: '', revokeUrl: '', bytes: '' };

  const accounts = [...(opts.accounts ?? DEFAULT_ACCOUNTS)];
  const ctx: EmulatorContext = {
    urls,
    client,
    accounts,
    library,
    media: new MediaStore(),
    tokens: new TokenRegistry(),
    pageTokens: new PageTokens(),
    baseUrls: new BaseUrlSigner(),
    faults,
    quota,
    oauth,
    baseUrlTtlSec: opts.baseUrlTtlSec ?? 3600,
    random: makePrng(hash32(`${seed}:faults`)),
    counters: { requests: {}, apiToday: 0, bytesToday: 0 },
    itemById: (id) => byId.get(id),
  };

  const sessions = new PickerSessions(picker);
  // /lh/ppa before /lh: the first mount whose prefix matches gets the request.
  const mounts: Mount[] = [oauthMount(ctx), libraryMount(ctx), pickerBytesMount(ctx), bytesMount(ctx), pickerMount(ctx, sessions)];

  const server = createServer((req, res) => {
    void route(ctx, mounts, req, res);
  });
  // Keep-alive sockets would hold stop() open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  Object.assign(urls, {
    library: `${origin}/library`,
    picker: `${origin}/picker`,
    authUrl: `${origin}/oauth/o/oauth2/v2/auth`,
    tokenUrl: `${origin}/oauth/token`,
    revokeUrl: `${origin}/oauth/revoke`,
    bytes: `${origin}/lh`,
  } satisfies EmulatorUrls);

  let added = 0;
  const emulator: Emulator = {
    port,
    urls,
    env: {
      GPHOTOS_LIBRARY_URL: urls.library,
      GPHOTOS_PICKER_URL: urls.picker,
      GPHOTOS_OAUTH_AUTH_URL: urls.authUrl,
      GPHOTOS_OAUTH_TOKEN_URL: urls.tokenUrl,
      GPHOTOS_OAUTH_REVOKE_URL: urls.revokeUrl,
    },
    accounts,
    clientSecretJson: {
      installed: {
        client_id: client.clientId,
        project_id: 'gphotos-emulator',
        auth_uri: urls.authUrl,
        token_uri: urls.tokenUrl,
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        client_secret: client.clientSecret,
        redirect_uris: ['http://localhost'],
      },
    },
    get items(): readonly EmulatorItem[] {
      return library.items;
    },
    library,
    downloadBytes(id) {
      const item = byId.get(id);
      if (!item) throw new Error(`No such item: ${id}`);
      return ctx.media.original(item);
    },
    faults,
    quota,
    oauth,
    picker,
    pickItems(sessionId, libraryIds) {
      sessions.pickById(sessionId, libraryIds);
    },
    pickerSessions() {
      return sessions.states();
    },
    pickerIdOf,
    addItem(partial = {}) {
      const n = added++;
      const kind = partial.kind ?? (partial.mimeType?.startsWith('video/') ? 'video' : 'photo');
      const creation = partial.creationTime ?? new Date(Date.UTC(2025, 11, 1, 12, 0, n)).toISOString();
      const item = makeItem(seed, `added:${n}`, client.clientId, {
        filename: partial.filename ?? (kind === 'video' ? `VID_ADDED_${n}.mp4` : `IMG_ADDED_${n}.jpg`),
        kind,
        local: creation.slice(0, 19),
        offset: '+00:00',
      });
      for (const [key, value] of Object.entries(partial)) {
        if (value !== undefined) (item as unknown as Record<string, unknown>)[key] = value;
      }
      item.creationTime = new Date(creation).toISOString().replace('.000Z', 'Z');
      library.items.push(item);
      library.version++;
      byId.set(item.id, item);
      return item;
    },
    removeItem(id) {
      const idx = library.items.findIndex((it) => it.id === id);
      if (idx >= 0) library.items.splice(idx, 1);
      library.version++;
      byId.delete(id);
    },
    setVideoStatus(id, status) {
      const item = byId.get(id);
      if (!item || item.kind !== 'video') throw new Error(`No such video: ${id}`);
      item.videoStatus = status;
      library.version++;
    },
    expireBaseUrls() {
      ctx.baseUrls.expireAll();
    },
    resetQuotaDay() {
      ctx.counters.apiToday = 0;
      ctx.counters.bytesToday = 0;
    },
    stats() {
      return { requests: { ...ctx.counters.requests }, apiRequestsToday: ctx.counters.apiToday, byteRequestsToday: ctx.counters.bytesToday };
    },
    issueAccessToken(scopes = [LIBRARY_SCOPE], clientId = client.clientId) {
      return ctx.tokens.issueAccess(ctx.tokens.newGrant(clientId, scopes, accounts[0]!), oauth.accessTokenTtlSec);
    },
    revokeAllGrants() {
      ctx.tokens.revokeAll();
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return emulator;
}

async function route(ctx: EmulatorContext, mounts: Mount[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const mount = mounts.find((m) => url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`));
    if (!mount) {
      sendJson(res, 404, { error: 'not found', mounts: mounts.map((m) => m.prefix) });
      return;
    }
    if (SLOWED.has(mount.prefix) && ctx.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.latencyMs));
    await mount.handle(req, res, url.pathname.slice(mount.prefix.length), url);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendRpcError(res, err instanceof RpcError ? err : new RpcError('INTERNAL', `Emulator bug: ${String(err)}`));
  }
}
