// The XMP sidecars of one sync/import/pick/watch run (the archive was set up with them):
// - each stored file is noted in its transfer lane (afterFile, no I/O); finish writes their sidecars one after
//   another the fast way (five synchronous syscalls, no readback), after the transfers: written in the lanes, the
//   creates waited on the journal commits of the media fsyncs (2.3 s of main thread per 10,000 against 0.4 s after);
// - the items whose records changed in other ways (annotated, linked, restamped, same bytes) and the ones an
//   earlier, killed run left pending (.gphotos/xmp-pending.json) are refreshed the careful way (compare, replace);
// - nothing is fsynced one by one: finish flushes the file system once before the run reports success.
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { writeNewXmpSidecarSync } from '../archive/xmp-sidecar.js';
import { clearPendingSidecars, readPendingSidecars, writePendingSidecars } from '../archive/xmp-pending.js';
import type { Action } from '../core/plan-types.js';
import { refKey, type ManifestItem } from '../core/types.js';
import { messageOf } from '../errors.js';
import { flushSidecars, writeSidecars } from './xmp-run.js';

export interface SidecarWarnings {
  warn(message: string): void;
}

export class RunSidecars {
  /** Items whose files this run stored (and so whose sidecars are new), as recorded then. */
  #stored: ManifestItem[] = [];
  /** Items whose sidecar was written the fast way, as rendered then (a later change of the record is refreshed). */
  readonly #fast = new Map<string, ManifestItem>();
  readonly #pending: Set<string>;
  #markerWritten = false;

  private constructor(
    readonly archiveDir: string,
    earlier: readonly string[],
    readonly out: SidecarWarnings,
  ) {
    this.#pending = new Set(earlier);
  }

  /** Reads what an earlier run left pending. */
  static async open(archiveDir: string, out: SidecarWarnings): Promise<RunSidecars> {
    return new RunSidecars(archiveDir, await readPendingSidecars(archiveDir), out);
  }

  /** Before a pass changes records: the keys it may change are on disk, so a kill from here on is repaired. */
  async beforeApply(actions: readonly Action[]): Promise<void> {
    const before = this.#pending.size;
    for (const a of actions) {
      if (a.kind === 'report') continue;
      this.#pending.add(a.kind === 'download' ? (a.key ?? refKey(a.item.ref)) : a.key);
    }
    if (this.#pending.size === before && (this.#markerWritten || before === 0)) return;
    await writePendingSidecars(this.archiveDir, this.#pending);
    this.#markerWritten = true;
  }

  /** In the lane of the transfer that has just renamed `item`'s file into place: noted, written by finish. */
  afterFile(item: ManifestItem | undefined): void {
    if (item !== undefined) this.#stored.push(item);
  }

  /**
   * The sidecars of the files this run stored, the fast way (writeNewXmpSidecarSync), in path order, each from
   * its record as it stands now: a later pass of the same run that linked a ref or added a caption to it would
   * otherwise make finish rewrite the sidecar just written. A record that moved since (or went) is left to finish.
   */
  async #writeStored(get: (key: string) => ManifestItem | undefined): Promise<void> {
    const stored = this.#stored.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.#stored = [];
    for (let i = 0; i < stored.length; i++) {
      const item = get(stored[i]!.key);
      if (item === undefined || item.path !== stored[i]!.path || this.#fast.has(item.key)) continue;
      try {
        // resolveInside checked this path when the file was written.
        if (writeNewXmpSidecarSync(join(this.archiveDir, ...item.path.split('/')), item) === 'written') this.#fast.set(item.key, item);
      } catch (e) {
        this.out.warn(`XMP sidecar of ${item.path}: ${messageOf(e)}`);
      }
      // Let a signal or a progress line through now and then (each sidecar is ~50 µs).
      if (i % 500 === 499) await yieldToLoop();
    }
  }

  /**
   * Refresh the sidecars of `touched` (the keys whose records this run wrote) and of the pending ones that the
   * lanes did not write as they stand now, flush everything once, and clear the marker.
   */
  async finish(touched: Iterable<string>, get: (key: string) => ManifestItem | undefined, concurrency: number): Promise<void> {
    await this.#writeStored(get);
    const keys = new Set([...this.#pending, ...touched]);
    const rest: ManifestItem[] = [];
    for (const k of keys) {
      const item = get(k);
      if (item !== undefined && this.#fast.get(k) !== item) rest.push(item);
    }
    // Not stopped by Ctrl-C or a closed pipe: these are the items already done, and a sidecar takes milliseconds.
    // A pending item whose file is missing is downloaded by a later run, which writes its sidecar then.
    const r = await writeSidecars(this.archiveDir, rest, concurrency, { deferFlush: true, skipMissing: true });
    for (const f of r.failed) this.out.warn(`XMP sidecar of ${f.path}: ${f.why}`);
    for (const p of r.foreign) this.out.warn(`${p} was written by another tool: left alone`);
    await flushSidecars(this.archiveDir, [...this.#fast.values(), ...r.writtenItems], concurrency);
    // Failed ones stay pending for the next run.
    if (r.failed.length === 0) {
      if (this.#markerWritten || this.#pending.size > 0) await clearPendingSidecars(this.archiveDir);
    } else {
      const failed = new Set(r.failed.map((f) => f.path));
      await writePendingSidecars(this.archiveDir, rest.filter((i) => failed.has(i.path)).map((i) => i.key));
    }
  }
}
