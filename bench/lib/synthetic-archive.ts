// A synthetic archive for benchmarks: one tiny file per emulator item in {yyyy}/{mm} folders, plus its manifest
// entry written with the real ManifestStore, so that a sync (or a watch cycle) against that emulator is a no-op.
// Shared by bench/sync.ts part (e) and bench/watch.ts.
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import type { ManifestItem, RemoteItem } from '../../src/core/types.js';
import type { Emulator } from '../../src/emulator/api.js';

export function manifestFor(r: RemoteItem, path: string, size: number): ManifestItem {
  return {
    key: `library:${r.ref.id}`,
    refs: [r.ref],
    path,
    size,
    sha256: '0'.repeat(64),
    captureTime: r.creationTime,
    localTime: r.creationTime.slice(0, 19),
    timeSource: 'api',
    mimeType: r.mimeType,
    filename: r.filename,
    ...(r.width === undefined ? {} : { width: r.width }),
    ...(r.height === undefined ? {} : { height: r.height }),
    quality: 'api-copy',
    fetchedAt: '2025-01-01T00:00:00Z',
    mtimeStamped: true,
  };
}

export interface SyntheticArchive {
  /** Files written (one per downloadable item; PROCESSING/FAILED videos are skipped, as sync would). */
  files: number;
  /** Folders under the archive root holding them (`yyyy` and `yyyy/mm`). */
  folders: number;
}

/** Write every downloadable item of `emulator` into `dir` as a 1-byte file, with its manifest entry. */
export async function writeSyntheticArchive(emulator: Emulator, dir: string): Promise<SyntheticArchive> {
  const store = await ManifestStore.open(dir);
  const dirs = new Set<string>();
  const years = new Set<string>();
  const body = Buffer.from('x');
  let files = 0;
  const pending: Promise<void>[] = [];
  for (const it of emulator.items) {
    if (it.kind === 'video' && it.videoStatus !== 'READY') continue;
    const rel = `${it.creationTime.slice(0, 4)}/${it.creationTime.slice(5, 7)}/${it.id}${it.kind === 'video' ? '.mp4' : '.jpg'}`;
    const d = join(dir, rel.slice(0, 7));
    if (!dirs.has(d)) {
      await mkdir(d, { recursive: true });
      dirs.add(d);
      years.add(rel.slice(0, 4));
    }
    const abs = join(dir, rel);
    await writeFile(abs, body);
    const when = new Date(it.creationTime);
    await utimes(abs, when, when);
    const remote: RemoteItem = { ref: { source: 'library', id: it.id }, filename: it.filename, mimeType: it.mimeType, kind: it.kind, creationTime: it.creationTime, width: it.width, height: it.height };
    pending.push(store.put(manifestFor(remote, rel, body.length)));
    files++;
    if (pending.length >= 2000) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  await store.close();
  return { files, folders: dirs.size + years.size };
}
