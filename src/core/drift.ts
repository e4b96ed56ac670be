// drift(): a three-way report between what a source lists, what the manifest remembers and what the disk holds.
// Pure: the shell stats, scans and hashes, this decides. Every finding is reported exactly once: a file found
// under another path with the bytes of a missing item is `moved`, neither `missing` nor `untracked`.

import { fileState } from './compare.js';
import { NO_FILTER } from './filters.js';
import { plan } from './plan.js';
import { refKey } from './types.js';
import type { LocalFile, ManifestItem, RemoteItem, SourceName } from './types.js';

export type DriftKind = 'remote-new' | 'remote-gone' | 'missing' | 'changed' | 'untracked' | 'moved' | 'pending';

export interface Finding {
  kind: DriftKind;
  path?: string;
  key?: string;
  filename?: string;
  detail?: string;
}

export interface DriftCounts {
  items: number;
  /** manifest items on disk as recorded */
  present: number;
  'remote-new': number;
  'remote-gone': number;
  missing: number;
  changed: number;
  untracked: number;
  moved: number;
  pending: number;
  'api-copy': number;
  original: number;
  /** whether the remote side was listed (status --remote) */
  remoteChecked: boolean;
}

export interface DiskView {
  manifest: readonly ManifestItem[];
  /** stat of every manifest path; undefined or absent = not on disk */
  local: ReadonlyMap<string, LocalFile | undefined>;
  /** media files the scan found anywhere in the tree */
  scanned: readonly LocalFile[];
}

export interface DriftInput extends DiskView {
  /** sha256 of the files hashCandidates() named */
  hashes: ReadonlyMap<string, string>;
  remote?: { items: readonly RemoteItem[]; source: SourceName };
}

function byPath<T extends { path: string }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function missingItems(view: DiskView): ManifestItem[] {
  return view.manifest.filter((m) => view.local.get(m.path) === undefined).sort(byPath);
}

function untrackedFiles(view: DiskView): LocalFile[] {
  const known = new Set(view.manifest.map((m) => m.path));
  return view.scanned.filter((f) => !known.has(f.path)).sort(byPath);
}

/** The untracked files worth hashing: only those with the size of some missing item can be one of them, moved. */
export function hashCandidates(view: DiskView): LocalFile[] {
  const sizes = new Set(missingItems(view).map((m) => m.size));
  return untrackedFiles(view).filter((f) => sizes.has(f.size));
}

export function drift(input: DriftInput): { findings: Finding[]; counts: DriftCounts } {
  const findings: Finding[] = [];
  const counts: DriftCounts = {
    items: input.manifest.length, present: 0, 'remote-new': 0, 'remote-gone': 0, missing: 0, changed: 0,
    untracked: 0, moved: 0, pending: 0, 'api-copy': 0, original: 0, remoteChecked: input.remote !== undefined,
  };
  const add = (f: Finding): void => {
    findings.push(f);
    counts[f.kind]++;
  };
  for (const m of input.manifest) counts[m.quality]++;

  // Moved: a missing item's exact bytes (size and sha256) under a path the manifest does not know.
  const untracked = untrackedFiles(input);
  const byContent = new Map<string, LocalFile[]>();
  for (const u of untracked) {
    const h = input.hashes.get(u.path);
    if (h === undefined) continue;
    const k = `${u.size}:${h}`;
    byContent.set(k, [...(byContent.get(k) ?? []), u]);
  }
  const claimed = new Set<string>();
  const movedTo = new Map<string, LocalFile>();
  for (const m of missingItems(input)) {
    // Several copies of one missing item: the first by path is the move, the rest stay untracked.
    const f = byContent.get(`${m.size}:${m.sha256}`)?.shift();
    if (f === undefined) continue;
    claimed.add(f.path);
    movedTo.set(m.key, f);
  }

  for (const m of [...input.manifest].sort(byPath)) {
    const local = input.local.get(m.path);
    const moved = movedTo.get(m.key);
    if (moved !== undefined) {
      add({ kind: 'moved', path: moved.path, key: m.key, filename: m.filename, detail: `archived at ${m.path}` });
      continue;
    }
    switch (fileState(m, local, true)) {
      case 'present':
        counts.present++;
        break;
      case 'missing':
        add({ kind: 'missing', path: m.path, key: m.key, filename: m.filename });
        break;
      case 'changed':
        add({ kind: 'changed', path: m.path, key: m.key, filename: m.filename, detail: `size on disk ${local?.size ?? 0}, archived ${m.size}` });
        break;
      case 'mtime-differs':
        add({ kind: 'changed', path: m.path, key: m.key, filename: m.filename, detail: `mtime ${new Date(local?.mtimeMs ?? 0).toISOString()}, captured ${m.captureTime}` });
        break;
    }
  }
  for (const f of untracked) if (!claimed.has(f.path)) add({ kind: 'untracked', path: f.path, detail: `${f.size} bytes` });
  if (input.remote !== undefined) for (const f of remoteFindings(input.manifest, input.remote)) add(f);
  return { findings, counts };
}

/** The remote side, decided by plan() itself, so that status and sync can never disagree about what is new or gone. */
function remoteFindings(manifest: readonly ManifestItem[], remote: NonNullable<DriftInput['remote']>): Finding[] {
  const p = plan({
    remote: remote.items,
    manifest,
    // Disk state is drift()'s business; here every archived file counts as present so plan() speaks only of the remote.
    local: new Map(manifest.map((m) => [m.path, { path: m.path, size: m.size, mtimeMs: Date.parse(m.captureTime) }])),
    options: { layout: '{yyyy}/{mm}', tz: 'UTC', filter: NO_FILTER, setMtime: false, force: false, source: remote.source, listingComplete: true,
      quality: remote.source === 'takeout' ? 'original' : 'api-copy', allowDowngrade: false },
  });
  const out: Finding[] = [];
  for (const a of p.actions) {
    if (a.kind === 'download' && a.reason === 'new-remote-item') {
      out.push({ kind: 'remote-new', key: refKey(a.item.ref), filename: a.item.filename });
    } else if (a.kind === 'report' && a.reason === 'remote-gone') {
      out.push({ kind: 'remote-gone', ...(a.path === undefined ? {} : { path: a.path }), ...(a.key === undefined ? {} : { key: a.key }) });
    } else if (a.kind === 'report' && a.reason === 'video-pending' && a.item !== undefined) {
      out.push({ kind: 'pending', key: refKey(a.item.ref), filename: a.item.filename, ...(a.path === undefined ? {} : { path: a.path }) });
    }
  }
  return out;
}
