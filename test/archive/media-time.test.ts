import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { readExifTime, readExifTimeFromFile } from '../../src/archive/exif-time.js';
import { readMp4CreationTime, readMp4CreationTimeFromBuffer, readMp4CreationTimeWith } from '../../src/archive/mp4-time.js';
import { makeJpeg, makeScaledJpeg, stripGps } from '../../src/emulator/media/jpeg.js';
import { makeMp4 } from '../../src/emulator/media/mp4.js';

let dir = '';
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'gphotos-media-time-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const exifDate = fc.record({
  y: fc.integer({ min: 1900, max: 2099 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }),
  h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }),
}).map((t) => `${t.y}:${pad(t.mo)}:${pad(t.d)} ${pad(t.h)}:${pad(t.mi)}:${pad(t.s)}`);
const offset = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45))
  .map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`);

/** The TIFF stream inside a JPEG's first APP1 (which makeJpeg puts right after SOI). */
function tiffOf(jpeg: Buffer): Buffer {
  return jpeg.subarray(12, 4 + jpeg.readUInt16BE(4));
}

function png(width: number, height: number, exif?: Buffer): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc(height * (1 + 3 * width), 0x80);
  for (let y = 0; y < height; y++) rows[y * (1 + 3 * width)] = 0; // filter type None
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    ...(exif ? [chunk('eXIf', exif)] : []), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('readExifTime', () => {
  test('reads DateTimeOriginal, offset and the real pixel size from random camera JPEGs', async () => {
    await fc.assert(fc.asyncProperty(exifDate, fc.option(offset, { nil: undefined }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }),
      async (date, off, width, height) => {
        const jpeg = makeJpeg({ width, height, seed: width * height, dateTimeOriginal: date, ...(off ? { offsetTimeOriginal: off } : {}) });
        expect(await readExifTime(jpeg)).toEqual({ dateTimeOriginal: date, width, height, ...(off ? { offset: off } : {}) });
      }), { numRuns: 100 });
  });

  test('still reads the time after Google strips GPS', async () => {
    const jpeg = makeJpeg({ width: 320, height: 240, seed: 1, dateTimeOriginal: '2019:03:01 10:00:00', offsetTimeOriginal: '-05:00', gps: { lat: 1, lon: 2 } });
    expect(await readExifTime(stripGps(jpeg))).toEqual({ dateTimeOriginal: '2019:03:01 10:00:00', offset: '-05:00', width: 320, height: 240 });
  });

  test('gives undefined when there is no usable DateTimeOriginal', async () => {
    expect(await readExifTime(makeScaledJpeg({ width: 320, height: 240, seed: 1 }, 100, 100))).toBeUndefined(); // JFIF, no EXIF
    expect(await readExifTime(makeJpeg({ width: 32, height: 32, seed: 1 }))).toBeUndefined(); // EXIF without the tag
    for (const bad of ['0000:00:00 00:00:00', '    :  :     :  :  ', '2020-01-02 03:04:05', '2020:13:02 03:04:05']) {
      expect(await readExifTime(makeJpeg({ width: 32, height: 32, seed: 1, dateTimeOriginal: bad })), bad).toBeUndefined();
    }
  });

  test('drops a malformed offset but keeps the time', async () => {
    const jpeg = makeJpeg({ width: 8, height: 8, seed: 1, dateTimeOriginal: '2020:01:02 03:04:05', offsetTimeOriginal: '9 hours' });
    expect(await readExifTime(jpeg)).toEqual({ dateTimeOriginal: '2020:01:02 03:04:05', width: 8, height: 8 });
  });

  test('reads PNG eXIf chunks and gives undefined for a PNG without one', async () => {
    const tiff = tiffOf(makeJpeg({ width: 4000, height: 3000, seed: 1, dateTimeOriginal: '2020:01:02 03:04:05', offsetTimeOriginal: '-05:00' }));
    expect(await readExifTime(png(6, 5, tiff))).toEqual({ dateTimeOriginal: '2020:01:02 03:04:05', offset: '-05:00', width: 6, height: 5 });
    expect(await readExifTime(png(6, 5))).toBeUndefined();
  });

  test('never throws on truncated input, and a prefix holding the EXIF is enough', async () => {
    const jpeg = makeJpeg({ width: 640, height: 480, seed: 5, dateTimeOriginal: '2021:07:04 15:30:45', offsetTimeOriginal: '+02:00' });
    const exifEnd = 4 + jpeg.readUInt16BE(4);
    for (let cut = 0; cut <= jpeg.length; cut += cut < exifEnd + 64 ? 1 : 997) {
      const r = await readExifTime(jpeg.subarray(0, cut));
      if (r !== undefined) expect(r.dateTimeOriginal).toBe('2021:07:04 15:30:45');
      if (cut >= exifEnd) expect(r?.offset, `cut ${cut}`).toBe('+02:00');
    }
  });

  test('never throws on garbage, MP4 or other magic numbers followed by garbage', async () => {
    const magic = fc.constantFrom([], [0xff, 0xd8], [0xff, 0xd8, 0xff, 0xe1], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0x4d, 0x4d, 0, 42], [0x49, 0x49, 42, 0], [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63]);
    await fc.assert(fc.asyncProperty(magic, fc.uint8Array({ maxLength: 2048 }), async (m, rest) => {
      expect(await readExifTime(Uint8Array.from([...m, ...rest]))).toBeUndefined();
    }), { numRuns: 500 });
    expect(await readExifTime(makeMp4({ creationTime: new Date(), seed: 1 }))).toBeUndefined();
  });
});

describe('readExifTimeFromFile', () => {
  test('reads a file, and only its first 128 KiB', async () => {
    const jpeg = makeJpeg({ width: 320, height: 240, seed: 1, dateTimeOriginal: '2018:12:31 23:59:59' });
    const path = join(dir, 'a.jpg');
    await writeFile(path, jpeg);
    expect(await readExifTimeFromFile(path)).toEqual({ dateTimeOriginal: '2018:12:31 23:59:59', width: 320, height: 240 });
    // Push the APP1 beyond 128 KiB with two maximal COM segments: the buffer reader still finds it, the file reader must not.
    const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0xff, 0xff]), Buffer.alloc(0xfffd, 0x20)]);
    const late = Buffer.concat([jpeg.subarray(0, 2), com, com, jpeg.subarray(2)]);
    expect((await readExifTime(late))?.dateTimeOriginal).toBe('2018:12:31 23:59:59');
    const latePath = join(dir, 'late.jpg');
    await writeFile(latePath, late);
    expect(await readExifTimeFromFile(latePath)).toBeUndefined();
  });

  test('rejects on a missing file rather than pretending it has no date', async () => {
    await expect(readExifTimeFromFile(join(dir, 'missing.jpg'))).rejects.toThrow(/ENOENT/);
  });
});

// --- MP4 ---

/** Top-level boxes of a generated MP4 (32-bit sizes only). */
function top(buf: Buffer): Map<string, { start: number; size: number }> {
  const out = new Map<string, { start: number; size: number }>();
  for (let at = 0; at < buf.length; at += buf.readUInt32BE(at)) out.set(buf.toString('latin1', at + 4, at + 8), { start: at, size: buf.readUInt32BE(at) });
  return out;
}

describe('readMp4CreationTimeFromBuffer', () => {
  test('round-trips mvhd creation_time (v0 and v1) in both layouts', () => {
    const instant = fc.integer({ min: Date.parse('1904-01-02T00:00:00Z'), max: Date.parse('2200-01-01T00:00:00Z') }).map((ms) => new Date(ms));
    fc.assert(fc.property(instant, fc.boolean(), fc.nat(), (when, moovAtEnd, seed) => {
      const got = readMp4CreationTimeFromBuffer(makeMp4({ creationTime: when, seed, moovAtEnd, durationMs: 900, width: 16, height: 16 }));
      expect(got?.getTime()).toBe(Math.floor(when.getTime() / 1000) * 1000);
    }), { numRuns: 200 });
  });

  test('handles a 64-bit largesize box and a size-0 box that runs to the end of the file', () => {
    const when = new Date('2022-02-22T22:22:22Z');
    const mp4 = makeMp4({ creationTime: when, seed: 3, moovAtEnd: true });
    const b = top(mp4);
    const mdat = b.get('mdat')!;
    const large = Buffer.alloc(16);
    large.writeUInt32BE(1, 0);
    large.write('mdat', 4, 'latin1');
    large.writeBigUInt64BE(BigInt(mdat.size + 8), 8);
    const withLarge = Buffer.concat([mp4.subarray(0, mdat.start), large, mp4.subarray(mdat.start + 8)]);
    expect(readMp4CreationTimeFromBuffer(withLarge)).toEqual(when);
    const sizeZeroMoov = Buffer.from(mp4);
    sizeZeroMoov.writeUInt32BE(0, b.get('moov')!.start);
    expect(readMp4CreationTimeFromBuffer(sizeZeroMoov)).toEqual(when);
    // size 0 on a box before moov hides moov entirely: nothing is invented.
    const sizeZeroMdat = Buffer.from(mp4);
    sizeZeroMdat.writeUInt32BE(0, mdat.start);
    expect(readMp4CreationTimeFromBuffer(sizeZeroMdat)).toBeUndefined();
  });

  test('gives undefined for a zero creation_time, no moov, or an unknown mvhd version', () => {
    const mp4 = makeMp4({ creationTime: new Date('2020-01-01T00:00:00Z'), seed: 1 });
    const mvhdAt = mp4.indexOf('mvhd', 0, 'latin1') - 4;
    const zero = Buffer.from(mp4);
    zero.writeUInt32BE(0, mvhdAt + 12);
    expect(readMp4CreationTimeFromBuffer(zero)).toBeUndefined();
    const v7 = Buffer.from(mp4);
    v7[mvhdAt + 8] = 7;
    expect(readMp4CreationTimeFromBuffer(v7)).toBeUndefined();
    const b = top(mp4);
    const moov = b.get('moov')!;
    expect(readMp4CreationTimeFromBuffer(Buffer.concat([mp4.subarray(0, moov.start), mp4.subarray(moov.start + moov.size)]))).toBeUndefined();
  });

  test('never throws on truncation, garbage or JPEGs', () => {
    const when = new Date('2021-01-01T00:00:00Z');
    for (const moovAtEnd of [false, true]) {
      const mp4 = makeMp4({ creationTime: when, seed: 1, moovAtEnd });
      for (let cut = 0; cut <= mp4.length; cut++) {
        const r = readMp4CreationTimeFromBuffer(mp4.subarray(0, cut));
        if (r !== undefined) expect(r).toEqual(when);
      }
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
      expect(readMp4CreationTimeFromBuffer(bytes)).toBeUndefined();
    }), { numRuns: 500 });
    expect(readMp4CreationTimeFromBuffer(makeJpeg({ width: 64, height: 64, seed: 1 }))).toBeUndefined();
  });
});

describe('readMp4CreationTime', () => {
  test('finds moov at the end of a 5 MB file with a handful of small positional reads', async () => {
    const when = new Date('2024-06-30T12:00:00Z');
    const mp4 = makeMp4({ creationTime: when, seed: 11, moovAtEnd: true, durationMs: 250_000, width: 1024, height: 768 });
    expect(mp4.length).toBeGreaterThan(5_000_000);
    const path = join(dir, 'big.mp4');
    await writeFile(path, mp4);
    expect(await readMp4CreationTime(path)).toEqual(when);
    const fh = await open(path, 'r');
    try {
      const reads: [number, number][] = [];
      const got = await readMp4CreationTimeWith(async (position, length) => {
        reads.push([position, length]);
        const b = Buffer.alloc(length);
        const { bytesRead } = await fh.read(b, 0, length, position);
        return b.subarray(0, bytesRead);
      }, mp4.length);
      expect(got).toEqual(when);
      expect(reads.length).toBeLessThanOrEqual(8);
      expect(reads.reduce((a, [, len]) => a + len, 0)).toBeLessThanOrEqual(128);
    } finally {
      await fh.close();
    }
  });

  test('reads moov-first files and files past 4 GiB (sparse, 64-bit mdat)', async () => {
    const when = new Date('2016-03-04T05:06:07Z');
    const first = join(dir, 'first.mp4');
    await writeFile(first, makeMp4({ creationTime: when, seed: 2 }));
    expect(await readMp4CreationTime(first)).toEqual(when);

    const mp4 = makeMp4({ creationTime: when, seed: 2, moovAtEnd: true });
    const b = top(mp4);
    const mdat = b.get('mdat')!;
    const moov = mp4.subarray(b.get('moov')!.start);
    const mdatSize = 5 * 2 ** 30; // the mdat is a hole in a sparse file
    const head = Buffer.alloc(16);
    head.writeUInt32BE(1, 0);
    head.write('mdat', 4, 'latin1');
    head.writeBigUInt64BE(BigInt(mdatSize), 8);
    const huge = join(dir, 'huge.mp4');
    const fh = await open(huge, 'w');
    try {
      await fh.write(mp4.subarray(0, mdat.start), 0, mdat.start, 0);
      await fh.write(head, 0, 16, mdat.start);
      await fh.write(moov, 0, moov.length, mdat.start + mdatSize);
    } finally {
      await fh.close();
    }
    expect(await readMp4CreationTime(huge)).toEqual(when);
  });

  test('gives undefined for a non-MP4 file and rejects on a missing one', async () => {
    const path = join(dir, 'photo.jpg');
    await writeFile(path, makeJpeg({ width: 64, height: 64, seed: 1 }));
    expect(await readMp4CreationTime(path)).toBeUndefined();
    await expect(readMp4CreationTime(join(dir, 'missing.mp4'))).rejects.toThrow(/ENOENT/);
  });
});
