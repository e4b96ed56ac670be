// An extracted Takeout folder (or any folder of photos). Symlinks are not followed: an export has none,
// and following one could read files far outside what the user named.
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import { runPool } from '../../core/pool.js';
import { baseOf, normaliseEntryPath } from './entry-path.js';
import type { Entry, IndexResult, Limits, OnProblem, StreamOptions, TakeoutInput, Visit } from './input.js';
import { SNIFF_BYTES } from './magic.js';
import { needsSniff } from './names.js';

export class DirInput implements TakeoutInput {
  readonly kind = 'dir';
  readonly parallel = true;
  private readonly located = new Map<string, { entry: Entry; file: string }>();

  constructor(
    readonly label: string,
    private readonly limits: Limits,
  ) {}

  async index(onProblem: OnProblem): Promise<IndexResult> {
    const entries: Entry[] = [];
    const json = new Map<string, string>();
    const heads = new Map<string, Uint8Array>();
    let complete = true;
    const found = await fg('**/*', { cwd: this.label, onlyFiles: true, stats: true, dot: true, followSymbolicLinks: false, suppressErrors: true });
    for (const f of found) {
      const path = normaliseEntryPath(f.path);
      const size = f.stats?.size ?? 0;
      const entry = { path, size, compressedSize: size, mtimeMs: f.stats?.mtimeMs ?? 0 };
      entries.push(entry);
      this.located.set(path, { entry, file: join(this.label, f.path) });
      if (path.toLowerCase().endsWith('.json') && size <= this.limits.maxJsonBytes) {
        try {
          json.set(path, await readFile(join(this.label, f.path), 'utf8'));
        } catch (e) {
          complete = false;
          onProblem({ input: this.label, entry: path, reason: 'unreadable', detail: (e as Error).message });
        }
      } else if (needsSniff(baseOf(path)) && size > 0) {
        try {
          heads.set(path, await readFileHead(join(this.label, f.path)));
        } catch (e) {
          complete = false;
          onProblem({ input: this.label, entry: path, reason: 'unreadable', detail: (e as Error).message });
        }
      }
    }
    return { entries, json, complete, heads, refused: [] };
  }

  async stream(wanted: ReadonlySet<string>, visit: Visit, _onProblem: OnProblem, o: StreamOptions): Promise<void> {
    const todo = [...this.located.values()].filter((l) => wanted.has(l.entry.path));
    await runPool(todo, o.concurrency, (l) => visit(l.entry, createReadStream(l.file)), () => o.signal?.aborted === true);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function readFileHead(file: string): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
