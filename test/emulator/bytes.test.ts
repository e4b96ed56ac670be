// The byte host: baseUrl suffixes, EXIF/GPS handling, videos, expiry, HEAD and Range.
import ExifReader from 'exifreader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator, EmulatorItem } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { WireItem } from './helpers.js';
import { api, bearer } from './helpers.js';

let e: Emulator;
let token: string;

beforeAll(async () => {
  e = await startEmulator({ items: 40, seed: 2 });
  token = e.issueAccessToken();
});
afterAll(async () => {
  await e.stop();
});

async function wire(item: EmulatorItem): Promise<WireItem> {
  return (await api(e, token, `mediaItems/${item.id}`)).body as WireItem;
}

async function fetchBytes(url: string, init: RequestInit = {}): Promise<{ status: number; buf: Buffer; headers: Headers }> {
  const res = await fetch(url, init);
  return { status: res.status, buf: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

const isJpeg = (buf: Buffer): boolean => buf[0] === 0xff && buf[1] === 0xd8;
const photoWithGps = (): EmulatorItem => e.items.find((i) => i.kind === 'photo' && (i as { gps?: unknown }).gps !== undefined && i.exifDateTimeOriginal)!;

describe('byte host', () => {
  it('=d serves exactly downloadBytes(id): EXIF date kept, GPS removed', async () => {
    const item = photoWithGps();
    const { status, buf, headers } = await fetchBytes(`${(await wire(item)).baseUrl}=d`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('image/jpeg');
    expect(buf.equals(e.downloadBytes(item.id))).toBe(true);
    const tags = ExifReader.load(buf, { expanded: true });
    expect(tags.gps).toBeUndefined();
    expect(tags.exif?.DateTimeOriginal?.description).toBe(item.exifDateTimeOriginal);
  });

  it('=wW-hH serves different, smaller bytes; -c crops to the exact size; -d keeps EXIF minus GPS', async () => {
    const item = photoWithGps();
    const base = (await wire(item)).baseUrl;
    const full = e.downloadBytes(item.id);
    const small = await fetchBytes(`${base}=w100-h100`);
    expect(small.status).toBe(200);
    expect(isJpeg(small.buf)).toBe(true);
    expect(small.buf.equals(full)).toBe(false);
    expect(small.buf.length).toBeLessThan(full.length);
    const cropped = await fetchBytes(`${base}=w64-h48-c`);
    const size = ExifReader.load(cropped.buf, { expanded: true }).file;
    expect([size?.['Image Width']?.value, size?.['Image Height']?.value]).toEqual([64, 48]);
    const withExif = ExifReader.load((await fetchBytes(`${base}=w100-h100-d`)).buf, { expanded: true });
    expect(withExif.exif?.DateTimeOriginal?.description).toBe(item.exifDateTimeOriginal);
    expect(withExif.gps).toBeUndefined();
    expect((await fetchBytes(`${base}=x9`)).status).toBe(400);
  });

  it('=dv serves the MP4 only when the video is READY; =d on a video is a JPEG thumbnail', async () => {
    const ready = e.items.find((i) => i.videoStatus === 'READY')!;
    const readyUrl = (await wire(ready)).baseUrl;
    const mp4 = await fetchBytes(`${readyUrl}=dv`);
    expect(mp4.status).toBe(200);
    expect(mp4.headers.get('content-type')).toBe('video/mp4');
    expect(mp4.buf.equals(e.downloadBytes(ready.id))).toBe(true);
    expect(mp4.buf.toString('latin1', 4, 8)).toBe('ftyp');
    const thumb = await fetchBytes(`${readyUrl}=d`);
    expect(isJpeg(thumb.buf)).toBe(true);

    const processing = e.items.find((i) => i.videoStatus === 'PROCESSING')!;
    const notYet = await fetchBytes(`${(await wire(processing)).baseUrl}=dv`);
    expect(notYet.status).toBe(404);
    expect(notYet.buf.toString()).toContain('PROCESSING');
    e.setVideoStatus(processing.id, 'READY');
    try {
      expect((await fetchBytes(`${(await wire(processing)).baseUrl}=dv`)).status).toBe(200);
    } finally {
      e.setVideoStatus(processing.id, 'PROCESSING');
    }
    const failed = e.items.find((i) => i.videoStatus === 'FAILED')!;
    expect((await fetchBytes(`${(await wire(failed)).baseUrl}=dv`)).status).toBe(404);
    expect((await fetchBytes(`${(await wire(photoWithGps())).baseUrl}=dv`)).status).toBe(400);
  });

  it('HEAD gives Content-Length; Range is honoured; a bearer token is accepted', async () => {
    const item = photoWithGps();
    const url = `${(await wire(item)).baseUrl}=d`;
    const full = e.downloadBytes(item.id);
    const head = await fetch(url, { method: 'HEAD', headers: bearer(token) });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(full.length);
    const part = await fetchBytes(url, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${full.length}`);
    expect(part.buf.equals(full.subarray(10, 20))).toBe(true);
    expect((await fetchBytes(url, { headers: { range: `bytes=${full.length}-` } })).status).toBe(416);
  });

  it('baseUrls expire after baseUrlTtlSec and on expireBaseUrls(); forged ones are 404', async () => {
    const item = photoWithGps();
    const url = `${(await wire(item)).baseUrl}=d`;
    expect((await fetchBytes(url)).status).toBe(200);
    e.expireBaseUrls();
    expect((await fetchBytes(url)).status).toBe(403);
    expect((await fetchBytes(`${(await wire(item)).baseUrl}=d`)).status).toBe(200);
    const forged = url.replace(/\.[^.=]+=d$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAA=d');
    expect((await fetchBytes(forged)).status).toBe(404);

    const short = await startEmulator({ items: 3, baseUrlTtlSec: 0.2 });
    try {
      const w = (await api(short, short.issueAccessToken(), `mediaItems/${short.items[0]!.id}`)).body as WireItem;
      expect((await fetchBytes(`${w.baseUrl}=d`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 250));
      expect((await fetchBytes(`${w.baseUrl}=d`)).status).toBe(403);
    } finally {
      await short.stop();
    }
  });

  it('downloadBytes is deterministic across emulator instances with the same seed', async () => {
    const again = await startEmulator({ items: 40, seed: 2 });
    try {
      expect(again.items.map((i) => i.id)).toEqual(e.items.map((i) => i.id));
      for (const item of e.items.slice(0, 25)) expect(again.downloadBytes(item.id).equals(e.downloadBytes(item.id))).toBe(true);
    } finally {
      await again.stop();
    }
  });
});
