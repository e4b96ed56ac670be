// A download body that fails in a way the engine understands: a connection reset or a short body
// (fewer bytes than Content-Length) becomes a retryable RemoteError, so the engine restarts the item.
import { InterruptedError, RemoteError } from '../errors.js';

export async function* guardBody(
  body: AsyncIterable<Uint8Array> | null,
  opts: { label: string; contentLength: number | undefined; signal: AbortSignal | undefined },
): AsyncGenerator<Uint8Array> {
  if (body === null) return;
  let received = 0;
  try {
    for await (const chunk of body) {
      received += chunk.byteLength;
      yield chunk;
    }
  } catch (e) {
    if (opts.signal?.aborted) throw new InterruptedError();
    throw new RemoteError(`Download ${opts.label} broke after ${received} bytes`, { retryable: true, cause: e });
  }
  if (opts.contentLength !== undefined && received < opts.contentLength) {
    throw new RemoteError(`Download ${opts.label} ended after ${received} of ${opts.contentLength} bytes`, {
      retryable: true,
    });
  }
}
