// Reading a zip whose end (and so its central directory) is missing, e.g. a download cut short: walk the
// local file headers from the start and keep every entry whose data is whole. Entries written with a data
// descriptor (sizes only after the data) cannot be walked past safely, so the walk stops there and says so.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

export interface LocalEntry {
  name: string;
  size: number;
  compressedSize: number;
  crc: number;
  mtimeMs: number;
  open: () => Readable;
}

const LOCAL_SIG = 0x04034b50;

function dosTime(date: number, time: number): number {
  const d = new Date(1980 + (date >> 9), ((date >> 5) & 15) - 1, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2);
  return d.getTime();
}

export async function scanLocalHeaders(file: string, fileSize: number, onDamage: (detail: string) => void): Promise<LocalEntry[]> {
  const out: LocalEntry[] = [];
  const fh = await open(file, 'r');
  try {
    const h = Buffer.alloc(30);
    for (let pos = 0; pos + 30 <= fileSize; ) {
      await fh.read(h, 0, 30, pos);
      if (h.readUInt32LE(0) !== LOCAL_SIG) break; // the central directory (or garbage) starts here
      const flags = h.readUInt16LE(6);
      const method = h.readUInt16LE(8);
      const crc = h.readUInt32LE(14);
      const compressedSize = h.readUInt32LE(18);
      const size = h.readUInt32LE(22);
      const nameLen = h.readUInt16LE(26);
      const extraLen = h.readUInt16LE(28);
      const nameBuf = Buffer.alloc(nameLen);
      await fh.read(nameBuf, 0, nameLen, pos + 30);
      const name = nameBuf.toString(flags & 0x800 ? 'utf8' : 'latin1');
      if ((flags & 0x08) !== 0 || compressedSize === 0xffffffff) {
        onDamage(`cannot walk past ${name}: its size is only written after its data`);
        break;
      }
      const start = pos + 30 + nameLen + extraLen;
      const end = start + compressedSize;
      if (end > fileSize) {
        onDamage(`${name} is cut short (${fileSize - start} of ${compressedSize} bytes present)`);
        break;
      }
      if (!name.endsWith('/') && (method === 0 || method === 8)) {
        out.push({
          name,
          size,
          compressedSize,
          crc,
          mtimeMs: dosTime(h.readUInt16LE(12), h.readUInt16LE(10)),
          open: () => {
            if (compressedSize === 0) return Readable.from([]);
            const raw = createReadStream(file, { start, end: end - 1 });
            if (method === 0) return raw;
            const inflate = createInflateRaw();
            pipeline(raw, inflate, () => undefined); // errors reach the reader through `inflate`
            return inflate;
          },
        });
      } else if (!name.endsWith('/')) {
        onDamage(`${name} uses compression method ${method}, which gphotos cannot read`);
      }
      pos = end;
    }
  } finally {
    await fh.close();
  }
  return out;
}
