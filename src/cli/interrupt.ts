import { setMaxListeners } from 'node:events';
import { onStdoutClosed } from './broken-pipe.js';

// Ctrl-C / SIGTERM: the first one asks the run to stop cleanly (in-flight files are cleaned up,
// the manifest is flushed, the lock released); a second one exits at once. A closed stdout (`| head -1`) stops
// the run the same way, without a word (see broken-pipe.ts).

export async function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // Every fetch adds an abort listener to this run-wide signal and undici drops it only when the request is
  // garbage-collected, so hundreds pile up between collections: not a leak, but Node would warn at 11.
  setMaxListeners(0, controller.signal);
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      process.stderr.write(`\n${sig}: stopping after cleaning up (press Ctrl-C again to quit at once)…\n`);
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const offPipe = onStdoutClosed(() => controller.abort());
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    offPipe();
  }
}
