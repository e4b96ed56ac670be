// A bounded worker pool: at most `concurrency` tasks in flight, stops taking new work once `stop()` says so.

export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<{ started: number }> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length && !shouldStop()) {
      const item = items[next++] as T;
      await worker(item);
    }
  });
  await Promise.all(lanes);
  return { started: next };
}
