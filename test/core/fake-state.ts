// Builders and an in-memory archive model for planner tests: apply a plan the way the engine would, minus I/O.

import { withMeta } from '../../src/core/item-meta.js';
import { foldKey } from '../../src/core/names.js';
import { NO_FILTER } from '../../src/core/filters.js';
import type { Plan, PlanInput, PlanOptions } from '../../src/core/plan-types.js';
import { refKey } from '../../src/core/types.js';
import type { LocalFile, ManifestItem, RemoteItem, SourceName } from '../../src/core/types.js';

export function remoteItem(id: string, over: Partial<RemoteItem> = {}, source: SourceName = 'library'): RemoteItem {
  return {
    ref: { source, id },
    filename: `${id}.jpg`,
    mimeType: over.kind === 'video' ? 'video/mp4' : 'image/jpeg',
    kind: 'photo',
    creationTime: '2019-03-09T12:42:00Z',
    ...over,
  };
}

export function options(over: Partial<PlanOptions> = {}): PlanOptions {
  return {
    layout: '{yyyy}/{mm}',
    tz: 'UTC',
    filter: NO_FILTER,
    setMtime: true,
    force: false,
    source: 'library',
    listingComplete: true,
    quality: 'api-copy',
    allowDowngrade: false,
    ...over,
  };
}

/** Bytes the fake Google serves for an item: deterministic, never tiny (so truncation is visible). */
export function sizeOf(item: RemoteItem): number {
  return 1000 + [...refKey(item.ref)].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100_000, 7);
}

export class FakeArchive {
  readonly manifest = new Map<string, ManifestItem>();
  /** exact path -> stat; the fake disk is case- and normalisation-insensitive, like APFS and NTFS */
  readonly disk = new Map<string, LocalFile>();

  fileAt(path: string): LocalFile | undefined {
    for (const [p, f] of this.disk) if (foldKey(p) === foldKey(path)) return f;
    return undefined;
  }

  input(remote: readonly RemoteItem[], opts: PlanOptions): PlanInput {
    const local = new Map<string, LocalFile | undefined>();
    for (const m of this.manifest.values()) local.set(m.path, this.fileAt(m.path));
    for (const [p, f] of this.disk) local.set(p, f);
    return { remote, manifest: [...this.manifest.values()], local, options: opts };
  }

  /** Applies every action; throws where a real engine would destroy data. */
  apply(plan: Plan, opts: PlanOptions): void {
    for (const a of plan.actions) {
      switch (a.kind) {
        case 'download': {
          const m = a.key === undefined ? undefined : this.manifest.get(a.key);
          if (a.key !== undefined) {
            if (m === undefined || m.path !== a.path) throw new Error(`re-fetch of ${a.key} moved or lost`);
            if (this.fileAt(a.path) !== undefined) throw new Error(`re-fetch over an existing file ${a.path}`);
            if (m.quality === 'original' && opts.quality !== 'original' && a.downgrade !== true) throw new Error(`silent downgrade of ${a.key}`);
            const size = opts.quality === m.quality ? m.size : sizeOf(a.item);
            // The engine records what the source knows with the bytes, as for a new item.
            this.manifest.set(m.key, withMeta({ ...m, size, quality: opts.quality }, a.item.meta));
            this.writeFile(a.path, size, m.mtimeStamped ? Date.parse(m.captureTime) : 0);
            break;
          }
          if (this.fileAt(a.path) !== undefined) throw new Error(`download would overwrite ${a.path}`);
          const key = refKey(a.item.ref);
          if (this.manifest.has(key)) throw new Error(`download of an archived item ${key}`);
          this.manifest.set(key, withMeta({
            key,
            refs: [a.item.ref],
            path: a.path,
            size: sizeOf(a.item),
            sha256: 'sha-' + key,
            captureTime: a.item.creationTime,
            localTime: a.item.creationTime.slice(0, 19),
            timeSource: 'api',
            mimeType: a.item.mimeType,
            filename: a.item.filename,
            ...(a.item.width === undefined ? {} : { width: a.item.width }),
            ...(a.item.height === undefined ? {} : { height: a.item.height }),
            quality: opts.quality,
            fetchedAt: '2025-01-01T00:00:00Z',
            mtimeStamped: opts.setMtime,
          }, a.item.meta));
          this.writeFile(a.path, sizeOf(a.item), opts.setMtime ? Date.parse(a.item.creationTime) : 0);
          break;
        }
        case 'upgrade': {
          const m = this.manifest.get(a.key);
          if (m === undefined || m.path !== a.path) throw new Error(`upgrade of ${a.key} moved or lost`);
          if (m.quality !== 'api-copy' || opts.quality !== 'original') throw new Error(`upgrade of ${a.key} is not to an original`);
          const f = this.fileAt(a.path);
          if (f === undefined || f.size !== m.size) throw new Error(`upgrade over a file that is not our copy: ${a.path}`);
          const size = sizeOf(a.item);
          this.manifest.set(m.key, { ...withMeta(m, a.item.meta), size, quality: 'original', refs: m.refs.some((r) => r.source === a.item.ref.source && r.id === a.item.ref.id) ? m.refs : [...m.refs, a.item.ref] });
          this.writeFile(a.path, size, m.mtimeStamped ? Date.parse(m.captureTime) : 0);
          break;
        }
        case 'annotate': {
          const m = this.manifest.get(a.key);
          if (m === undefined) throw new Error(`annotate of unknown ${a.key}`);
          this.manifest.set(m.key, withMeta(m, a.meta));
          break;
        }
        case 'restamp': {
          const f = this.fileAt(a.path);
          if (f === undefined) throw new Error(`restamp of a missing file ${a.path}`);
          f.mtimeMs = a.mtimeMs;
          break;
        }
        case 'link': {
          const m = this.manifest.get(a.key);
          if (m === undefined) throw new Error(`link to unknown ${a.key}`);
          m.refs.push(a.ref);
          break;
        }
        case 'report':
          break;
      }
    }
  }

  writeFile(path: string, size: number, mtimeMs: number): void {
    this.disk.set(path, { path, size, mtimeMs });
  }
}
