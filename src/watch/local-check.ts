// What the changed paths mean, judged against the manifest: a tracked file missing or damaged (size or SHA-256
// differs: verify's own check, engine/verify.ts), or a file the archive does not know (untracked). Read-only and
// lock-free, like `gphotos verify`.
import { lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ManifestItem } from '../core/types.js';
import { loadManifestItems, splitFixable, verifyItems, type Damage } from '../engine/verify.js';
import { isIgnoredPath } from './local-watch.js';

export type LocalChange = 'missing' | 'damaged' | 'untracked' | 'unrestorable';

export interface LocalFinding {
  change: LocalChange;
  path: string;
  detail?: string;
}

export interface LocalCheck {
  findings: LocalFinding[];
  /** Damaged files a Library sync can fetch again once they are moved aside (watch-loop does that under the lock). */
  restore: Damage[];
  /** Whether a cycle would fix something (a missing or damaged file the Library source has). */
  actionable: boolean;
}

export async function checkPaths(archiveDir: string, changed: ReadonlySet<string>): Promise<LocalCheck> {
  const out: LocalCheck = { findings: [], restore: [], actionable: false };
  if (changed.size === 0) return out;
  const items = await loadManifestItems(archiveDir).catch(() => [] as ManifestItem[]);
  const byPath = new Map(items.map((i) => [i.path, i]));
  const candidates = new Set<string>();
  const gonePrefixes = new Set<string>();
  for (const p of changed) {
    if (byPath.has(p)) {
      candidates.add(p);
      continue;
    }
    const st = await lstat(join(archiveDir, ...p.split('/'))).catch(() => undefined);
    if (st === undefined) gonePrefixes.add(p);
    else if (st.isFile()) candidates.add(p);
    else if (st.isDirectory()) {
      // A folder moved or copied in: its files may predate the folder's watch.
      for (const f of await listFiles(archiveDir, p)) candidates.add(f);
    }
  }
  if (gonePrefixes.size > 0) {
    for (const i of items) {
      for (let at = i.path.lastIndexOf('/'); at > 0; at = i.path.lastIndexOf('/', at - 1)) {
        if (gonePrefixes.has(i.path.slice(0, at))) {
          candidates.add(i.path);
          break;
        }
      }
    }
  }
  const tracked = [...candidates].flatMap((p) => byPath.get(p) ?? []);
  const verified = tracked.length === 0 ? { damaged: [] } : await verifyItems({ archiveDir, deep: true, concurrency: 1 }, tracked);
  const split = splitFixable(verified.damaged, new Map(tracked.map((i) => [i.key, i])));
  for (const d of split.refetch) {
    out.findings.push({ change: d.kind === 'missing' ? 'missing' : 'damaged', path: d.path, ...(d.detail === undefined ? {} : { detail: d.detail }) });
    if (d.kind !== 'missing') out.restore.push(d);
    out.actionable = true;
  }
  for (const c of split.cannot) out.findings.push({ change: 'unrestorable', path: c.damage.path, detail: `${c.damage.kind}: ${c.why}` });
  for (const p of candidates) {
    if (byPath.has(p) || isIgnoredPath(p)) continue;
    const st = await lstat(join(archiveDir, ...p.split('/'))).catch(() => undefined);
    if (st?.isFile() === true) out.findings.push({ change: 'untracked', path: p, detail: `${st.size} bytes the manifest does not know` });
  }
  return out;
}

async function listFiles(archiveDir: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(join(archiveDir, ...rel.split('/')), { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile()) continue;
    const p = relative(archiveDir, join(e.parentPath, e.name)).split('\\').join('/');
    if (!isIgnoredPath(p)) out.push(p);
  }
  return out;
}
