// Progress of `gphotos import` as a typed event stream; the CLI renders each kind as text or NDJSON.
import type { DateSource } from '../sources/takeout/dates.js';

export interface ImportSummary {
  dryRun: boolean;
  inputs: number;
  /** Archives skipped whole because they were imported completely before. */
  inputsAlreadyImported: number;
  media: number;
  imported: number;
  bytes: number;
  /** Same item or same bytes already archived (album copies, overlapping exports, re-imports). */
  duplicates: number;
  upgraded: number;
  unknownDate: number;
  trashed: number;
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
  | { event: 'imported'; path: string; entry: string; bytes: number; dateSource: DateSource }
  | { event: 'upgraded'; path: string; entry: string; bytes: number }
  | { event: 'duplicate'; entry: string; path: string }
  | { event: 'skipped'; entry: string; reason: 'trashed' | 'ambiguous-identity' | 'already-imported'; detail?: string }
  | { event: 'problem'; input: string; entry?: string; reason: string; detail: string }
  | { event: 'planned'; entry: string; action: 'import' | 'duplicate' | 'skip'; reason: string }
  | { event: 'failed'; entry: string; error: string }
  | { event: 'progress'; bytes: number }
  | { event: 'warning'; message: string }
  | { event: 'summary'; summary: ImportSummary };

export type ImportSink = (e: ImportEvent) => void;
