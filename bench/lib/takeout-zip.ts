// A generated Google Takeout zip (store-only, written entry by entry so a 2 GB archive never sits in memory):
// FILES photos in year folders with their JSON sidecars, every tenth also in an album folder.
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';

const GP = 'Takeout/Google Photos';

export interface TakeoutZipOptions {
  /** Media files in the year folders; 10% more are album copies. */
  files: number;
  /** Total media bytes. */
  bytes: number;
  /** Sidecars also carry a caption and GPS (geoData), as many real ones do. */
  captionsAndGps?: boolean;
}

export async function writeTakeoutZip(file: string, o: TakeoutZipOptions): Promise<{ entries: number; bytes: number }> {
  const fh = await open(file, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  let entries = 0;
  const add = async (path: string, data: Buffer): Promise<void> => {
    const name = Buffer.from(path);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x800, 6);
    h.writeUInt16LE(0x5821, 12);
    h.writeUInt32LE(crc32(data), 14);
    h.writeUInt32LE(data.length, 18);
    h.writeUInt32LE(data.length, 22);
    h.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(0x031e, 4);
    c.writeUInt16LE(20, 6);
    h.copy(c, 8, 6, 30);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    await fh.write(Buffer.concat([h, name]));
    await fh.write(data);
    offset += 30 + name.length + data.length;
    entries++;
  };
  const bases = Array.from({ length: 8 }, (_, i) => makeJpeg({ width: 640, height: 480, seed: i + 1 }));
  const per = Math.max(1, Math.floor(o.bytes / o.files));
  for (let i = 0; i < o.files; i++) {
    const year = 2010 + (i % 12);
    const taken = Date.UTC(year, i % 12, 1 + (i % 28), 12) / 1000;
    const base = bases[i % bases.length] ?? Buffer.alloc(0);
    // Unique, incompressible bytes after the JPEG's end marker: real media does not compress either.
    const data = Buffer.concat([base, randomBytes(Math.max(16, per - base.length))]);
    const name = `IMG_${String(i).padStart(5, '0')}.jpg`;
    const extra = o.captionsAndGps === true ? { description: `Caption of photo ${i} & <friends>`, geoData: { latitude: 48.85 + i / 1e5, longitude: 2.29 - i / 1e5, altitude: 35.2 } } : {};
    const sidecar = Buffer.from(JSON.stringify({ title: name, photoTakenTime: { timestamp: String(taken) }, url: `https://photos.google.com/photo/b${i}`, ...extra }));
    await add(`${GP}/Photos from ${year}/${name}`, data);
    await add(`${GP}/Photos from ${year}/${name}.supplemental-metadata.json`, sidecar);
    if (i % 10 === 0) {
      await add(`${GP}/Album ${i % 7}/${name}`, data);
      await add(`${GP}/Album ${i % 7}/${name}.supplemental-metadata.json`, sidecar);
    }
  }
  for (let a = 0; a < 7; a++) await add(`${GP}/Album ${a}/metadata.json`, Buffer.from(JSON.stringify({ title: `Album ${a}` })));
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  await fh.write(Buffer.concat([cd, end]));
  await fh.close();
  return { entries, bytes: offset };
}
