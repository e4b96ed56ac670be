// Read the first bytes of a stream without losing them: the engine needs a photo's EXIF (in its first 128 KiB) to
// know which month folder the file belongs in before writing it.

/**
 * The first `wanted` bytes of a body, and the whole body again. A chunk may be a view of a buffer the source reuses
 * (zip-input.ts), so the chunks gathered before the last one are copied; the common case (the first chunk covers the
 * head) copies nothing: that chunk is handed on before the next is asked for.
 */
export async function peek(body: AsyncIterable<Uint8Array>, wanted: number): Promise<{ head: Buffer; body: AsyncIterable<Uint8Array> }> {
  const it = body[Symbol.asyncIterator]();
  const kept: Buffer[] = [];
  let have = 0;
  let last: Buffer | undefined;
  let done = false;
  for (;;) {
    const r = await it.next();
    if (r.done === true) {
      done = true;
      break;
    }
    const chunk = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    have += chunk.byteLength;
    if (have >= wanted) {
      last = chunk;
      break;
    }
    kept.push(Buffer.from(chunk)); // a copy
  }
  const head = kept.length === 0 ? (last ?? Buffer.alloc(0)) : Buffer.concat(last === undefined ? kept : [...kept, last]);
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

/** Pass chunks through, telling `onBytes` how many went by. */
export async function* counted(body: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    onBytes(chunk.byteLength);
    yield chunk;
  }
}
