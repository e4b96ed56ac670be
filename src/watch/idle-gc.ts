// Between cycles watch is idle, and an idle V8 does not collect: the garbage of the last cycle (~225 MB of heap
// after a no-op sync of a 100k-item library, against ~15 MB live) stayed in the heap the whole interval (no GC at
// all over a 60 s wait), and the next cycle allocated on top of it. One full collection when the loop goes idle
// hands those pages back: between cycles VmRSS ~210 MB instead of ~415 MB, and later cycles peak like the first.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this much heap in use there is nothing worth a full collection (a small library's cycle stays under it). */
const MIN_USED = 64 * 1024 * 1024;

let gcFn: (() => void) | null | undefined;

/** V8's gc() without `node --expose-gc`: the flag is set for one new context only, as Jest does, then unset. */
function gcFunction(): (() => void) | null {
  if (gcFn !== undefined) return gcFn;
  gcFn = null;
  const own: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return (gcFn = own as () => void);
  try {
    setFlagsFromString('--expose-gc');
    const f: unknown = runInNewContext('gc');
    if (typeof f === 'function') gcFn = f as () => void;
  } catch {
    // Not available: V8 collects on its own schedule, as before.
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return gcFn;
}

export class IdleGc {
  /** Heap in use right after the last collection (what was live). */
  private live = 0;

  /** Collect now if the heap holds well over what was live after the last collection: a cycle's garbage. */
  collect(): boolean {
    const used = getHeapStatistics().used_heap_size;
    if (used < Math.max(MIN_USED, 2 * this.live)) return false;
    const gc = gcFunction();
    if (gc === null) return false;
    gc();
    this.live = getHeapStatistics().used_heap_size;
    return true;
  }
}
