// SHA-256 of many files on worker threads. Each worker reads synchronously into a reused buffer (open, fstat, read,
// close for a small file; no stream, promise or thread-pool hop per read) and hashes with OpenSSL (SHA-NI where the
// CPU has it); the main thread only posts batches of paths and receives hex digests, so N workers keep N cores busy.
// At 100k files of 1–8 KiB, per-file overhead (syscalls, promises, messages) costs more than the hashing.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashResult } from './hash-file.js';

/** A file to hash: its absolute path and, when known, the size it must have (see PoolOutcome 'size'). */
export interface PoolJob {
  abs: string;
  /** Expected size: a regular file of another size is reported, not hashed (verify needs no hash of it). */
  size?: number;
}

/**
 * What a worker found at a path. The path is opened O_NOFOLLOW|O_NONBLOCK and fstat'ed, which answers what
 * an lstat would (a symlink, folder, FIFO or nothing at the path is `missing`) without a separate pass.
 */
export type PoolOutcome =
  | { kind: 'hashed'; size: number; sha256: string }
  | { kind: 'missing' }
  | { kind: 'size'; size: number }
  | { kind: 'unreadable'; message: string };

// The worker, as CommonJS source (eval: true), so the same code runs from dist/ and from vitest's TS sources.
const WORKER_SOURCE = String.raw`
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const C = fs.constants;
const FLAGS = C.O_RDONLY | (C.O_NOFOLLOW || 0) | (C.O_NONBLOCK || 0);
let buf = Buffer.allocUnsafe(4 << 20);
let stop = null; // Int32Array over the pool's SharedArrayBuffer: [0] stop flag, [1] next file sequence number
function one(job, spec) {
  let fd;
  try {
    fd = fs.openSync(job.abs, FLAGS);
  } catch (e) {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR' || e.code === 'ELOOP') return { kind: 'missing' };
    return { kind: 'unreadable', message: e.message };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { kind: 'missing' };
    if (job.size !== undefined && st.size !== job.size) return { kind: 'size', size: st.size };
    // Read up to the size fstat gave (no extra read just to see EOF: 4 syscalls for a small file); a file that
    // shrinks meanwhile ends early and reports its new size. A file that fits the buffer: one-shot crypto.hash.
    if (st.size <= buf.length) {
      let size = 0;
      while (size < st.size) {
        const n = fs.readSync(fd, buf, size, st.size - size, null);
        if (n === 0) break;
        size += n;
      }
      return { kind: 'hashed', size, sha256: crypto.hash('sha256', buf.subarray(0, size), 'hex') };
    }
    const hash = crypto.createHash('sha256');
    let size = 0;
    while (size < st.size) {
      if (spec && Atomics.load(stop, 0) !== 0) return null;
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, st.size - size), null);
      if (n === 0) break;
      hash.update(n === buf.length ? buf : buf.subarray(0, n));
      size += n;
    }
    return { kind: 'hashed', size, sha256: hash.digest('hex') };
  } catch (e) {
    return { kind: 'unreadable', message: e.message };
  } finally {
    try { fs.closeSync(fd); } catch {}
  }
}
// Speculation: every worker walks the same tree in the same order; a shared counter hands out chunks of the
// file sequence, so each file is hashed once, until the stop flag is raised. Results go back in batches.
function speculate(m) {
  stop = new Int32Array(m.shared);
  const CHUNK = 32;
  let seq = 0, lo = 0, hi = 0;
  let out = { paths: [], sizes: [], shas: [] };
  const flush = () => {
    if (out.paths.length > 0) parentPort.postMessage({ spec: out });
    out = { paths: [], sizes: [], shas: [] };
  };
  const walk = (rel) => {
    let entries;
    try {
      entries = fs.readdirSync(rel === '' ? m.root : m.root + '/' + rel, { withFileTypes: true });
    } catch {
      return true;
    }
    for (const d of entries) {
      if (Atomics.load(stop, 0) !== 0) return false;
      const path = rel === '' ? d.name : rel + '/' + d.name;
      if (d.isDirectory()) {
        if (rel === '' && m.skip.includes(d.name)) continue;
        if (!walk(path)) return false;
      } else if (d.isFile()) {
        const s = seq++;
        if (s >= hi) { lo = Atomics.add(stop, 1, CHUNK); hi = lo + CHUNK; }
        if (s < lo) continue;
        const r = one({ abs: m.root + '/' + path }, true);
        if (r === null) return false;
        if (r.kind !== 'hashed') continue;
        out.paths.push(path); out.sizes.push(r.size); out.shas.push(r.sha256);
        if (out.paths.length >= 512) flush();
      }
    }
    return true;
  };
  walk('');
  flush();
  parentPort.postMessage({ specDone: true });
}
parentPort.on('message', (m) => {
  if (m.speculate) speculate(m);
  else parentPort.postMessage({ id: m.id, out: m.jobs.map((j) => one(j, false)) });
});
`;

interface Batch {
  id: number;
  start: number;
  jobs: PoolJob[];
}

/** Files per message: big enough to amortise a message (~10 µs), small enough to balance the workers. */
const BATCH_FILES = 128;
const BATCH_BYTES = 16 * 1024 * 1024;
/** What a job of unknown size counts for in a batch's bytes. */
const UNKNOWN_SIZE = 1024 * 1024;

/** Worker threads to use: one per core, at most 4 (the disk, not the CPU, limits beyond that). */
export function hashThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * One task on worker `w`: refs it while busy, hands its messages to `onMessage` until `finish` is called, then
 * detaches and unrefs it again so an idle pool never keeps the process alive. `start` posts the first work.
 * A worker 'error' or exit rejects: a task cut short must not look complete (run() would return holes).
 */
function occupy<M>(
  w: Worker,
  onMessage: (m: M, finish: () => void) => void,
  start: (finish: () => void) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const detach = (): void => {
      w.off('message', onMsg);
      w.off('error', onError);
      w.off('exit', onExit);
      w.unref();
    };
    const onMsg = (m: M): void => onMessage(m, finish);
    const onError = (e: Error): void => {
      detach();
      reject(e);
    };
    // A thread that ends mid-task (terminated, out of memory) would otherwise leave the task waiting forever.
    const onExit = (code: number): void => onError(new Error(`a hashing thread stopped (exit code ${code}) before its work was done`));
    const finish = (): void => {
      detach();
      resolve();
    };
    w.ref();
    w.on('message', onMsg);
    w.on('error', onError);
    w.on('exit', onExit);
    start(finish);
  });
}

/**
 * A pool of hashing threads. Start it early (threads boot in ~30 ms, in parallel with reading the manifest),
 * run() any number of job lists, then close(). Unref'ed: an idle pool never keeps the process alive.
 */
export class HashPool {
  private readonly workers: Worker[];

  constructor(threads = hashThreads()) {
    this.workers = Array.from({ length: Math.max(1, threads) }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.unref();
      return w;
    });
  }

  /**
   * Outcomes in job order. `onBatch(done, bytes)` reports progress after each batch. Each worker has two
   * batches in flight, so it never waits for the main thread between batches.
   */
  async run(jobs: readonly PoolJob[], onBatch?: (done: number, bytes: number) => void): Promise<PoolOutcome[]> {
    const out = new Array<PoolOutcome>(jobs.length);
    if (jobs.length === 0) return out;
    const batches: Batch[] = [];
    for (let i = 0; i < jobs.length; ) {
      const start = i;
      let bytes = 0;
      while (i < jobs.length && i - start < BATCH_FILES && bytes < BATCH_BYTES) bytes += jobs[i++]!.size ?? UNKNOWN_SIZE;
      batches.push({ id: batches.length, start, jobs: jobs.slice(start, i) });
    }
    let next = 0;
    let done = 0;
    let bytes = 0;
    await Promise.all(
      this.workers.map((w) => {
        const byId = new Map<number, Batch>();
        const send = (): void => {
          const b = batches[next++];
          if (b === undefined) return;
          byId.set(b.id, b);
          w.postMessage({ id: b.id, jobs: b.jobs });
        };
        const onMessage = (m: { id: number; out: PoolOutcome[] }, finish: () => void): void => {
          const b = byId.get(m.id)!;
          byId.delete(m.id);
          for (let k = 0; k < m.out.length; k++) {
            const r = m.out[k]!;
            out[b.start + k] = r;
            if (r.kind === 'hashed') bytes += r.size;
          }
          done += m.out.length;
          onBatch?.(done, bytes);
          send();
          if (byId.size === 0) finish();
        };
        return occupy(w, onMessage, (finish) => {
          send();
          send();
          if (byId.size === 0) finish();
        });
      }),
    );
    return out;
  }

  /**
   * Hash the files under `root` before knowing which are wanted, on threads that would otherwise wait (verify
   * starts this while the main thread parses the manifest). Each file is hashed by one worker; folders named in
   * `skipTop` (at the top of `root`) are not entered; symlinks are never followed. Call stop() to end it: the
   * workers finish their current read and report '/'-relative path → size and SHA-256 of what they completed.
   * No run() may start before stop() resolves.
   */
  speculate(root: string, skipTop: readonly string[]): { stop: () => Promise<Map<string, HashResult>> } {
    const shared = new SharedArrayBuffer(8);
    const flags = new Int32Array(shared);
    const found = new Map<string, HashResult>();
    type SpecMessage = { spec?: { paths: string[]; sizes: number[]; shas: string[] }; specDone?: true };
    const onMessage = (m: SpecMessage, finish: () => void): void => {
      if (m.spec !== undefined) {
        const { paths, sizes, shas } = m.spec;
        for (let i = 0; i < paths.length; i++) found.set(paths[i]!, { size: sizes[i]!, sha256: shas[i]! });
      }
      if (m.specDone === true) finish();
    };
    const done = Promise.all(
      this.workers.map((w) => occupy(w, onMessage, () => w.postMessage({ speculate: true, root, skip: skipTop, shared }))),
    );
    done.catch(() => undefined); // surfaced by stop()
    return {
      stop: async () => {
        Atomics.store(flags, 0, 1);
        await done;
        return found;
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
