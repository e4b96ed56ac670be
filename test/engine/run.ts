// Shared by the engine tests: run the one reconciler (runSync) against a memory source in a real temp archive, and
// read the archive back (files by content, the manifest through its own reader, leftover .gphotos.part files).
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import { NO_FILTER } from '../../src/core/filters.js';
import type { ManifestItem } from '../../src/core/types.js';
import type { SyncEvent } from '../../src/engine/events.js';
import { runSync, type SyncOptions, type SyncOutcome } from '../../src/engine/sync-run.js';
import type { Source } from '../../src/sources/source.js';
import type { MemoryItem } from '../helpers/memory-source.js';

export interface Run {
  outcome: SyncOutcome;
  events: SyncEvent[];
}

export function syncOptions(archiveDir: string, over: Partial<SyncOptions> = {}): SyncOptions {
  return { archiveDir, dryRun: false, layout: '{yyyy}/{mm}', tz: 'UTC', filter: NO_FILTER, setMtime: true, force: false, transfers: 4, ...over };
}

/** runSync with no backoff waits, collecting its events. */
export async function sync(archiveDir: string, source: Source, over: Partial<SyncOptions> = {}, signal = new AbortController().signal): Promise<Run> {
  const events: SyncEvent[] = [];
  const outcome = await runSync(syncOptions(archiveDir, over), {
    source,
    now: () => new Date(),
    sleep: () => Promise.resolve(),
    signal,
    onEvent: (e) => events.push(e),
    counters: () => ({ apiCalls: 0, byteCalls: 0, retries: 0 }),
  });
  return { outcome, events };
}

/** Distinct bytes for item `i` of `size` bytes (not a picture: placed by the listed time). */
export function blob(i: number, size: number): Buffer {
  return Buffer.alloc(size, `item-${i}-${size}|`);
}

/** `n` plain items of `size` bytes: id m<i>, one per day from 2020-01-01. */
export function plainItems(n: number, size: number): MemoryItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `m${String(i).padStart(3, '0')}`,
    bytes: blob(i, size),
    creationTime: new Date(Date.UTC(2020, 0, 1 + i, 12)).toISOString().replace('.000Z', 'Z'),
  }));
}

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

export async function filesUnder(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(root.length + 1))
    .sort();
}

export async function manifestOf(archiveDir: string): Promise<ManifestItem[]> {
  const m = await ManifestStore.open(archiveDir, { readOnly: true });
  try {
    return [...m.items()];
  } finally {
    await m.close();
  }
}

/** What the archive holds outside .gphotos/: sha256 -> paths. */
export async function contentIndex(archiveDir: string): Promise<Map<string, string[]>> {
  const index = new Map<string, string[]>();
  for (const p of await filesUnder(archiveDir)) {
    if (p.startsWith('.gphotos/') || p.endsWith('.xmp')) continue;
    const h = sha256(await readFile(join(archiveDir, p)));
    index.set(h, [...(index.get(h) ?? []), p]);
  }
  return index;
}

export async function partFiles(archiveDir: string): Promise<string[]> {
  return (await filesUnder(archiveDir)).filter((p) => p.endsWith('.gphotos.part'));
}

/** Every item once, byte for byte, at the path the manifest gives; no .part left; nothing else archived. */
export async function expectComplete(archiveDir: string, items: readonly MemoryItem[]): Promise<void> {
  expect(await partFiles(archiveDir), 'partial downloads left').toEqual([]);
  const index = await contentIndex(archiveDir);
  const manifest = await manifestOf(archiveDir);
  expect(manifest).toHaveLength(items.length);
  const byRefId = new Map(manifest.flatMap((m) => m.refs.map((r) => [r.id, m] as const)));
  for (const it of items) {
    const m = byRefId.get(it.id);
    expect(m, `manifest entry of ${it.id}`).toBeDefined();
    expect(index.get(sha256(it.bytes)), `files holding ${it.id}`).toEqual([m?.path]);
    expect(m?.sha256).toBe(sha256(it.bytes));
    expect(m?.size).toBe(it.bytes.length);
  }
  expect([...index.values()].flat()).toHaveLength(items.length);
}
