// Progress of `gphotos import` as a typed event stream; the CLI renders each kind as text or NDJSON.
import type { DateSource } from '../core/dating.js';
import type { PlanCounts } from '../core/plan-types.js';
import type { SkipReason } from '../sources/takeout/catalog.js';

export interface ImportSummary {
  dryRun: boolean;
  inputs: number;
  /**
   * Media files found in the inputs. Every one is imported, upgraded, a duplicate, trashed, skipped, ambiguous or
   * failed (or not yet done, after an interruption): the numbers add up.
   */
  media: number;
  imported: number;
  bytes: number;
  /** Same item or same bytes already archived (album copies, overlapping exports, re-imports). */
  duplicates: number;
  upgraded: number;
  /** Archived items whose caption, favorite, people or albums a later export changed. */
  annotated: number;
  unknownDate: number;
  trashed: number;
  /** Media files not read for another reason (the same path in two inputs, a refused entry), each named in an event. */
  skipped: number;
  ambiguous: number;
  badSidecars: number;
  /** Damaged or hostile archive content: corrupt entries, zip slip, bombs. */
  archiveProblems: number;
  albumLinks: number;
  failed: number;
  stoppedBy?: 'interrupt';
  elapsedMs: number;
  failures: { entry: string; error: string }[];
}

export type ImportEvent =
  | { event: 'indexed'; inputs: number; media: number; sidecars: number; albums: number; toImport: number }
  /** The same plan value `sync` prints. */
  | { event: 'plan'; counts: PlanCounts }
  | { event: 'planned-action'; action: string; reason: string; path?: string; filename?: string; detail?: string }
  | { event: 'imported'; path: string; entry: string; bytes: number; dateSource: DateSource }
  | { event: 'upgraded'; path: string; entry: string; bytes: number }
  | { event: 'duplicate'; entry: string; path: string }
  | { event: 'annotated'; path: string; fields: string[] }
  | { event: 'skipped'; entry: string; reason: SkipReason | 'ambiguous-identity'; detail?: string }
  | { event: 'problem'; input: string; entry?: string; reason: string; detail: string }
  | { event: 'failed'; entry: string; error: string }
  | { event: 'progress'; bytes: number }
  | { event: 'warning'; message: string }
  | { event: 'summary'; summary: ImportSummary };

export type ImportSink = (e: ImportEvent) => void;
