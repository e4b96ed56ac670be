// A small zip writer (PKWARE APPNOTE 6.3: local headers, central directory, end record; STORED or DEFLATE,
// UTF-8 names) for Takeout exports and test fixtures. No ZIP64: a part stays under 4 GiB and 65 535 entries,
// which Takeout's own 2 GB default respects. yauzl (the project's zip reader) only reads.
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntryInput {
  /** Written as given, UTF-8 (names are not checked: test fixtures need hostile ones). */
  name: string;
  data: Uint8Array;
  deflate?: boolean;
  /** The uncompressed size the headers claim; default the real one (tests write lying archives with it). */
  declaredSize?: number;
}

const LOCAL = 30;
const CENTRAL = 46;
const END = 22;
export const ZIP_MAX_BYTES = 0xffff_ffff;
export const ZIP_MAX_ENTRIES = 0xffff;

/** What an entry adds to a zip's size: its local header, name and body, plus its central directory record. */
export function zipEntryCost(name: string, storedBytes: number): number {
  const n = Buffer.byteLength(name, 'utf8');
  return LOCAL + n + storedBytes + CENTRAL + n;
}

/** Bytes of a zip beyond its entries (the end-of-central-directory record). */
export const ZIP_FIXED_COST = END;

/** MS-DOS date and time fields of a UTC instant (zip has no time zone; 2-second resolution). */
export function dosDateTime(at: Date): { date: number; time: number } {
  const year = Math.min(Math.max(at.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
  };
}

/** Encodes entries one at a time (so a caller can stream them to a file), then the central directory. */
export class ZipEncoder {
  private offset = 0;
  private count = 0;
  private readonly central: Buffer[] = [];

  constructor(private readonly when: { date: number; time: number }) {}

  /** The stored body of `data`: deflated when asked, else as is. */
  static body(entry: ZipEntryInput): { method: number; stored: Buffer } {
    const raw = Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength);
    if (entry.deflate !== true) return { method: 0, stored: raw };
    return { method: 8, stored: deflateRawSync(raw) };
  }

  /** Local header, name and body of one entry, in the order they go into the file. */
  add(entry: ZipEntryInput): Buffer[] {
    const { method, stored } = ZipEncoder.body(entry);
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? entry.data.byteLength;
    if (this.count + 1 > ZIP_MAX_ENTRIES || this.offset + zipEntryCost(entry.name, stored.length) + END > ZIP_MAX_BYTES) {
      throw new RangeError('zip part too large for a zip without ZIP64 (4 GiB or 65 535 entries): choose a smaller part size');
    }
    const local = Buffer.alloc(LOCAL);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x800, 6); // general purpose flag bit 11: names are UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(this.when.time, 10);
    local.writeUInt16LE(this.when.date, 12);
    local.writeUInt32LE(crc32(entry.data), 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(CENTRAL);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: Unix, spec 3.0
    local.copy(central, 6, 4, 30); // version needed .. name length are laid out alike
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
    central.writeUInt32LE(this.offset, 42);
    this.central.push(central, name);
    this.offset += LOCAL + name.length + stored.length;
    this.count++;
    return [local, name, stored];
  }

  /** The central directory and end record: the zip's last bytes. */
  finish(): Buffer {
    const cd = Buffer.concat(this.central);
    const end = Buffer.alloc(END);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(this.offset, 16);
    return Buffer.concat([cd, end]);
  }
}

/** A whole zip in memory (fixtures, small exports). */
export function zipBuffer(entries: readonly ZipEntryInput[], when: Date = new Date(Date.UTC(2024, 0, 1))): Buffer {
  const zip = new ZipEncoder(dosDateTime(when));
  return Buffer.concat([...entries.flatMap((e) => zip.add(e)), zip.finish()]);
}
