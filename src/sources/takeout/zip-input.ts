// A .zip input through yauzl: the central directory lists every entry without reading the data, and each
// entry's bytes are opened at random, so sidecars from any part can be read before any media.
// A zip cut short has no central directory; then local headers are walked from the start (local-scan.ts).
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { checkedBody, EntryReadError } from './crc-check.js';
import { entryPathProblem, normaliseEntryPath } from './entry-path.js';
import type { Entry, IndexResult, InputProblem, Limits, TakeoutInput } from './input.js';
import { bombProblem, pool, readAllText, type StreamOptions } from './input.js';
import { scanLocalHeaders } from './local-scan.js';

interface Located {
  entry: Entry;
  open: () => Promise<Readable>;
}

export class ZipInput implements TakeoutInput {
  readonly kind = 'zip';
  readonly parallel = true;
  private zip: yauzl.ZipFile | undefined;
  private readonly located = new Map<string, Located>();

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
        json.set(path, await readAllText(await loc.open(), this.limits.maxJsonBytes));
      } catch (e) {
        onProblem({ input: this.label, entry: path, reason: 'corrupt', detail: (e as Error).message });
      }
    }
    return { entries: [...this.located.values()].map((l) => l.entry), json, complete };
  }

  private listCentral(zip: yauzl.ZipFile, onProblem: (p: InputProblem) => void): Promise<boolean> {
    return new Promise((resolve) => {
      zip.on('entry', (ze: yauzl.Entry) => {
        const raw = ze.fileName as unknown as Buffer;
        const name = yauzl.getFileNameLowLevel(ze.generalPurposeBitFlag, raw, ze.extraFields, false);
        if (!name.endsWith('/')) {
          const mtimeMs = ze.getLastModDate().getTime();
          this.add(name, ze.uncompressedSize, ze.compressedSize, mtimeMs, () => zip.openReadStreamPromise(ze), ze.crc32, onProblem);
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
  ): void {
    const unsafe = entryPathProblem(rawName);
    if (unsafe !== undefined) {
      onProblem({ input: this.label, entry: rawName, reason: 'unsafe-path', detail: `refused: the name ${unsafe}` });
      return;
    }
    const path = normaliseEntryPath(rawName);
    const entry: Entry = { path, size, compressedSize, mtimeMs: Number.isFinite(mtimeMs) ? mtimeMs : 0 };
    const bomb = bombProblem(entry, this.limits);
    if (bomb !== undefined) {
      onProblem({ input: this.label, entry: path, reason: 'bomb', detail: `refused: ${bomb}` });
      return;
    }
    if (this.located.has(path)) return; // a zip may repeat a name; the first one wins, as with unzip -n
    this.located.set(path, { entry, open: async () => checkedBody(await open(), crc, path) });
  }

  async stream(
    wanted: ReadonlySet<string>,
    visit: (entry: Entry, body: AsyncIterable<Uint8Array>) => Promise<void>,
    onProblem: (p: InputProblem) => void,
    o: StreamOptions,
  ): Promise<void> {
    const todo = [...this.located.values()].filter((l) => wanted.has(l.entry.path));
    await pool(todo, o, async (l) => {
      let body: Readable;
      try {
        body = await l.open();
      } catch (e) {
        onProblem({ input: this.label, entry: l.entry.path, reason: 'corrupt', detail: e instanceof EntryReadError ? e.message : (e as Error).message });
        return;
      }
      await visit(l.entry, body);
    });
  }

  close(): Promise<void> {
    this.zip?.close();
    return Promise.resolve();
  }
}
