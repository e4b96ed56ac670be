// RunSidecars, the sidecars of one run: the files it stored get theirs the fast way, from their records as they
// stand when the run finishes, and the pending list is gone once all are flushed.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ManifestItem } from '../../src/core/types.js';
import { renderXmp } from '../../src/core/xmp.js';
import { RunSidecars } from '../../src/engine/run-sidecars.js';
import * as xmpRun from '../../src/engine/xmp-run.js';
import { AWKWARD } from '../archive/xmp-fixtures.js';

vi.mock('../../src/engine/xmp-run.js', async (original) => {
  const real = await original<typeof import('../../src/engine/xmp-run.js')>();
  return { ...real, writeSidecars: vi.fn(real.writeSidecars) };
});

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gphotos-run-sidecars-'));
  await mkdir(join(root, '.gphotos'));
  vi.mocked(xmpRun.writeSidecars).mockClear();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function stored(item: ManifestItem): Promise<void> {
  const abs = join(root, ...item.path.split('/'));
  await mkdir(dirname(abs), { recursive: true });
  await writeFile(abs, 'media bytes');
}

const warnings: string[] = [];
const out = { warn: (message: string) => void warnings.push(message) };

describe('RunSidecars', () => {
  it('writes a stored file\'s sidecar once, from the record a later pass changed, not the careful way again', async () => {
    const [first, second] = [AWKWARD[0]!, AWKWARD[1]!];
    await stored(first);
    await stored(second);
    const run = await RunSidecars.open(root, out);
    const restamp = (m: ManifestItem) => ({ kind: 'restamp', key: m.key, path: m.path, mtimeMs: 0, reason: 'mtime-differs' }) as const;
    await run.beforeApply([restamp(first), restamp(second)]);
    expect(await readdir(join(root, '.gphotos'))).toContain('xmp-pending.json');
    run.afterFile(first);
    run.afterFile(second);
    // A later pass (the Library after a Takeout) links a ref and adds a caption to the first one.
    const linked: ManifestItem = { ...first, refs: [...first.refs, { source: 'picker', id: 'p-9' }], description: 'added later' };
    const records = new Map([first, second].map((m) => [m.key, m]));
    records.set(first.key, linked);
    await run.finish([first.key, second.key], (key) => records.get(key), 4);

    expect(await readFile(join(root, `${first.path}.xmp`), 'utf8')).toBe(renderXmp(linked));
    expect(await readFile(join(root, `${second.path}.xmp`), 'utf8')).toBe(renderXmp(second));
    expect(vi.mocked(xmpRun.writeSidecars).mock.calls.map((c) => c[1].map((m) => m.key))).toEqual([[]]);
    expect(await readdir(join(root, '.gphotos'))).not.toContain('xmp-pending.json');
    expect(warnings).toEqual([]);
  });

  it('leaves a record that moved after its file was stored to the careful way, at its new path', async () => {
    const item = AWKWARD[0]!;
    const moved: ManifestItem = { ...item, path: `moved/${item.path}` };
    await stored(moved);
    const run = await RunSidecars.open(root, out);
    run.afterFile(item);
    await run.finish([item.key], (key) => (key === item.key ? moved : undefined), 4);

    expect(await readFile(join(root, `${moved.path}.xmp`), 'utf8')).toBe(renderXmp(moved));
    await expect(readFile(join(root, `${item.path}.xmp`))).rejects.toThrow(/ENOENT/);
    expect(vi.mocked(xmpRun.writeSidecars).mock.calls.map((c) => c[1].map((m) => m.path))).toEqual([[moved.path]]);
  });
});
