// Runs scanTree on a worker thread (see scanTreeOffThread): the walk's ~100k synchronous lstats then overlap
// with what the main thread does meanwhile (parsing the manifest). The listing comes back compact: the paths as
// one NUL-separated string (a path never holds NUL) and two transferred Float64Arrays.
import { parentPort, workerData } from 'node:worker_threads';
import { LocalError, messageOf } from '../errors.js';
import { scanTree, type ScanOptions } from './scan-tree.js';

const { root, options } = workerData as { root: string; options: ScanOptions };
try {
  const files = await scanTree(root, options);
  const sizes = new Float64Array(files.length);
  const mtimes = new Float64Array(files.length);
  files.forEach((f, i) => {
    sizes[i] = f.size;
    mtimes[i] = f.mtimeMs;
  });
  const paths = files.map((f) => f.path).join('\0');
  parentPort?.postMessage({ ok: true, paths, sizes, mtimes }, [sizes.buffer, mtimes.buffer]);
} catch (e) {
  parentPort?.postMessage({ ok: false, message: messageOf(e), path: e instanceof LocalError ? e.path : undefined });
}
