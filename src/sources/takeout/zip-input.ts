// A .zip input through yauzl: the central directory lists every entry without reading the data, and each
// entry's bytes are opened at random, so sidecars from any part can be read before any media.
// A zip cut short has no central directory; then local headers are walked from the start (local-scan.ts).
import { open as openFile, stat, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { readHead } from '../../core/peek.js';
import { runPool } from '../../core/pool.js';
import { checkedBody, EntryReadError } from './crc-check.js';
import { baseOf, entryPathProblem, normaliseEntryPath } from './entry-path.js';
import type { Entry, IndexResult, InputProblem, Limits, RefusedEntry, TakeoutInput } from './input.js';
import { bombProblem, readAllText, type StreamOptions } from './input.js';
import { SNIFF_BYTES } from './magic.js';
import { needsSniff } from './names.js';
import { scanLocalHeaders } from './local-scan.js';
import { storedBody, storedDataStart } from './stored-body.js';

/** Read size for stored entries: above the 128 KiB the importer peeks at, so a photo's head is one chunk. */
const CHUNK = 512 * 1024;

interface Located {
  entry: Entry;
  open: () => Promise<Readable>;
  /** A stored, unencrypted entry listed by the central directory: read directly (stored-body.ts). */
  stored?: { header: number; crc: number };
}

export class ZipInput implements TakeoutInput {
  readonly kind = 'zip';
  readonly parallel = true;
  private zip: yauzl.ZipFile | undefined;
  private readonly located = new Map<string, Located>();
  private readonly refused: RefusedEntry[] = [];
  private file: Promise<{ fh: FileHandle; size: number }> | undefined;

  constructor(
    readonly label: string,
    private readonly limits: Limits,
  ) {}

  async index(onProblem: (p: InputProblem) => void): Promise<IndexResult> {
    let complete = true;
    try {
      this.zip = await yauzl.openPromise(this.label, { lazyEntries: true, decodeStrings: false, autoClose: false, validateEntrySizes: true });
      complete = await this.listCentral(this.zip, onProblem);
    } catch (e) {
      onProblem({ input: this.label, reason: 'corrupt', detail: `no readable central directory (${(e as Error).message}); reading entries from the start` });
      complete = false;
      const size = (await stat(this.label)).size;
      for (const le of await scanLocalHeaders(this.label, size, (d) => onProblem({ input: this.label, reason: 'corrupt', detail: d }))) {
        this.add(le.name, le.size, le.compressedSize, le.mtimeMs, () => Promise.resolve(le.open()), le.crc, onProblem);
      }
    }
    const json = new Map<string, string>();
    for (const [path, loc] of this.located) {
      if (!path.toLowerCase().endsWith('.json') || loc.entry.size > this.limits.maxJsonBytes) continue;
      try {
        json.set(path, await readAllText(await this.jsonBody(loc), this.limits.maxJsonBytes));
      } catch (e) {
        onProblem({ input: this.label, entry: path, reason: 'corrupt', detail: (e as Error).message });
      }
    }
    // Media that lost their extension are known by their first bytes; a zip reads them at random.
    const heads = new Map<string, Uint8Array>();
    for (const [path, loc] of this.located) {
      if (!needsSniff(baseOf(path)) || loc.entry.size === 0) continue;
      try {
        const body = await loc.open();
        try {
          heads.set(path, await readHead(body, SNIFF_BYTES));
        } finally {
          body.destroy();
        }
      } catch (e) {
        onProblem({ input: this.label, entry: path, reason: 'corrupt', detail: (e as Error).message });
      }
    }
    return { entries: [...this.located.values()].map((l) => l.entry), json, complete, heads, refused: [...this.refused] };
  }

  private listCentral(zip: yauzl.ZipFile, onProblem: (p: InputProblem) => void): Promise<boolean> {
    return new Promise((resolve) => {
      zip.on('entry', (ze: yauzl.Entry) => {
        const raw = ze.fileName as unknown as Buffer;
        const name = yauzl.getFileNameLowLevel(ze.generalPurposeBitFlag, raw, ze.extraFields, false);
        if (!name.endsWith('/')) {
          const mtimeMs = ze.getLastModDate().getTime();
          const stored = ze.compressionMethod === 0 && (ze.generalPurposeBitFlag & 1) === 0 && ze.compressedSize === ze.uncompressedSize;
          this.add(name, ze.uncompressedSize, ze.compressedSize, mtimeMs, () => zip.openReadStreamPromise(ze), ze.crc32, onProblem,
            stored ? { header: ze.relativeOffsetOfLocalHeader, crc: ze.crc32 } : undefined);
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve(true));
      zip.on('error', (e: Error) => {
        onProblem({ input: this.label, reason: 'corrupt', detail: `central directory: ${e.message}` });
        resolve(false);
      });
      zip.readEntry();
    });
  }

  private add(
    rawName: string,
    size: number,
    compressedSize: number,
    mtimeMs: number,
    open: () => Promise<Readable>,
    crc: number,
    onProblem: (p: InputProblem) => void,
    stored?: Located['stored'],
  ): void {
    const unsafe = entryPathProblem(rawName);
    if (unsafe !== undefined) {
      const detail = `refused: the name ${unsafe}`;
      this.refused.push({ path: rawName, reason: 'unsafe-path', detail });
      onProblem({ input: this.label, entry: rawName, reason: 'unsafe-path', detail });
      return;
    }
    const path = normaliseEntryPath(rawName);
    const entry: Entry = { path, size, compressedSize, mtimeMs: Number.isFinite(mtimeMs) ? mtimeMs : 0 };
    const bomb = bombProblem(entry, this.limits);
    if (bomb !== undefined) {
      this.refused.push({ path, reason: 'bomb', detail: `refused: ${bomb}` });
      onProblem({ input: this.label, entry: path, reason: 'bomb', detail: `refused: ${bomb}` });
      return;
    }
    if (this.located.has(path)) return; // a zip may repeat a name; the first one wins, as with unzip -n
    this.located.set(path, { entry, open: async () => checkedBody(await open(), crc, path), ...(stored === undefined ? {} : { stored }) });
  }

  async stream(
    wanted: ReadonlySet<string>,
    visit: (entry: Entry, body: AsyncIterable<Uint8Array>) => Promise<void>,
    onProblem: (p: InputProblem) => void,
    o: StreamOptions,
  ): Promise<void> {
    const todo = [...this.located.values()].filter((l) => wanted.has(l.entry.path));
    // One read buffer per entry in flight, handed back once its body is finished: no garbage per chunk.
    const spare: Buffer[] = [];
    await runPool(todo, o.concurrency, async (l) => {
      if (l.stored !== undefined) {
        let start: number;
        let fh: FileHandle;
        try {
          const f = await this.openFile();
          fh = f.fh;
          start = await storedDataStart(fh, l.stored.header, l.entry.size, f.size, l.entry.path);
        } catch (e) {
          onProblem({ input: this.label, entry: l.entry.path, reason: 'corrupt', detail: (e as Error).message });
          return;
        }
        const buf = spare.pop() ?? Buffer.allocUnsafe(CHUNK);
        const { body, lent } = storedBody(fh, start, l.entry.size, l.stored.crc, l.entry.path, buf);
        try {
          await visit(l.entry, body);
        } finally {
          if (lent.free) spare.push(buf); // else a read still in flight may land in it: let it go
        }
        return;
      }
      let body: Readable;
      try {
        body = await l.open();
      } catch (e) {
        onProblem({ input: this.label, entry: l.entry.path, reason: 'corrupt', detail: e instanceof EntryReadError ? e.message : (e as Error).message });
        return;
      }
      await visit(l.entry, body);
    }, () => o.signal?.aborted === true);
  }

  /** A small JSON entry's bytes: stored ones in one read into their own buffer (readAllText keeps it). */
  private async jsonBody(loc: Located): Promise<AsyncIterable<Uint8Array>> {
    if (loc.stored === undefined) return loc.open();
    const f = await this.openFile();
    const start = await storedDataStart(f.fh, loc.stored.header, loc.entry.size, f.size, loc.entry.path);
    return storedBody(f.fh, start, loc.entry.size, loc.stored.crc, loc.entry.path, Buffer.allocUnsafe(Math.max(1, loc.entry.size))).body;
  }

  private openFile(): Promise<{ fh: FileHandle; size: number }> {
    this.file ??= (async () => {
      const fh = await openFile(this.label, 'r');
      try {
        return { fh, size: (await fh.stat()).size };
      } catch (e) {
        await fh.close();
        throw e;
      }
    })();
    return this.file;
  }

  async close(): Promise<void> {
    this.zip?.close();
    const file = this.file;
    this.file = undefined;
    if (file !== undefined) await (await file.catch(() => undefined))?.fh.close();
  }
}
