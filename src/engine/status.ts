// `status`: gather the three views (manifest, disk, optionally the remote listing) and let core/drift decide.
// Never takes the lock and never writes: the manifest is opened read-only, so status works beside a sync.
import { join, resolve } from 'node:path';
import { statManifestPaths } from '../archive/disk-state.js';
import { HashPool, hashThreads } from '../archive/hash-pool.js';
import { ManifestStore } from '../archive/manifest-store.js';
import { scanTreeOffThread } from '../archive/scan-tree.js';
import { drift, hashCandidates, type DriftCounts, type Finding } from '../core/drift.js';
import type { LocalFile, ManifestItem, RemoteItem, SourceName } from '../core/types.js';

export interface StatusResult {
  findings: Finding[];
  counts: DriftCounts;
  /** files hashed to recognise moves */
  hashed: number;
  /** The manifest's items it judged (for a caller that shows them, such as report). */
  manifest: ManifestItem[];
}

export interface StatusOptions {
  archiveDir: string;
  /** The remote listing, when asked for (status --remote). */
  listRemote?: () => Promise<{ items: RemoteItem[]; source: SourceName }>;
}

export async function archiveStatus(o: StatusOptions): Promise<StatusResult> {
  // The walk runs on a worker thread while this one parses the manifest (the two largest costs, overlapped).
  const scanning = scanTreeOffThread(o.archiveDir);
  scanning.catch(() => undefined); // awaited below; not an unhandled rejection if the manifest fails first
  const store = await ManifestStore.open(o.archiveDir, { readOnly: true });
  const manifest = [...store.items()];
  await store.close();

  const [scanned, remote] = await Promise.all([scanning, o.listRemote?.()]);
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
  if (candidates.length > 0) {
    // A file that vanished or cannot be read simply is not a move; status must not fail beside a running sync.
    const pool = new HashPool(Math.min(hashThreads(), candidates.length));
    try {
      const root = resolve(o.archiveDir);
      const out = await pool.run(candidates.map((f) => ({ abs: join(root, ...f.path.split('/')) })));
      candidates.forEach((f, i) => {
        const r = out[i];
        if (r?.kind === 'hashed') hashes.set(f.path, r.sha256);
      });
    } finally {
      await pool.close();
    }
  }
  const result = drift({ ...view, hashes, ...(remote === undefined ? {} : { remote }) });
  return { ...result, hashed: candidates.length, manifest };
}
