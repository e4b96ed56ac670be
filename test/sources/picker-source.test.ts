// PickerSource and PickerSessionApi against the emulator over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { AuthError, RemoteError } from '../../src/errors.js';
import { GoogleApiClient } from '../../src/google/api-client.js';
import { PickerSource } from '../../src/sources/picker/picker-source.js';
import { PickerSessionApi, parseDuration } from '../../src/sources/picker/session.js';

const PICKER_SCOPE = 'https://www.googleapis.com/auth/photospicker.mediaitems.readonly';

let emulator: Emulator;
let token: string;
let client: GoogleApiClient;
let api: PickerSessionApi;

async function drain(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  emulator = await startEmulator({ items: 260, seed: 8, picker: { pollIntervalSec: 0.02 } });
  token = emulator.issueAccessToken([PICKER_SCOPE]);
  client = new GoogleApiClient({ tokens: { getAccessToken: () => Promise.resolve(token), refreshAccessToken: () => Promise.resolve(token) }, baseDelayMs: 1 });
  api = new PickerSessionApi({ client, baseUrl: emulator.urls.picker, accessToken: () => Promise.resolve(token) });
});
afterAll(async () => {
  await emulator.stop();
});

const wait = { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: Date.now, signal: new AbortController().signal };

describe('PickerSessionApi', () => {
  it('parses Durations', () => {
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('3.5s')).toBe(3500);
    expect(parseDuration('5')).toBeUndefined();
  });

  it('creates with --max, polls until the user is done, and deletes', async () => {
    emulator.picker.autoPick = emulator.items.slice(0, 3).map((i) => i.id);
    emulator.picker.pollsBeforeDone = 2;
    const s = await api.create(2);
    expect(emulator.pickerSessions().find((x) => x.id === s.id)?.maxItemCount).toBe(2);
    const done = await api.waitForPicking(s, wait);
    expect(done.mediaItemsSet).toBe(true);
    expect(emulator.pickerSessions().find((x) => x.id === s.id)?.polls).toBe(3);
    expect(await api.delete(s.id)).toBe(true);
    expect(emulator.pickerSessions().find((x) => x.id === s.id)?.deleted).toBe(true);
  });

  it('gives up when the server\'s timeoutIn or our own limit runs out', async () => {
    emulator.picker.autoPick = null;
    emulator.picker.timeoutSec = 0.1;
    const s = await api.create(undefined);
    await expect(api.waitForPicking(s, wait)).rejects.toThrow(/timed out; nothing changed/);
    emulator.picker.timeoutSec = 1800;
    const t = await api.create(undefined);
    await expect(api.waitForPicking(t, { ...wait, pollTimeoutMs: 100 })).rejects.toBeInstanceOf(RemoteError);
    await api.delete(s.id);
    await api.delete(t.id);
  });

  it('a token without the Picker scope is an AuthError', async () => {
    const narrow = emulator.issueAccessToken(['https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata']);
    const c = new GoogleApiClient({ tokens: { getAccessToken: () => Promise.resolve(narrow), refreshAccessToken: () => Promise.resolve(narrow) } });
    const other = new PickerSessionApi({ client: c, baseUrl: emulator.urls.picker, accessToken: () => Promise.resolve(narrow) });
    await expect(other.create(undefined)).rejects.toBeInstanceOf(AuthError);
  });
});

describe('PickerSource', () => {
  it('lists every picked item in pages of 100 as picker RemoteItems, and opens their bytes with the bearer token', async () => {
    const picked = emulator.items.filter((i) => i.kind === 'photo' || i.videoStatus === 'READY').slice(0, 230);
    const s = await api.create(undefined);
    emulator.pickItems(s.id, picked.map((i) => i.id));
    const source = new PickerSource({ client, baseUrl: emulator.urls.picker, sessionId: s.id });
    const before = emulator.stats().requests['picker.mediaItems.list'] ?? 0;
    const items = [];
    for await (const item of source.list()) items.push(item);
    expect((emulator.stats().requests['picker.mediaItems.list'] ?? 0) - before).toBe(3);
    expect(items.map((i) => i.ref)).toEqual(picked.map((i) => ({ source: 'picker', id: emulator.pickerIdOf(i.id) })));
    const first = picked[0]!;
    expect(items[0]).toMatchObject({ filename: first.filename, creationTime: first.creationTime, width: first.width, height: first.height });

    const video = items.findIndex((i) => i.kind === 'video');
    for (const idx of [0, video]) {
      const got = await drain((await source.open(items[idx]!)).body);
      expect(got.equals(emulator.downloadBytes(picked[idx]!.id))).toBe(true);
    }

    // Expired baseUrls are renewed by listing the session again.
    emulator.expireBaseUrls();
    const renewed = await drain((await source.open(items[1]!)).body);
    expect(renewed.equals(emulator.downloadBytes(picked[1]!.id))).toBe(true);
    await api.delete(s.id);
  });

  it('refuses to open a video that is not READY', async () => {
    const processing = emulator.items.find((i) => i.videoStatus === 'PROCESSING')!;
    const s = await api.create(undefined);
    emulator.pickItems(s.id, [processing.id]);
    const source = new PickerSource({ client, baseUrl: emulator.urls.picker, sessionId: s.id });
    const [item] = await source.load();
    expect(item?.videoStatus).toBe('PROCESSING');
    await expect(source.open(item!)).rejects.toThrow(/not ready/);
    await api.delete(s.id);
  });
});
