// A .tgz/.tar.gz input through node-tar's streaming Parser. A tar has no index, so index() is one pass
// over the stream (keeping only names, sizes and the small JSON bodies) and stream() a second pass that
// hands the wanted entries' bodies over in archive order; the parser waits while a body is being written.
import { createReadStream } from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import { readHead } from '../../core/peek.js';
import { EntryReadError } from './crc-check.js';
import { baseOf, entryPathProblem, normaliseEntryPath } from './entry-path.js';
import type { Entry, IndexResult, InputProblem, Limits, OnProblem, RefusedEntry, StreamOptions, TakeoutInput, Visit } from './input.js';
import { bombProblem } from './input.js';
import { SNIFF_BYTES } from './magic.js';
import { needsSniff } from './names.js';

type OnEntry = (raw: ReadEntry, entry: Entry) => Promise<void> | undefined;

export class TgzInput implements TakeoutInput {
  readonly kind = 'tgz';
  readonly parallel = false;

  constructor(
    readonly label: string,
    private readonly limits: Limits,
  ) {}

  async index(onProblem: OnProblem): Promise<IndexResult> {
    const entries: Entry[] = [];
    const json = new Map<string, string>();
    const heads = new Map<string, Uint8Array>();
    const refused: RefusedEntry[] = [];
    const complete = await this.pass(onProblem, true, (raw, entry) => {
      entries.push(entry);
      // A tar is read once: media that lost their extension are sniffed now (the rest of the entry is drained).
      if (needsSniff(baseOf(entry.path)) && entry.size > 0) {
        return (async () => {
          heads.set(entry.path, await readHead(raw as AsyncIterable<Buffer>, SNIFF_BYTES));
        })();
      }
      if (!entry.path.toLowerCase().endsWith('.json') || entry.size > this.limits.maxJsonBytes) return undefined;
      return (async () => {
        const chunks: Buffer[] = [];
        for await (const c of raw as AsyncIterable<Buffer>) chunks.push(c);
        json.set(entry.path, Buffer.concat(chunks).toString('utf8'));
      })();
    }, refused);
    return { entries, json, complete, heads, refused };
  }

  async stream(wanted: ReadonlySet<string>, visit: Visit, onProblem: OnProblem, o: StreamOptions): Promise<void> {
    await this.pass(onProblem, false, (raw, entry) =>
      wanted.has(entry.path) && o.signal?.aborted !== true ? visit(entry, raw as AsyncIterable<Buffer>) : undefined,
    );
  }

  /** One pass over the archive; resolves false when it ended damaged. */
  private pass(onProblem: OnProblem, report: boolean, onEntry: OnEntry, refused?: RefusedEntry[]): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let damaged = false;
      let current: ReadEntry | undefined;
      let chain = Promise.resolve();
      const seen = new Set<string>();
      // A body cut off mid-way would otherwise wait for bytes that never come.
      const cut = (why: string): void => {
        current?.destroy(new EntryReadError(`${this.label}: ${why}`));
        current = undefined;
      };
      const problem = (p: Omit<InputProblem, 'input'>): void => {
        if (report) onProblem({ input: this.label, ...p });
      };
      const parser = new Parser({
        strict: false,
        onwarn: (code: string, message: string | Error) => {
          const text = typeof message === 'string' ? message : message.message;
          damaged = true;
          problem({ reason: /decompression ratio/.test(text) ? 'bomb' : 'corrupt', detail: `${code}: ${text}` });
          cut(text);
        },
        onReadEntry: (raw: ReadEntry) => {
          raw.on('error', () => undefined); // the visitor sees it through iteration; nobody else must crash
          const rawName = raw.path;
          if (raw.type !== 'File' && raw.type !== 'OldFile' && raw.type !== 'ContiguousFile') return void raw.resume();
          const unsafe = entryPathProblem(rawName);
          const entry: Entry = { path: normaliseEntryPath(rawName), size: raw.size, compressedSize: raw.size, mtimeMs: raw.mtime?.getTime() ?? 0 };
          const bomb = bombProblem(entry, this.limits);
          if (unsafe !== undefined || bomb !== undefined || seen.has(entry.path)) {
            if (unsafe !== undefined) {
              problem({ entry: rawName, reason: 'unsafe-path', detail: `refused: the name ${unsafe}` });
              refused?.push({ path: rawName, reason: 'unsafe-path', detail: `refused: the name ${unsafe}` });
            } else if (bomb !== undefined) {
              problem({ entry: entry.path, reason: 'bomb', detail: `refused: ${bomb}` });
              refused?.push({ path: entry.path, reason: 'bomb', detail: `refused: ${bomb}` });
            }
            return void raw.resume();
          }
          seen.add(entry.path);
          const work = onEntry(raw, entry);
          if (work === undefined) return void raw.resume();
          current = raw;
          raw.on('end', () => {
            if (current === raw) current = undefined;
          });
          // Whatever the visitor left unread must still be drained, or the parser stalls on this entry.
          chain = chain.then(() => work.catch(() => undefined).finally(() => raw.resume()));
        },
      });
      const finish = (): void => {
        void chain.then(() => resolve(!damaged));
      };
      parser.on('end', finish);
      // Unrecoverable damage (a gzip stream cut short) arrives as 'error', and also as 'abort'.
      parser.on('error', (e: Error) => {
        damaged = true;
        problem({ reason: /decompression ratio/.test(e.message) ? 'bomb' : 'corrupt', detail: e.message });
        cut(e.message);
        finish();
      });
      parser.on('abort', (e: Error) => {
        damaged = true;
        cut(e.message);
        finish();
      });
      const file = createReadStream(this.label);
      file.on('error', (e) => {
        problem({ reason: 'unreadable', detail: e.message });
        damaged = true;
        parser.abort(e);
        finish();
      });
      file.pipe(parser);
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
