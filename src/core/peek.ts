// Read the first bytes of a stream without losing them: the engine dates a photo by the EXIF in its first 128 KiB
// before it knows which month folder to write it in, and a Takeout input knows media that lost their extension by
// their first bytes. Plain Uint8Array, no Node API: the bytes may come from a socket, a zip or a tar.

/**
 * The first `wanted` bytes of a body (more when a chunk runs past them, fewer when the body is shorter), and the
 * whole body again. A chunk may be a view of a buffer the source reuses (zip-input.ts), so the chunks gathered
 * before the last one are copied; the common case (the first chunk covers the head) copies nothing: that chunk is
 * handed on before the next is asked for, so the head stays valid until the body's second chunk is read.
 */
export async function peek(body: AsyncIterable<Uint8Array>, wanted: number): Promise<{ head: Uint8Array; body: AsyncIterable<Uint8Array> }> {
  const it = body[Symbol.asyncIterator]();
  const kept: Uint8Array[] = [];
  let have = 0;
  let last: Uint8Array | undefined;
  let done = false;
  for (;;) {
    const r = await it.next();
    if (r.done === true) {
      done = true;
      break;
    }
    have += r.value.byteLength;
    if (have >= wanted) {
      last = r.value;
      break;
    }
    kept.push(new Uint8Array(r.value)); // a copy
  }
  const head = kept.length === 0 ? (last ?? new Uint8Array(0)) : concat(last === undefined ? kept : [...kept, last], have);
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (head.byteLength > 0) yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done === true) return;
      yield r.value;
    }
  }
  return { head, body: rest() };
}

/** A copy of the first `n` bytes of a body (fewer when it is shorter), to keep; the caller closes or drains the rest. */
export async function readHead(body: AsyncIterable<Uint8Array>, n: number): Promise<Uint8Array> {
  const { head } = await peek(body, n);
  return new Uint8Array(head.subarray(0, n)); // the constructor copies, where a Buffer's slice() would not
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
