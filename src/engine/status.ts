// `status`: gather the three views (manifest, disk, optionally the remote listing) and let core/drift decide.
// Never takes the lock and never writes: the manifest is opened read-only, so status works beside a sync.
import { join } from 'node:path';
import { statManifestPaths } from '../archive/disk-state.js';
import { forEachHashing, hashFile } from '../archive/hash-file.js';
import { ManifestStore } from '../archive/manifest-store.js';
import { scanTree } from '../archive/scan-tree.js';
import { drift, hashCandidates, type DriftCounts, type Finding } from '../core/drift.js';
import type { LocalFile, RemoteItem, SourceName } from '../core/types.js';

export interface StatusResult {
  findings: Finding[];
  counts: DriftCounts;
  /** files hashed to recognise moves */
  hashed: number;
}

export interface StatusOptions {
  archiveDir: string;
  /** The remote listing, when asked for (status --remote). */
  listRemote?: () => Promise<{ items: RemoteItem[]; source: SourceName }>;
}

export async function archiveStatus(o: StatusOptions): Promise<StatusResult> {
  const store = await ManifestStore.open(o.archiveDir, { readOnly: true });
  const manifest = [...store.items()];
  await store.close();

  const [scanned, remote] = await Promise.all([scanTree(o.archiveDir), o.listRemote?.()]);
  // One walk serves both sides: manifest paths the scan saw need no second stat; only the rest (non-media names,
  // files under a skipped folder, missing ones) are statted.
  const seen = new Map(scanned.map((f) => [f.path, f]));
  const local = new Map<string, LocalFile | undefined>();
  const unseen: string[] = [];
  for (const m of manifest) {
    const f = seen.get(m.path);
    if (f === undefined) unseen.push(m.path);
    else local.set(m.path, f);
  }
  for (const [path, f] of await statManifestPaths(o.archiveDir, unseen)) local.set(path, f);

  const view = { manifest, local, scanned };
  const hashes = new Map<string, string>();
  const candidates = hashCandidates(view);
  await forEachHashing(candidates, 4, async (f, buf) => {
    try {
      hashes.set(f.path, (await hashFile(join(o.archiveDir, ...f.path.split('/')), buf)).sha256);
    } catch {
      // A file that vanished or cannot be read simply is not a move; status must not fail beside a running sync.
    }
  });
  const result = drift({ ...view, hashes, ...(remote === undefined ? {} : { remote }) });
  return { ...result, hashed: candidates.length };
}
