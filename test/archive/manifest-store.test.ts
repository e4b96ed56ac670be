import { mkdtemp, readFile, rm, writeFile, appendFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManifestStore, manifestPaths } from '../../src/archive/manifest-store.js';
import { LocalError } from '../../src/errors.js';
import { itemFor } from './fixtures/manifest-item.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gphotos-manifest-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function reopen(): Promise<ManifestStore> {
  return ManifestStore.open(dir);
}

describe('ManifestStore', () => {
  it('creates manifest.json with schema 2 (checksummed) and an empty journal', async () => {
    const s = await ManifestStore.open(dir);
    const m = JSON.parse(await readFile(manifestPaths(dir).manifest, 'utf8')) as Record<string, unknown>;
    expect(m).toMatchObject({ schema: 2, items: {}, sources: {} });
    expect(m.checksum).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof m.createdAt).toBe('string');
    expect(s.size).toBe(0);
    await s.close();
  });

  it('keeps puts, deletes and source meta across reopen, with ref and path indexes', async () => {
    const s = await ManifestStore.open(dir);
    await Promise.all([1, 2, 3].map((i) => s.put(itemFor(i))));
    await s.delete(itemFor(2).key);
    await s.setSourceMeta('library', { lastListedAt: '2026-01-02T00:00:00Z', lastListedCount: 3 });
    // Not closed: state must come back from the journal alone.
    const t = await reopen();
    expect(t.recovery).toEqual({ replayed: 5, tornBytes: 0 });
    expect(t.size).toBe(2);
    expect(t.get(itemFor(1).key)).toEqual(itemFor(1));
    expect(t.get(itemFor(2).key)).toBeUndefined();
    expect(t.byRef({ source: 'library', id: 'id-3' })).toEqual(itemFor(3));
    expect(t.byRef({ source: 'picker', id: 'id-3' })).toBeUndefined();
    expect(t.byPath(itemFor(1).path)?.key).toBe(itemFor(1).key);
    expect(t.byPath(itemFor(2).path)).toBeUndefined();
    expect(t.sourceMeta('library')).toEqual({ lastListedAt: '2026-01-02T00:00:00Z', lastListedCount: 3 });
    expect(t.sourceMeta('picker')).toEqual({});
    await t.close();
    await s.close();
  });

  it('replacing an item re-indexes its refs and path', async () => {
    const s = await ManifestStore.open(dir);
    await s.put(itemFor(1));
    const moved = { ...itemFor(1), path: '2020/01/moved.jpg', refs: [{ source: 'takeout' as const, id: 't1' }] };
    await s.put(moved);
    expect(s.size).toBe(1);
    expect(s.byPath(itemFor(1).path)).toBeUndefined();
    expect(s.byPath('2020/01/moved.jpg')?.key).toBe(moved.key);
    expect(s.byRef({ source: 'library', id: 'id-1' })).toBeUndefined();
    expect(s.byRef({ source: 'takeout', id: 't1' })?.key).toBe(moved.key);
    // The ref its key was made of may now belong to another item.
    const other = { ...itemFor(2), refs: [{ source: 'library' as const, id: 'id-2' }, { source: 'library' as const, id: 'id-1' }] };
    await s.put(other);
    expect(s.byRef({ source: 'library', id: 'id-1' })?.key).toBe(other.key);
    await s.close();
    const t = await reopen();
    expect(t.byRef({ source: 'library', id: 'id-1' })?.key).toBe(other.key);
    expect(t.byRef({ source: 'takeout', id: 't1' })?.key).toBe(moved.key);
    expect(t.byPath('2020/01/moved.jpg')?.key).toBe(moved.key);
    await t.close();
  });

  it('refuses an item whose path or ref belongs to another item, or whose path is unsafe', async () => {
    const s = await ManifestStore.open(dir);
    await s.put(itemFor(1));
    await expect(s.put({ ...itemFor(2), path: itemFor(1).path })).rejects.toThrow(/belongs to library:id-1/);
    await expect(s.put({ ...itemFor(2), refs: [{ source: 'library', id: 'id-1' }] })).rejects.toThrow(/belongs to/);
    await expect(s.put({ ...itemFor(2), path: '../escape.jpg' })).rejects.toThrow(LocalError);
    expect(s.size).toBe(1);
    await s.close();
  });

  it('shows only durable state and returns frozen items', async () => {
    const s = await ManifestStore.open(dir);
    const p = s.put(itemFor(1));
    expect(s.get(itemFor(1).key)).toBeUndefined(); // not durable yet
    await p;
    const got = s.get(itemFor(1).key)!;
    expect(() => {
      (got as { size: number }).size = 1;
    }).toThrow(TypeError);
    await s.close();
  });

  it('group-commits concurrent puts into few fdatasyncs', async () => {
    const s = await ManifestStore.open(dir);
    await Promise.all(Array.from({ length: 1000 }, (_, i) => s.put(itemFor(i))));
    const st = s.commitStats();
    expect(st.lines).toBe(1000);
    expect(st.batches).toBeLessThanOrEqual(3);
    await s.close();
  });

  it('compact() writes compact JSON through lowdb and empties the journal', async () => {
    const s = await ManifestStore.open(dir);
    await s.put(itemFor(1));
    expect((await stat(manifestPaths(dir).journal)).size).toBeGreaterThan(0);
    await s.compact();
    expect((await stat(manifestPaths(dir).journal)).size).toBe(0);
    const text = await readFile(manifestPaths(dir).manifest, 'utf8');
    expect(text).not.toContain('\n');
    expect((JSON.parse(text) as { items: Record<string, unknown> }).items[itemFor(1).key]).toEqual(itemFor(1));
    await s.close();
    const t = await reopen();
    expect(t.recovery.replayed).toBe(0);
    expect(t.get(itemFor(1).key)).toEqual(itemFor(1));
    await t.close();
  });

  it('compacts automatically every compactEvery lines, and on close', async () => {
    const s = await ManifestStore.open(dir, { compactEvery: 10 });
    for (let i = 0; i < 25; i++) await s.put(itemFor(i));
    expect(s.commitStats().compactions).toBe(2);
    await s.close();
    expect((await stat(manifestPaths(dir).journal)).size).toBe(0);
    const t = await reopen();
    expect(t.size).toBe(25);
    await t.close();
  });

  it('close leaves a journal under 1% of the items for the next open instead of rewriting manifest.json', async () => {
    const s = await ManifestStore.open(dir);
    await Promise.all(Array.from({ length: 300 }, (_, i) => s.put(itemFor(i))));
    await s.close(); // 300 lines: compacted
    const { manifest, journal } = manifestPaths(dir);
    expect((await stat(journal)).size).toBe(0);
    const snapshot = await readFile(manifest, 'utf8');
    const t = await reopen();
    await t.put(itemFor(300));
    await t.setSourceMeta('library', { lastListedCount: 301 });
    await t.close(); // 2 lines for 301 items: left in the journal
    expect(await readFile(manifest, 'utf8')).toBe(snapshot);
    expect((await readFile(journal, 'utf8')).trim().split('\n')).toHaveLength(2);
    const u = await reopen();
    expect(u.recovery.replayed).toBe(2);
    expect(u.size).toBe(301);
    expect(u.sourceMeta('library')).toEqual({ lastListedCount: 301 });
    await Promise.all(Array.from({ length: 2 }, (_, i) => u.put(itemFor(400 + i))));
    await u.close(); // 4 lines for 303 items: compacted
    expect((await stat(journal)).size).toBe(0);
  });

  it('close is idempotent, flushes queued puts, and later writes are refused', async () => {
    const s = await ManifestStore.open(dir);
    const p = s.put(itemFor(1));
    await Promise.all([s.close(), s.close()]);
    await p;
    await s.close();
    await expect(s.put(itemFor(2))).rejects.toThrow(/closed/);
    const t = await reopen();
    expect(t.size).toBe(1);
    await t.close();
  });

  it('keeps a __proto__ key as data through compaction', async () => {
    const s = await ManifestStore.open(dir);
    await s.put({ ...itemFor(1), key: '__proto__' });
    await s.close();
    const t = await reopen();
    expect(t.get('__proto__')?.path).toBe(itemFor(1).path);
    await t.close();
  });

  it('drops a torn last journal line, reports it, and appends cleanly after it', async () => {
    const s = await ManifestStore.open(dir);
    await s.put(itemFor(1));
    await s.put(itemFor(2));
    const { journal } = manifestPaths(dir);
    const torn = JSON.stringify({ op: 'put', item: itemFor(3) }).slice(0, 40);
    await appendFile(journal, torn);
    const t = await reopen();
    expect(t.recovery).toEqual({ replayed: 2, tornBytes: torn.length });
    expect(t.size).toBe(2);
    await t.put(itemFor(4));
    const u = await ManifestStore.open(dir, { readOnly: true });
    expect(u.recovery.tornBytes).toBe(0);
    expect([...u.items()].map((i) => i.key).sort()).toEqual([itemFor(1).key, itemFor(2).key, itemFor(4).key]);
    await Promise.all([s.close(), t.close(), u.close()]);
  });

  it('refuses a journal with an invalid line before valid ones', async () => {
    const s = await ManifestStore.open(dir);
    await s.put(itemFor(1));
    const { journal } = manifestPaths(dir);
    await writeFile(journal, 'garbage\n' + (await readFile(journal, 'utf8')));
    await expect(reopen()).rejects.toThrow(/line 1 is invalid.*gphotos rebuild|manifest\.journal is damaged/s);
    await s.close().catch(() => undefined);
  });

  it('refuses a corrupt manifest.json, naming it and `gphotos rebuild`, and leaves it untouched', async () => {
    const s = await ManifestStore.open(dir);
    await s.close();
    const { manifest } = manifestPaths(dir);
    await writeFile(manifest, '{"schema":1,"items":');
    const err = (await reopen().catch((e: unknown) => e)) as LocalError;
    expect(err).toBeInstanceOf(LocalError);
    expect(err.message).toContain(manifest);
    expect(err.hint).toContain(`gphotos rebuild ${dir}`);
    expect(await readFile(manifest, 'utf8')).toBe('{"schema":1,"items":');
  });

  it('refuses an item with an unsafe path inside manifest.json', async () => {
    const { manifest } = manifestPaths(dir);
    await (await ManifestStore.open(dir)).close();
    const bad = { ...itemFor(1), path: '/etc/passwd' };
    await writeFile(manifest, JSON.stringify({ schema: 1, createdAt: 'x', items: { [bad.key]: bad }, sources: {} }));
    await expect(reopen()).rejects.toThrow(/is absolute/);
  });

  it('refuses a newer schema, telling the user to upgrade', async () => {
    await (await ManifestStore.open(dir)).close();
    await writeFile(manifestPaths(dir).manifest, JSON.stringify({ schema: 3, createdAt: 'x', items: {}, sources: {} }));
    const err = (await reopen().catch((e: unknown) => e)) as LocalError;
    expect(err.message).toMatch(/schema 3/);
    expect(err.hint).toMatch(/upgrade gphotos/i);
  });

  it('refuses to start fresh when manifest.json is gone but the journal holds changes', async () => {
    const s = await ManifestStore.open(dir);
    await s.put(itemFor(1));
    await rm(manifestPaths(dir).manifest);
    await expect(reopen()).rejects.toThrow(/missing but manifest.journal holds changes/);
    await s.close().catch(() => undefined);
  });

  it('create: false and readOnly do not create an archive', async () => {
    await expect(ManifestStore.open(dir, { create: false })).rejects.toThrow(/not a gphotos archive/);
    await expect(ManifestStore.open(dir, { readOnly: true })).rejects.toThrow(/not a gphotos archive/);
    await expect(stat(join(dir, '.gphotos'))).rejects.toThrow();
  });

  it('a read-only open sees what a writer made durable, writes nothing, and refuses writes', async () => {
    const w = await ManifestStore.open(dir);
    await w.put(itemFor(1));
    const before = await readFile(manifestPaths(dir).journal);
    const r = await ManifestStore.open(dir, { readOnly: true });
    expect(r.get(itemFor(1).key)).toEqual(itemFor(1));
    await expect(r.put(itemFor(2))).rejects.toThrow(/read-only/);
    await expect(r.compact()).rejects.toThrow(/read-only/);
    await r.close();
    expect(await readFile(manifestPaths(dir).journal)).toEqual(before);
    await w.close();
  });
});
