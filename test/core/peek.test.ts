import { describe, expect, it } from 'vitest';
import { peek, readHead } from '../../src/core/peek.js';

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

/** A body that hands out `chunks`, counting how many it was asked for. */
function source(chunks: readonly Uint8Array[]): { body: AsyncIterable<Uint8Array>; asked: () => number } {
  let asked = 0;
  async function* gen(): AsyncGenerator<Uint8Array> {
    for (const c of chunks) {
      await Promise.resolve(); // a chunk arrives later, as from a socket
      asked++;
      yield c;
    }
  }
  return { body: gen(), asked: () => asked };
}

/** A body like zip-input's stored entries: every chunk is the same buffer, refilled. */
async function* reusing(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  const buf = new Uint8Array(Math.max(...chunks.map((c) => c.byteLength)));
  for (const c of chunks) {
    await Promise.resolve();
    buf.set(c);
    yield buf.subarray(0, c.byteLength);
  }
}

async function all(body: AsyncIterable<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const c of body) out.push(...c);
  return out;
}

describe('peek', () => {
  it.each([
    { name: 'the first chunk covers the head', chunks: [bytes(1, 2, 3, 4), bytes(5)], wanted: 2, head: [1, 2, 3, 4], read: 1 },
    { name: 'the head spans chunks', chunks: [bytes(1), bytes(2), bytes(3, 4), bytes(5)], wanted: 3, head: [1, 2, 3, 4], read: 3 },
    { name: 'a head of exactly one chunk', chunks: [bytes(1, 2), bytes(3)], wanted: 2, head: [1, 2], read: 1 },
    { name: 'a body shorter than the head', chunks: [bytes(1), bytes(2)], wanted: 8, head: [1, 2], read: 2 },
    { name: 'an empty body', chunks: [], wanted: 8, head: [], read: 0 },
    { name: 'empty chunks along the way', chunks: [bytes(), bytes(1), bytes(), bytes(2, 3)], wanted: 2, head: [1, 2, 3], read: 4 },
  ])('$name', async ({ chunks, wanted, head, read }) => {
    const s = source(chunks);
    const p = await peek(s.body, wanted);
    expect([...p.head]).toEqual(head);
    expect(s.asked()).toBe(read); // no chunk is read past the head before the body is
    expect(await all(p.body)).toEqual(chunks.flatMap((c) => [...c]));
  });

  it('hands the covering chunk on as it came: the common case copies nothing', async () => {
    const first = bytes(1, 2, 3);
    const p = await peek(source([first, bytes(4)]).body, 2);
    expect(p.head).toBe(first);
    const it = p.body[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(first);
  });

  it('keeps the head whole when the source refills one buffer', async () => {
    const p = await peek(reusing([bytes(1, 2), bytes(3, 4), bytes(5, 6)]), 3);
    expect([...p.head]).toEqual([1, 2, 3, 4]);
    expect(await all(p.body)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('readHead', () => {
  it.each([
    { name: 'cuts a long first chunk', chunks: [bytes(1, 2, 3, 4)], n: 2, head: [1, 2] },
    { name: 'joins short chunks', chunks: [bytes(1), bytes(2, 3), bytes(4)], n: 3, head: [1, 2, 3] },
    { name: 'a body shorter than n', chunks: [bytes(1)], n: 4, head: [1] },
    { name: 'an empty body', chunks: [], n: 4, head: [] },
  ])('$name', async ({ chunks, n, head }) => {
    expect([...(await readHead(source(chunks).body, n))]).toEqual(head);
  });

  it('returns a copy that outlives a refilled buffer', async () => {
    const chunk = bytes(1, 2, 3);
    const head = await readHead(source([chunk]).body, 2);
    chunk.fill(0);
    expect([...head]).toEqual([1, 2]);
  });
});
