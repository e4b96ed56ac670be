// The manifest's single writer: it appends ops to the journal in batches (one fdatasync per batch: group commit)
// and rewrites manifest.json (compaction), never both at once. An op reaches the view only once it is durable,
// applied from the very JSON that was written, so the view never shows what a reopen would not.
import type { FileHandle } from 'node:fs/promises';
import type { Low } from 'lowdb';
import { isGphotosError } from '../errors.js';
import { writeAll } from './durable-file.js';
import { journalLine } from './journal-format.js';
import type { JournalOp } from './manifest-format.js';
import { SCHEMA } from './manifest-format.js';
import type { ManifestSnapshot } from './manifest-snapshot.js';
import { emptySnapshot } from './manifest-snapshot.js';
import type { ManifestView } from './manifest-view.js';
import { writeFailed } from './state-files.js';

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface Pending extends Waiter {
  /** The op's JSON; framed (checksum, seq) when written, since seq follows write order across compactions. */
  json: string;
  op: JournalOp;
}

/** Where the journal stood when it was opened (after replay and any torn tail was cut). */
export interface JournalPosition {
  /** Lines in it: they count towards the next automatic compaction. */
  lines: number;
  nextSeq: number;
  bytes: number;
}

export interface CommitFiles {
  manifest: string;
  journal: string;
}

export class CommitLoop {
  private pending: Pending[] = [];
  private compactWaiters: Waiter[] = [];
  private loop: Promise<void> | undefined;
  /** Journal lines since the last compaction (replayed ones included). */
  private lines: number;
  /** Sequence number of the next journal line. */
  private nextSeq: number;
  /** Length of the journal: where the next batch starts. */
  private journalBytes: number;
  private failure: Error | undefined;
  private readonly stats = { batches: 0, lines: 0, compactions: 0 };

  constructor(
    private readonly view: ManifestView,
    private readonly low: Low<ManifestSnapshot>,
    private readonly journal: FileHandle,
    private readonly files: CommitFiles,
    private readonly createdAt: string,
    private readonly compactEvery: number,
    at: JournalPosition,
  ) {
    this.lines = at.lines;
    this.nextSeq = at.nextSeq;
    this.journalBytes = at.bytes;
  }

  /** The journal write that failed: every later op is refused with it, since the disk no longer matches the view. */
  get failed(): Error | undefined {
    return this.failure;
  }

  get journalLines(): number {
    return this.lines;
  }

  counters(): { batches: number; lines: number; compactions: number } {
    return { ...this.stats };
  }

  /** Resolves once `op` is durable in the journal and applied to the view. */
  enqueue(op: JournalOp): Promise<void> {
    const json = JSON.stringify(op);
    // Re-parse: the applied value is the written value (no caller aliasing, no undefined fields).
    const written = JSON.parse(json) as JournalOp;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ json, op: written, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once manifest.json holds everything acknowledged so far and the journal is empty. */
  compact(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.compactWaiters.push({ resolve, reject });
      this.kick();
    });
  }

  /** Wait until nothing is queued or being written. */
  async idle(): Promise<void> {
    while (this.loop !== undefined) await this.loop;
  }

  private kick(): void {
    if (this.loop !== undefined) return;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      if (this.pending.length > 0 || this.compactWaiters.length > 0) this.kick();
    });
  }

  private async run(): Promise<void> {
    // Let every put issued in this turn of the event loop join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.failure === undefined && (this.pending.length > 0 || this.compactWaiters.length > 0)) {
      if (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        if (!(await this.append(batch))) break;
      }
      if (this.compactWaiters.length > 0) {
        const waiters = this.compactWaiters;
        this.compactWaiters = [];
        try {
          await this.snapshot();
          for (const w of waiters) w.resolve();
        } catch (e) {
          for (const w of waiters) w.reject(e);
        }
      }
    }
    if (this.failure !== undefined) {
      for (const p of this.pending.splice(0)) p.reject(this.failure);
      for (const w of this.compactWaiters.splice(0)) w.reject(this.failure);
    }
  }

  /** Write and fdatasync one batch, then apply and acknowledge it; false when the write failed. */
  private async append(batch: Pending[]): Promise<boolean> {
    const before = this.journalBytes;
    try {
      const first = this.nextSeq;
      this.nextSeq += batch.length;
      const text = Buffer.from(batch.map((p, i) => journalLine(first + i, p.json)).join(''), 'utf8');
      await writeAll(this.journal, text);
      await this.journal.datasync();
      this.journalBytes += text.length;
    } catch (e) {
      // A short write (a full disk) may have left some lines of this refused batch: cut them, so that what
      // the disk holds is exactly what was acknowledged.
      await this.journal.truncate(before).catch(() => undefined);
      this.failure = writeFailed(this.files.journal, e);
      for (const p of batch) p.reject(this.failure);
      return false;
    }
    for (const p of batch) this.view.apply(p.op);
    this.lines += batch.length;
    this.stats.batches++;
    this.stats.lines += batch.length;
    for (const p of batch) p.resolve();
    if (this.lines >= this.compactEvery && this.compactWaiters.length === 0) {
      // Automatic compaction: a failure leaves the journal intact, so retry after another compactEvery lines.
      this.compactWaiters.push({ resolve: () => undefined, reject: () => (this.lines = 0) });
    }
    return true;
  }

  private async snapshot(): Promise<void> {
    // No append runs during this (same loop), so the journal holds nothing the snapshot lacks.
    this.low.data = { schema: SCHEMA, createdAt: this.createdAt, ...this.view.snapshotParts() };
    try {
      await this.low.write();
    } catch (e) {
      // The journal still holds every change, so nothing is lost: say what to fix (a full disk, an immutable file).
      throw isGphotosError(e) ? e : writeFailed(this.files.manifest, e, 'rewrite');
    } finally {
      this.low.data = emptySnapshot(this.createdAt);
    }
    // A crash before this truncate replays lines already in the snapshot: harmless, every op is idempotent.
    try {
      await this.journal.truncate(0);
      await this.journal.datasync();
    } catch (e) {
      throw writeFailed(this.files.journal, e, 'empty');
    }
    this.lines = 0;
    this.nextSeq = 1;
    this.journalBytes = 0;
    this.stats.compactions++;
  }
}
