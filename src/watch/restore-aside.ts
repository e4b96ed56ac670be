// Damaged archive files that watch noticed (its folder watches, or a sync's changed-on-disk drift) are moved aside
// and fetched again by the next cycle: verify --fix's own code, under the archive lock.
import { acquireLock } from '../archive/lock.js';
import type { ManifestItem } from '../core/types.js';
import { loadManifestItems, moveAside, splitFixable, verifyItems, type Damage } from '../engine/verify.js';
import type { WatchSink } from './events.js';
import { checkPaths } from './local-check.js';

/** Move damaged files aside under the archive lock, so that the sync fetches them again; `ours` gets their paths. */
export async function restoreAside(archiveDir: string, candidates: Damage[], onEvent: WatchSink, ours: Set<string>): Promise<void> {
  const lock = await acquireLock(archiveDir, { command: 'watch', warn: (m) => onEvent({ event: 'warning', message: m }) });
  try {
    // Judge again under the lock: the file may have been put back since it was seen.
    const items = await loadManifestItems(archiveDir);
    const wanted = new Set(candidates.map((c) => c.path));
    const subset = items.filter((i) => wanted.has(i.path));
    const { damaged } = await verifyItems({ archiveDir, deep: true, concurrency: 1 }, subset);
    const { refetch } = splitFixable(damaged, new Map<string, ManifestItem>(subset.map((i) => [i.key, i])));
    const aside = refetch.filter((x) => x.kind !== 'missing');
    const moved = await moveAside(archiveDir, aside);
    aside.forEach((x, i) => {
      ours.add(x.path);
      onEvent({ event: 'moved-aside', path: x.path, to: moved[i] ?? '' });
    });
  } finally {
    await lock.release();
  }
}

/**
 * Files sync reported as changed on disk: queue the damaged ones `into` the next cycle's restore, like the ones
 * the folder watches saw. Empties `paths`.
 */
export async function queueChanged(archiveDir: string, paths: Set<string>, into: Map<string, Damage>, onEvent: WatchSink): Promise<void> {
  const check = await checkPaths(archiveDir, paths);
  paths.clear();
  for (const r of check.restore) {
    if (!into.has(r.path)) onEvent({ event: 'local-change', change: 'damaged', path: r.path, ...(r.detail === undefined ? {} : { detail: r.detail }) });
    into.set(r.path, r);
  }
}
