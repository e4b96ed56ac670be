// The plan is a value: `gphotos plan --json` prints it, the engine applies it, --dry-run renders it.

import type { ItemFilter } from './filters.js';
import type { ItemMeta, LocalFile, ManifestItem, Quality, RemoteItem, SourceName, SourceRef } from './types.js';

export interface PlanOptions {
  /** layout template, e.g. '{yyyy}/{mm}' */
  layout: string;
  /** IANA zone (or 'UTC') for placement and date filters */
  tz: string;
  filter: ItemFilter;
  setMtime: boolean;
  /** proceed even when the listing looks suspiciously small */
  force: boolean;
  /** which source this listing is from */
  source: SourceName;
  /** the listing is complete for the filter (false when the run was cut short, or a selection) */
  listingComplete: boolean;
  /** what this source's bytes are */
  quality: Quality;
  /** fetch an API copy of an original that is missing on disk (reported as a downgrade); otherwise only reported */
  allowDowngrade: boolean;
}

export interface PlanInput {
  remote: readonly RemoteItem[];
  manifest: readonly ManifestItem[];
  /** stat of every manifest path; undefined or missing = not on disk */
  local: ReadonlyMap<string, LocalFile | undefined>;
  options: PlanOptions;
}

export type ReportReason =
  | 'video-pending'
  | 'video-failed'
  | 'remote-gone'
  | 'changed-on-disk'
  | 'ambiguous-identity'
  | 'duplicate-remote-id'
  /** an original is missing on disk and this source has only a lesser copy */
  | 'original-missing';

export type Action =
  | {
      kind: 'download';
      item: RemoteItem;
      /** relative; for new items provisional: the engine may re-place by EXIF date at download time */
      path: string;
      reason: 'new-remote-item' | 'missing-on-disk';
      /** manifest key when re-fetching */
      key?: string;
      /** an original is replaced by this source's lesser copy (only with allowDowngrade) */
      downgrade?: true;
    }
  /** the archived API copy at `path` is replaced in place by this source's original */
  | { kind: 'upgrade'; key: string; item: RemoteItem; path: string; reason: 'original-replaces-copy' }
  /** the source knows other metadata (caption, favorite, albums…) than the manifest: merged, albums only grow */
  | { kind: 'annotate'; key: string; meta: ItemMeta; reason: 'metadata-changed' }
  | { kind: 'restamp'; key: string; path: string; mtimeMs: number; reason: 'mtime-differs' }
  | { kind: 'link'; key: string; ref: SourceRef; reason: 'same-identity' }
  | { kind: 'report'; reason: ReportReason; key?: string; item?: RemoteItem; path?: string; detail?: string };

export interface PlanCounts {
  /** distinct remote items within the filter */
  remote: number;
  /** archived, on disk with the manifest's size and, when it matters, the right mtime */
  present: number;
  download: number;
  upgrade: number;
  annotate: number;
  /** originals missing on disk that this source cannot give back at their quality */
  originalMissing: number;
  restamp: number;
  link: number;
  /** videos still processing at Google (failed ones are reported, not counted here) */
  pending: number;
  gone: number;
  changed: number;
  ambiguous: number;
}

export interface Plan {
  actions: Action[];
  counts: PlanCounts;
  /**
   * Set (and no remote-gone reported) when the listing looks incomplete: much smaller than what the manifest
   * remembers for this source within the filter, and --force was not given.
   */
  suspectListing?: { listed: number; remembered: number };
}

export type DownloadAction = Extract<Action, { kind: 'download' }>;
export type UpgradeAction = Extract<Action, { kind: 'upgrade' }>;
/** Actions that write an item's bytes. */
export type TransferAction = DownloadAction | UpgradeAction;
