// The plan is a value: `gphotos plan --json` prints it, the engine applies it, --dry-run renders it.

import type { ItemFilter } from './filters.js';
import type { LocalFile, ManifestItem, RemoteItem, SourceName, SourceRef } from './types.js';

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
  /** the listing is complete for the filter (false when the run was cut short) */
  listingComplete: boolean;
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
  | 'duplicate-remote-id';

export type Action =
  | {
      kind: 'download';
      item: RemoteItem;
      /** relative; for new items provisional: the engine may re-place by EXIF date at download time */
      path: string;
      reason: 'new-remote-item' | 'missing-on-disk';
      /** manifest key when re-fetching */
      key?: string;
    }
  | { kind: 'restamp'; key: string; path: string; mtimeMs: number; reason: 'mtime-differs' }
  | { kind: 'link'; key: string; ref: SourceRef; reason: 'same-identity' }
  | { kind: 'report'; reason: ReportReason; key?: string; item?: RemoteItem; path?: string; detail?: string };

export interface PlanCounts {
  /** distinct remote items within the filter */
  remote: number;
  /** archived, on disk with the manifest's size and, when it matters, the right mtime */
  present: number;
  download: number;
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
