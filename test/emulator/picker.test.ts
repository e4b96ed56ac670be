// The emulated Picker API over real HTTP: sessions, polling, listing, scopes, and picker byte URLs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { bearer, type RpcErrorBody } from './helpers.js';

const PICKER_SCOPE = 'https://www.googleapis.com/auth/photospicker.mediaitems.readonly';
const LIBRARY_SCOPE = 'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata';

interface Session {
  id: string;
  pickerUri: string;
  pollingConfig?: { pollInterval: string; timeoutIn: string };
  expireTime: string;
  pickingConfig: { maxItemCount: string };
  mediaItemsSet: boolean;
}

interface Picked {
  id: string;
  createTime: string;
  type: string;
  mediaFile: {
    baseUrl: string;
    mimeType: string;
    filename: string;
    mediaFileMetadata: { width: number; height: number; photoMetadata?: object; videoMetadata?: { processingStatus: string } };
  };
}

let emulator: Emulator;
let token: string;

async function call(path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emulator.urls.picker}/v1/${path}`, { ...init, headers: { ...bearer(init.token ?? token), 'content-type': 'application/json' } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const create = async (body: unknown = {}, query = '', t?: string): Promise<{ status: number; body: Session & Partial<RpcErrorBody> }> =>
  (await call(`sessions${query}`, { method: 'POST', body: JSON.stringify(body), ...(t === undefined ? {} : { token: t }) })) as { status: number; body: Session & Partial<RpcErrorBody> };
const get = async (id: string): Promise<{ status: number; body: Session & Partial<RpcErrorBody> }> =>
  (await call(`sessions/${id}`)) as { status: number; body: Session & Partial<RpcErrorBody> };
const list = async (query: string): Promise<{ status: number; body: { mediaItems?: Picked[]; nextPageToken?: string } & Partial<RpcErrorBody> }> =>
  (await call(`mediaItems?${query}`)) as { status: number; body: { mediaItems?: Picked[]; nextPageToken?: string } & Partial<RpcErrorBody> };

beforeAll(async () => {
  emulator = await startEmulator({ items: 250, seed: 4 });
  token = emulator.issueAccessToken([PICKER_SCOPE]);
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(async () => {
  Object.assign(emulator.picker, { autoPick: null, pollsBeforeDone: 1, pollIntervalSec: 5, timeoutSec: 1800, sessionTtlSec: 3600, maxOpenSessions: 10 });
  // Start each test with no open sessions, so the open-session limit does not leak between tests.
  for (const s of emulator.pickerSessions()) if (!s.deleted) await call(`sessions/${s.id}`, { method: 'DELETE' });
});

describe('sessions.create', () => {
  it('returns a fresh session with defaults: 2000 items, polling config, not set', async () => {
    const r = await create();
    expect(r.status).toBe(200);
    expect(r.body.pickerUri).toBe(`https://photos.google.com/picker/${r.body.id}`);
    expect(r.body.pickingConfig).toEqual({ maxItemCount: '2000' });
    expect(r.body.pollingConfig).toEqual({ pollInterval: '5s', timeoutIn: expect.stringMatching(/^\d+(\.\d+)?s$/) as unknown });
    expect(r.body.mediaItemsSet).toBe(false);
    expect(Date.parse(r.body.expireTime)).toBeGreaterThan(Date.now());
  });

  it('takes maxItemCount as an int64 string; 0 means 2000 and larger values are coerced to 2000', async () => {
    expect((await create({ pickingConfig: { maxItemCount: '7' } })).body.pickingConfig.maxItemCount).toBe('7');
    expect((await create({ pickingConfig: { maxItemCount: '0' } })).body.pickingConfig.maxItemCount).toBe('2000');
    expect((await create({ pickingConfig: { maxItemCount: '5000' } })).body.pickingConfig.maxItemCount).toBe('2000');
    expect((await create({ pickingConfig: { maxItemCount: '-1' } })).status).toBe(400);
  });

  it('settles only pickingConfig: output-only fields are ignored, unknown ones refused', async () => {
    const r = await create({ id: 'mine', mediaItemsSet: true });
    expect(r.body.id).not.toBe('mine');
    expect(r.body.mediaItemsSet).toBe(false);
    const bad = await create({ colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.status).toBe('INVALID_ARGUMENT');
  });

  it('accepts a UUID v4 requestId (a retried create returns the same session) and refuses other shapes', async () => {
    const q = '?requestId=1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b';
    const a = await create({}, q);
    const b = await create({}, q);
    expect(a.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    expect((await create({}, '?requestId=not-a-uuid')).status).toBe(400);
  });

  it('answers 429 RESOURCE_EXHAUSTED when too many sessions are open', async () => {
    emulator.picker.maxOpenSessions = 2;
    expect((await create()).status).toBe(200);
    expect((await create()).status).toBe(200);
    const r = await create();
    expect(r.status).toBe(429);
    expect(r.body.error?.status).toBe('RESOURCE_EXHAUSTED');
  });
});

describe('scopes', () => {
  it('refuses every method without the Picker scope (403 insufficient scopes) and without a token (401)', async () => {
    const library = emulator.issueAccessToken([LIBRARY_SCOPE]);
    const { id } = (await create()).body;
    for (const [path, method] of [['sessions', 'POST'], [`sessions/${id}`, 'GET'], [`sessions/${id}`, 'DELETE'], [`mediaItems?sessionId=${id}`, 'GET']] as const) {
      const r = await call(path, { method, token: library });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect((r.body as RpcErrorBody).error.message).toMatch(/insufficient authentication scopes/);
    }
    const res = await fetch(`${emulator.urls.picker}/v1/sessions/${id}`);
    expect(res.status).toBe(401);
  });
});

describe('sessions.get and polling', () => {
  it('flips to mediaItemsSet after the configured polls and then drops pollingConfig', async () => {
    const picked = emulator.items.slice(0, 3).map((i) => i.id);
    emulator.picker.autoPick = picked;
    const { id } = (await create()).body;
    const first = await get(id);
    expect(first.body.mediaItemsSet).toBe(false);
    expect(first.body.pollingConfig).toBeDefined();
    const second = await get(id);
    expect(second.body.mediaItemsSet).toBe(true);
    expect(second.body.pollingConfig).toBeUndefined();
    expect(emulator.pickerSessions().find((s) => s.id === id)?.picked).toEqual(picked);
  });

  it('counts timeoutIn down and uses the pollInterval knob', async () => {
    emulator.picker.pollIntervalSec = 0.05;
    emulator.picker.timeoutSec = 0.2;
    const { id } = (await create()).body;
    await new Promise((r) => setTimeout(r, 250));
    const r = await get(id);
    expect(r.body.pollingConfig).toEqual({ pollInterval: '0.05s', timeoutIn: '0s' });
  });

  it('answers 404 for unknown, deleted and other clients\' sessions, 403 once expired', async () => {
    expect((await get('00000000-0000-4000-8000-000000000000')).body.error?.status).toBe('NOT_FOUND');
    const { id } = (await create()).body;
    const other = emulator.issueAccessToken([PICKER_SCOPE], 'another-client');
    expect((await call(`sessions/${id}`, { token: other })).status).toBe(404);
    emulator.picker.sessionTtlSec = 0.05;
    const short = (await create()).body.id;
    await new Promise((r) => setTimeout(r, 80));
    const expired = await get(short);
    expect(expired.status).toBe(403);
    expect(expired.body.error?.status).toBe('PERMISSION_DENIED');
    const del = await call(`sessions/${id}`, { method: 'DELETE' });
    expect(del).toEqual({ status: 200, body: {} });
    expect((await get(id)).status).toBe(404);
    expect(emulator.pickerSessions().find((s) => s.id === id)?.deleted).toBe(true);
  });
});

describe('mediaItems.list', () => {
  it('refuses to list before picking (400 FAILED_PRECONDITION)', async () => {
    const { id } = (await create()).body;
    const r = await list(`sessionId=${id}`);
    expect(r.status).toBe(400);
    expect(r.body.error?.status).toBe('FAILED_PRECONDITION');
  });

  it('pages 50 by default, at most 100, refuses negatives, and ends without a token', async () => {
    const { id } = (await create()).body;
    const ids = emulator.items.slice(0, 230).map((i) => i.id);
    emulator.pickItems(id, ids);
    expect((await list(`sessionId=${id}`)).body.mediaItems).toHaveLength(50);
    expect((await list(`sessionId=${id}&pageSize=0`)).body.mediaItems).toHaveLength(50);
    expect((await list(`sessionId=${id}&pageSize=-1`)).body.error?.status).toBe('INVALID_ARGUMENT');
    const all: Picked[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const r = await list(`sessionId=${id}&pageSize=500${pageToken ? `&pageToken=${pageToken}` : ''}`);
      expect(r.body.mediaItems!.length).toBeLessThanOrEqual(100);
      all.push(...r.body.mediaItems!);
      pageToken = r.body.nextPageToken;
      pages++;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(all.map((p) => p.id)).toEqual(ids.map((i) => emulator.pickerIdOf(i)));
  });

  it('stops the user at maxItemCount', async () => {
    const { id } = (await create({ pickingConfig: { maxItemCount: '2' } })).body;
    emulator.pickItems(id, emulator.items.slice(0, 5).map((i) => i.id));
    expect((await list(`sessionId=${id}`)).body.mediaItems).toHaveLength(2);
  });

  it('sends PickedMediaItems: own ids, integer sizes, photo/video metadata', async () => {
    const photo = emulator.items.find((i) => i.kind === 'photo')!;
    const video = emulator.items.find((i) => i.kind === 'video' && i.videoStatus === 'READY')!;
    const { id } = (await create()).body;
    emulator.pickItems(id, [photo.id, video.id]);
    const [p, v] = (await list(`sessionId=${id}`)).body.mediaItems!;
    expect(p!.id).not.toBe(photo.id);
    expect(p!.id).toBe(emulator.pickerIdOf(photo.id));
    expect(p).toMatchObject({ createTime: photo.creationTime, type: 'PHOTO', mediaFile: { mimeType: photo.mimeType, filename: photo.filename, mediaFileMetadata: { width: photo.width, height: photo.height } } });
    expect(p!.mediaFile.mediaFileMetadata.photoMetadata).toBeDefined();
    expect(v).toMatchObject({ type: 'VIDEO', mediaFile: { mediaFileMetadata: { videoMetadata: { processingStatus: 'READY' } } } });
    expect(typeof v!.mediaFile.mediaFileMetadata.width).toBe('number');
  });
});

describe('picker baseUrls', () => {
  it('need a bearer token with the Picker scope, serve the Library bytes, and expire', async () => {
    const photo = emulator.items.find((i) => i.kind === 'photo')!;
    const video = emulator.items.find((i) => i.kind === 'video' && i.videoStatus === 'READY')!;
    const { id } = (await create()).body;
    emulator.pickItems(id, [photo.id, video.id]);
    const [p, v] = (await list(`sessionId=${id}`)).body.mediaItems!;
    const fetchBytes = (url: string, t?: string): Promise<Response> => fetch(url, t === undefined ? {} : { headers: bearer(t) });

    expect((await fetchBytes(`${p!.mediaFile.baseUrl}=d`)).status).toBe(403);
    expect((await fetchBytes(`${p!.mediaFile.baseUrl}=d`, 'ya29.forged')).status).toBe(403);
    expect((await fetchBytes(`${p!.mediaFile.baseUrl}=d`, emulator.issueAccessToken([LIBRARY_SCOPE]))).status).toBe(403);
    const photoBytes = await fetchBytes(`${p!.mediaFile.baseUrl}=d`, token);
    expect(photoBytes.status).toBe(200);
    expect(Buffer.from(await photoBytes.arrayBuffer()).equals(emulator.downloadBytes(photo.id))).toBe(true);
    const videoBytes = await fetchBytes(`${v!.mediaFile.baseUrl}=dv`, token);
    expect(Buffer.from(await videoBytes.arrayBuffer()).equals(emulator.downloadBytes(video.id))).toBe(true);

    // A picker token does not open the Library byte path, nor the other way round.
    const token2 = p!.mediaFile.baseUrl.split('/ppa/')[1]!;
    expect((await fetch(`${emulator.urls.bytes}/lr/${token2}=d`)).status).toBe(404);

    emulator.expireBaseUrls();
    expect((await fetchBytes(`${p!.mediaFile.baseUrl}=d`, token)).status).toBe(403);
  });
});
