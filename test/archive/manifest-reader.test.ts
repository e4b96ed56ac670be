// readManifest reads manifest.json through a small sliding window; it must agree with JSON.parse + checks on
// the whole text for every file, whatever the window size: same items, same head, same errors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestChecksum, parseManifestFile } from '../../src/archive/manifest-format.js';
import { readManifest } from '../../src/archive/manifest-reader.js';
import type { ManifestItem } from '../../src/core/types.js';
import { itemFor } from './fixtures/manifest-item.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gphotos-reader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Outcome = { error: string } | { head: unknown; items: [string, ManifestItem][] };

/** What the whole-text path makes of `text`. */
function expected(text: string, file: string): Outcome {
  try {
    const data = parseManifestFile(text, file, dir);
    return { head: { schema: data.schema, createdAt: data.createdAt, sources: data.sources }, items: Object.entries(data.items).sort(byKey) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** What readManifest makes of it: items applied in order by key, the later one winning, as the store does. */
async function actual(file: string, windowBytes: number): Promise<Outcome> {
  try {
    const contents = await readManifest(file, dir, windowBytes);
    if (contents === null) return { error: 'missing' };
    const byKeyMap = new Map<string, ManifestItem>();
    for (const item of contents.items) byKeyMap.set(item.key, item);
    const { schema, createdAt, sources } = contents.head;
    return { head: { schema, createdAt, sources }, items: [...byKeyMap].sort(byKey) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function byKey(a: [string, unknown], b: [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

const odd = ['', 'é', 'e\u0301', '"', '\\', '\n', '{', '}', ',', ':', '😀', '\u2028'];

const arbItem = fc
  .tuple(fc.nat(50), fc.constantFrom(...odd), fc.constantFrom(...odd))
  .map(([i, a, b]) => ({ ...itemFor(i), filename: `${a}IMG_${i}${b}.jpg`, key: `library:id-${i}${a}` }));

/** Members of a manifest as text, in an order and spacing of fast-check's choosing, sometimes damaged. */
const arbText = fc
  .record({
    items: fc.array(arbItem, { maxLength: 8 }),
    schema: fc.constantFrom(1, 1, 2, 2, 2, 3, '1'),
    checksum: fc.constantFrom('right', 'right', 'wrong', 'none'),
    createdAt: fc.constantFrom('2026-01-01T00:00:00Z', undefined),
    sources: fc.constantFrom({}, { library: { lastListedAt: '2026-01-02T00:00:00Z', lastListedCount: 3 } }, { library: { lastListedCount: 'x' } }, []),
    order: fc.constantFrom<string[]>(['schema', 'createdAt', 'items', 'sources'], ['items', 'schema', 'createdAt', 'sources'], ['schema', 'createdAt', 'sources', 'items']),
    space: fc.constantFrom(undefined, 1, '\t', '\r\n '),
    damage: fc.constantFrom('none', 'none', 'none', 'truncate', 'trailing', 'dupKey', 'proto', 'badItem', 'wrongKey', 'dupTop'),
    cut: fc.nat(),
  })
  .map((r) => {
    const members: Record<string, unknown> = {};
    for (const name of r.order) {
      if (name === 'items') members.items = Object.fromEntries(r.items.map((it) => [it.key, it]));
      else if (name === 'schema') members.schema = r.schema;
      else if (name === 'createdAt') {
        if (r.createdAt !== undefined) members.createdAt = r.createdAt;
      } else members.sources = r.sources;
    }
    // The checksum member last, as gphotos writes it (schema 2); 'right' for schema 1 is itself damage.
    if (r.checksum !== 'none' && r.createdAt !== undefined && Array.isArray(r.sources) === false) {
      const sum = manifestChecksum({ createdAt: r.createdAt, items: members.items as Record<string, ManifestItem>, sources: r.sources as Record<string, never> });
      members.checksum = r.checksum === 'right' ? sum : `${sum.slice(0, 15)}${sum.endsWith('0') ? '1' : '0'}`;
    }
    let text = JSON.stringify(members, null, r.space);
    const first = r.items[0];
    switch (r.damage) {
      case 'none':
        break;
      case 'truncate':
        text = text.slice(0, r.cut % Math.max(1, text.length));
        break;
      case 'trailing':
        text += ' x';
        break;
      case 'dupKey':
        if (first !== undefined) text = text.replace('"items":{', `"items":{${JSON.stringify(first.key)}:${JSON.stringify({ ...first, size: 1 })},`);
        break;
      case 'proto':
        text = text.replace('"items":{', `"items":{"__proto__":${JSON.stringify({ ...itemFor(99), key: '__proto__' })}${r.items.length > 0 ? ',' : ''}`);
        break;
      case 'badItem':
        if (first !== undefined) text = text.replace(JSON.stringify(first.path), '"/etc/passwd"');
        break;
      case 'wrongKey':
        if (first !== undefined) text = text.replace(`${JSON.stringify(first.key)}:{`, `"other":{`);
        break;
      case 'dupTop':
        text = text.replace(/^\{/, '{"sources":{},');
        break;
    }
    return text;
  });

describe('readManifest', () => {
  it('agrees with JSON.parse of the whole text, for any window size', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(arbText, fc.integer({ min: 1, max: 200 }), async (text, windowBytes) => {
        const file = join(dir, `m${n++}.json`);
        await writeFile(file, text);
        expect(await actual(file, windowBytes)).toEqual(expected(text, file));
      }),
      { seed: 1127, numRuns: 400 },
    );
  });

  it('reads a manifest larger than its window, piece by piece, with items in file order', async () => {
    const items = Array.from({ length: 300 }, (_, i) => itemFor(i));
    const file = join(dir, 'big.json');
    const byKeyObj = Object.fromEntries(items.map((i) => [i.key, i]));
    await writeFile(file, JSON.stringify({ schema: 2, createdAt: 'c', items: byKeyObj, sources: {}, checksum: manifestChecksum({ createdAt: 'c', items: byKeyObj, sources: {} }) }));
    const contents = await readManifest(file, dir, 64);
    expect(contents?.items).toEqual(items);
    expect(contents?.head).toMatchObject({ schema: 2, createdAt: 'c', sources: {} });
  });

  it('returns null when there is no manifest', async () => {
    expect(await readManifest(join(dir, 'none.json'), dir)).toBeNull();
  });
});
