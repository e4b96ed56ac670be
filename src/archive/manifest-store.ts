// The manifest: what the archive holds and where each item came from.
// Snapshot in .gphotos/manifest.json (rewritten by compact()), plus an append-only journal .gphotos/manifest.journal
// that makes each change durable with one short append instead of a rewrite of the whole file (docs/benchmarks.md).
// Invariant: the in-memory view (manifest-view.ts) is exactly what a reopen would show: ops are applied after they
// are durable, from the very JSON that was written (manifest-commit.ts), so a crash can never expose state the disk
// does not have. Opening reads and repairs what is on disk (manifest-open.ts).
import type { FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Low } from 'lowdb';
import type { ManifestItem, SourceRef } from '../core/types.js';
import { refKey } from '../core/types.js';
import { LocalError } from '../errors.js';
import { CommitLoop } from './manifest-commit.js';
import type { JournalOp, SourceMeta } from './manifest-format.js';
import { itemProblem } from './manifest-format.js';
import { manifestPaths, readOnDisk } from './manifest-open.js';
import type { ManifestSnapshot } from './manifest-snapshot.js';
import { DurableJsonAdapter, emptySnapshot } from './manifest-snapshot.js';
import { ManifestView } from './manifest-view.js';

export type { SourceMeta } from './manifest-format.js';
export { manifestPaths } from './manifest-open.js';

export interface OpenOptions {
  /** Create .gphotos/manifest.json when missing (default true). */
  create?: boolean;
  /** Read without writing anything (no journal fd, no compaction): for `status` while a sync holds the lock. */
  readOnly?: boolean;
  /** Compact after this many journal lines (default 5000). */
  compactEvery?: number;
}

/** What open() found and repaired. */
export interface OpenReport {
  /** Journal lines replayed onto manifest.json. */
  replayed: number;
  /** Bytes of a torn last journal line dropped (an unacknowledged write cut by a crash). */
  tornBytes: number;
}

/** close() compacts once the journal holds 1 line per this many items (any line, in archives under this size). */
const CLOSE_COMPACT_RATIO = 100;

export class ManifestStore {
  readonly archiveDir: string;
  readonly readOnly: boolean;
  readonly recovery: OpenReport;

  /** The live state: what a reopen would show. */
  private readonly view: ManifestView;
  /** The single writer of the journal and manifest.json; undefined when read-only. */
  private readonly writer: CommitLoop | undefined;
  private readonly journal: FileHandle | undefined;
  private closing: Promise<void> | undefined;

  private constructor(init: { archiveDir: string; view: ManifestView; writer: CommitLoop | undefined; journal: FileHandle | undefined; recovery: OpenReport }) {
    this.archiveDir = init.archiveDir;
    this.readOnly = init.writer === undefined;
    this.view = init.view;
    this.writer = init.writer;
    this.journal = init.journal;
    this.recovery = init.recovery;
  }

  /**
   * Open (and by default create) the manifest of `archiveDir`. Writers must hold the archive lock
   * (lock.ts); readOnly opens need no lock.
   */
  static async open(archiveDir: string, opts: OpenOptions = {}): Promise<ManifestStore> {
    const dir = resolve(archiveDir);
    const readOnly = opts.readOnly ?? false;
    const create = !readOnly && (opts.create ?? true);
    const paths = manifestPaths(dir);
    // lowdb writes manifest.json; it never reads it (docs/architecture.md, "The manifest, lowdb and the journal").
    const low = new Low<ManifestSnapshot>(new DurableJsonAdapter(paths.manifest, dir), emptySnapshot(new Date().toISOString()));
    // A missing manifest is written as lowdb's default data: a fresh, empty manifest with its createdAt.
    const { existing, journal, handle } = await readOnDisk(dir, paths, { readOnly, create }, () => low.write());

    const createdAt = existing?.head.createdAt ?? low.data.createdAt;
    const view = new ManifestView();
    if (existing !== null) {
      for (const item of existing.items) view.apply({ op: 'put', item });
      for (const [source, meta] of Object.entries(existing.head.sources)) view.apply({ op: 'meta', source, meta });
    }
    for (const op of journal.ops) view.apply(op);
    const position = { lines: journal.ops.length, nextSeq: journal.nextSeq, bytes: journal.validBytes };
    const compactEvery = Math.max(1, opts.compactEvery ?? 5000);
    const writer = handle === undefined ? undefined : new CommitLoop(view, low, handle, paths, createdAt, compactEvery, position);
    low.data = emptySnapshot(createdAt); // the view's Maps are the live state; do not hold a second copy
    const recovery = { replayed: journal.ops.length, tornBytes: journal.tornBytes };
    return new ManifestStore({ archiveDir: dir, view, writer, journal: handle, recovery });
  }

  get size(): number {
    return this.view.size;
  }

  items(): IterableIterator<ManifestItem> {
    return this.view.items();
  }

  get(key: string): ManifestItem | undefined {
    return this.view.get(key);
  }

  byRef(ref: SourceRef): ManifestItem | undefined {
    return this.view.byRef(ref);
  }

  byPath(path: string): ManifestItem | undefined {
    return this.view.byPath(path);
  }

  /** Group-commit counters since open: journal lines written, fdatasyncs (batches), compactions. */
  commitStats(): { batches: number; lines: number; compactions: number } {
    return this.writer?.counters() ?? { batches: 0, lines: 0, compactions: 0 };
  }

  sourceMeta(source: string): SourceMeta {
    return this.view.sourceMeta(source);
  }

  /**
   * Record an item; resolves once it is durable. Replaces the item with the same key. Rejects (a bug in
   * the caller) when its path or one of its refs already belongs to another item, or its path is unsafe.
   */
  put(item: ManifestItem): Promise<void> {
    const problem = itemProblem(item);
    if (problem !== undefined) return Promise.reject(new LocalError(`Refusing manifest item: ${problem}.`));
    const holder = this.view.pathHolder(item.path);
    if (holder !== undefined && holder !== item.key) {
      return Promise.reject(new LocalError(`Refusing manifest item ${item.key}: path ${item.path} belongs to ${holder}.`));
    }
    for (const ref of item.refs) {
      const owner = this.view.refOwner(ref);
      if (owner !== undefined && owner !== item.key) {
        return Promise.reject(new LocalError(`Refusing manifest item ${item.key}: ref ${refKey(ref)} belongs to ${owner}.`));
      }
    }
    return this.enqueue({ op: 'put', item });
  }

  delete(key: string): Promise<void> {
    return this.enqueue({ op: 'del', key });
  }

  /** Replace what the manifest remembers about a source's last listing; resolves once durable. */
  setSourceMeta(source: string, meta: SourceMeta): Promise<void> {
    return this.enqueue({ op: 'meta', source, meta });
  }

  /** Write manifest.json durably, then empty the journal. */
  compact(): Promise<void> {
    const writer = this.writable();
    return writer instanceof Error ? Promise.reject(writer) : writer.compact();
  }

  /**
   * Flush pending changes, compact unless the journal is small next to the manifest, close the journal.
   * Idempotent. A small journal is left for the next open to replay: rewriting a large manifest for the one line a
   * no-op sync adds would cost a whole rewrite's time and memory, where replaying a line costs next to nothing.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        const writer = this.writer;
        if (writer !== undefined && writer.failed === undefined) {
          await writer.idle();
          if (writer.failed === undefined && writer.journalLines > 0 && writer.journalLines * CLOSE_COMPACT_RATIO >= this.view.size) {
            await writer.compact();
          }
        }
      } finally {
        await this.journal?.close();
      }
    })();
    return this.closing;
  }


  /** The writer, or why nothing may be written now (read-only, closed, or an earlier journal write failed). */
  private writable(): CommitLoop | Error {
    if (this.writer === undefined) return new LocalError(`The manifest of ${this.archiveDir} was opened read-only.`);
    if (this.closing !== undefined) return new LocalError(`The manifest of ${this.archiveDir} is closed.`);
    return this.writer.failed ?? this.writer;
  }

  private enqueue(op: JournalOp): Promise<void> {
    const writer = this.writable();
    return writer instanceof Error ? Promise.reject(writer) : writer.enqueue(op);
  }
}
