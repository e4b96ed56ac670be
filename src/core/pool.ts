// The one bounded worker pool: transfers, sidecar writes, Takeout entries and file hashing all run through it, so
// "at most N at once, in list order, stop when asked" means the same thing everywhere.

/**
 * Runs `task` over `items` with at most `concurrency` in flight (at least one). Items start in list order; a lane
 * that finishes takes the next item at once, so one slow item never holds the others back.
 *
 * `shouldStop` is asked before each item is taken, and only while items remain (it may record why it stopped):
 * once it says true no new item starts, and those in flight finish. The first task that rejects rejects the pool;
 * a caller that wants every item tried catches inside its task. `started` counts the items handed to `task`.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<{ started: number }> {
  // One iterator shared by the lanes: taking an item is synchronous, so no two lanes take the same one.
  const queue = items.values();
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started < items.length && !shouldStop()) {
      const next = queue.next();
      if (next.done === true) return;
      started++;
      await task(next.value);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return { started };
}
