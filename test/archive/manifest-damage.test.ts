// Records that prove themselves: every way of damaging a journal line or manifest.json is detected and reported
// (with the count of damaged lines and `gphotos rebuild`), except a torn last line, which heals silently.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalLine } from '../../src/archive/journal-format.js';
import { ManifestStore, manifestPaths } from '../../src/archive/manifest-store.js';
import { LocalError } from '../../src/errors.js';
import { itemFor } from './fixtures/manifest-item.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gphotos-damage-'));
  await (await ManifestStore.open(dir)).close(); // an empty schema 2 manifest.json
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const N = 6;
const lines = (): string[] => Array.from({ length: N }, (_, i) => journalLine(i + 1, JSON.stringify({ op: 'put', item: itemFor(i + 1) })));

/** Flip one bit of the byte at the first occurrence of `needle` (+ offset) in `text`. */
function flip(text: string, needle: string, offset = 0): Buffer {
  const buf = Buffer.from(text);
  const at = buf.indexOf(needle) + offset;
  expect(at).toBeGreaterThanOrEqual(offset);
  buf[at] = buf[at]! ^ 0x01;
  return buf;
}

const cases: [string, (l: string[]) => Buffer | string, RegExp][] = [
  ['a line truncated in the middle of the file', (l) => l.map((x, i) => (i === 2 ? x.slice(0, 40) + '\n' : x)).join(''), /line 3: its checksum/],
  ['a bit flip in a path (the JSON stays valid)', (l) => flip(l.join(''), 'IMG_3.jpg', 4), /line 3: its checksum does not match/],
  ['a bit flip in an id', (l) => flip(l.join(''), '"id-4"', 4), /line 4: its checksum does not match/],
  ['a bit flip in a size', (l) => flip(l.join(''), '"size":1002', 9), /line 2: its checksum does not match/],
  ['a bit flip in the checksum', (l) => flip(l.join(''), l[1]!.slice(0, 4)), /line 2: its checksum does not match/],
  ['a bit flip in the sequence number', (l) => flip(l.join(''), ` 5 {`, 1), /line 5: its checksum does not match/],
  ['a deleted line', (l) => l.filter((_, i) => i !== 2).join(''), /line 3: sequence number 4 where 3 was due/],
  ['the first line deleted', (l) => l.slice(1).join(''), /line 1: sequence number 2 where 1 was due/],
  ['a duplicated line', (l) => [l[0], l[1], l[1], ...l.slice(2)].join(''), /line 3: sequence number 2 where 3 was due/],
  ['two lines swapped', (l) => [l[0], l[2], l[1], ...l.slice(3)].join(''), /line 2: sequence number 3 where 2 was due/],
  ['a junk line', (l) => [l[0], 'garbage\n', ...l.slice(1)].join(''), /line 2: not a gphotos journal line/],
  ['an empty line', (l) => [l[0], '\n', ...l.slice(1)].join(''), /line 2: an empty line/],
  ['invalid UTF-8 in a line', (l) => { const b = Buffer.from(l.join('')); b[b.indexOf('IMG_4') + 3] = 0xff; return b; }, /line 4: its checksum does not match/],
  ['NUL bytes over a line', (l) => [l[0], '\0'.repeat(l[1]!.length - 1) + '\n', ...l.slice(2)].join(''), /line 2: not a gphotos journal line/],
  ['NUL bytes inside a line', (l) => [l[0], l[1]!.slice(0, 50) + '\0\0\0' + l[1]!.slice(53), ...l.slice(2)].join(''), /line 2: its checksum/],
  ['a complete newline-ended garbage last line', (l) => [...l, 'not a line\n'].join(''), /line 7: not a gphotos journal line/],
  ['a newline-ended last line cut short', (l) => [...l.slice(0, -1), l[N - 1]!.slice(0, 60) + '\n'].join(''), /line 6: its checksum/],
  ['an unframed (schema 1) line in a schema 2 archive', (l) => [l[0], JSON.stringify({ op: 'put', item: itemFor(9) }) + '\n', ...l.slice(1)].join(''), /line 2: not a gphotos journal line \(no checksum\)/],
  ['CRLF line endings', (l) => l.map((x) => x.replace('\n', '\r\n')).join(''), /line 1: its checksum/],
  ['a well-framed line that is no valid op', (l) => [l[0], journalLine(2, '{"op":"put","item":{}}'), ...l.slice(2)].join(''), /line 2: no key/],
  ['the last 3 lines damaged', (l) => [...l.slice(0, 3), ...l.slice(3).map((x) => x.replace('IMG_', 'IMH_'))].join(''), /3 of its 6 complete lines are damaged/],
];

describe('journal damage', () => {
  it.each(cases)('%s is detected, counted and points to rebuild', async (_name, damage, expected) => {
    const { journal } = manifestPaths(dir);
    const bytes = damage(lines());
    await writeFile(journal, bytes);
    const err = await ManifestStore.open(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LocalError);
    expect((err as LocalError).message).toMatch(/manifest\.journal is damaged: \d+ of its \d+ complete lines/);
    expect((err as LocalError).message).toMatch(expected);
    expect((err as LocalError).hint).toContain(`gphotos rebuild ${dir}`);
    await expect(ManifestStore.open(dir, { readOnly: true })).rejects.toThrow(/is damaged/);
    expect(await readFile(journal)).toEqual(Buffer.from(bytes)); // left as it was for rebuild to keep
  });

  it.each([
    ['a torn last line', (l: string[]) => l.join('') + l[0]!.slice(0, 30)],
    ['a torn last line of NUL bytes (a power cut after the size grew)', (l: string[]) => l.join('') + '\0'.repeat(300)],
    ['a last line whole but for its newline', (l: string[]) => l.join('') + journalLine(7, JSON.stringify({ op: 'put', item: itemFor(7) })).trimEnd()],
  ])('%s heals silently: the acknowledged lines replay, the next append follows them', async (_name, damage) => {
    const full = lines().join('');
    await writeFile(manifestPaths(dir).journal, damage(lines()));
    const s = await ManifestStore.open(dir);
    expect(s.recovery).toEqual({ replayed: N, tornBytes: Buffer.byteLength(damage(lines())) - Buffer.byteLength(full) });
    expect(s.size).toBe(N);
    await s.put(itemFor(20));
    const r = await ManifestStore.open(dir, { readOnly: true });
    expect(r.size).toBe(N + 1);
    await Promise.all([s.close(), r.close()]);
  });
});

describe('manifest.json damage', () => {
  async function written(): Promise<string> {
    const s = await ManifestStore.open(dir);
    for (let i = 1; i <= N; i++) await s.put(itemFor(i));
    await s.setSourceMeta('library', { lastListedAt: '2026-01-02T00:00:00Z', lastListedCount: 6 });
    await s.compact();
    await s.close();
    return readFile(manifestPaths(dir).manifest, 'utf8');
  }

  const damages: [string, (t: string) => string | Buffer, RegExp][] = [
    ['a bit flip in a path', (t) => flip(t, 'IMG_2.jpg', 4), /checksum does not match/],
    ['a bit flip in a size', (t) => flip(t, '"size":1003', 9), /checksum does not match/],
    ['a bit flip in an id', (t) => flip(t, '"id-5"', 4), /checksum does not match/],
    ['a bit flip in createdAt', (t) => flip(t, '"createdAt":"', 14), /checksum does not match/],
    ['a bit flip in the source meta', (t) => flip(t, '"lastListedCount":6', 18), /checksum does not match/],
    ['a bit flip in the checksum', (t) => flip(t, '"checksum":"', 13), /checksum does not match/],
    ['an item removed (still valid JSON)', (t) => { const m = JSON.parse(t) as { items: Record<string, unknown> }; delete m.items['library:id-3']; return JSON.stringify(m); }, /checksum does not match/],
    ['schema 2 flipped to 1', (t) => t.replace('"schema":2', '"schema":1'), /has a "checksum" but says schema 1/],
    ['the checksum member removed', (t) => t.replace(/,"checksum":"[0-9a-f]+"/, ''), /has no "checksum"/],
    ['truncated', (t) => t.slice(0, t.length / 2), /not valid JSON/],
    ['NUL bytes in the middle', (t) => t.slice(0, 100) + '\0'.repeat(8) + t.slice(108), /not valid JSON|checksum/],
  ];

  it.each(damages)('%s is detected and points to rebuild', async (_name, damage, expected) => {
    const text = await written();
    await writeFile(manifestPaths(dir).manifest, damage(text));
    const err = await ManifestStore.open(dir, { readOnly: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LocalError);
    expect((err as LocalError).message).toMatch(/manifest\.json is damaged/);
    expect((err as LocalError).message).toMatch(expected);
    expect((err as LocalError).hint).toContain('gphotos rebuild');
  });

  it('a schema 1 manifest and journal (no checksums) still open, and the next compaction writes schema 2', async () => {
    const { manifest, journal } = manifestPaths(dir);
    const items = Object.fromEntries([1, 2].map((i) => [itemFor(i).key, itemFor(i)]));
    await writeFile(manifest, JSON.stringify({ schema: 1, createdAt: '2025-01-01T00:00:00Z', items, sources: {} }));
    await writeFile(journal, JSON.stringify({ op: 'put', item: itemFor(3) }) + '\n');
    const s = await ManifestStore.open(dir);
    expect(s.size).toBe(3);
    await s.put(itemFor(4)); // a framed line after the legacy one
    const r = await ManifestStore.open(dir, { readOnly: true });
    expect(r.size).toBe(4);
    await r.close();
    await s.compact();
    await s.close();
    const m = JSON.parse(await readFile(manifest, 'utf8')) as { schema: number; checksum: string; items: object };
    expect(m.schema).toBe(2);
    expect(m.checksum).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(m.items)).toHaveLength(4);
    expect((await ManifestStore.open(dir, { readOnly: true })).size).toBe(4);
  });
});
