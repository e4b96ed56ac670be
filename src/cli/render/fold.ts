// Repeated reports folded into one line with a count: 38 videos still processing are one line, not 38.
// -v prints every report as it comes instead; --json is not folded (every event stays). Pure.

export interface Report {
  /** What kind of report: a drift reason (`video-pending`), or `skipped:trashed` for import. */
  kind: string;
  /** The line that names this one report (printed alone, or with -v). */
  line: string;
}

/** The folded line for n (> 1) reports of a kind. */
const MANY: Record<string, (n: number) => string> = {
  'video-pending': (n) => `${n} videos still processing at Google; a later sync fetches them`,
  'video-failed': (n) => `${n} videos failed processing at Google; they have no bytes to fetch`,
  'remote-gone': (n) => `${n} items no longer listed by Google; kept here`,
  'changed-on-disk': (n) => `${n} files on disk differ from what was archived; left alone (gphotos verify names them)`,
  'ambiguous-identity': (n) => `${n} items match more than one archived item; not linked`,
  'duplicate-remote-id': (n) => `${n} items listed twice by Google; each fetched once`,
  'original-missing': (n) =>
    `${n} originals are missing and this source has only API copies; not replaced (re-import them from Takeout, or --allow-downgrade)`,
  'no-date': (n) => `${n} entries have no date; they are in unknown-date/`,
};

export function foldedLine(kind: string, n: number): string {
  const many = MANY[kind];
  if (many !== undefined) return `${many(n)} (-v lists them)`;
  const [what, why] = kind.split(':');
  return why === undefined ? `${n} ${what} reports (-v lists them)` : `${n} entries ${what}: ${why} (-v lists them)`;
}

/** One line per kind, in the order kinds first appeared: the report itself when alone, else the folded line. */
export function foldReports(reports: readonly Report[]): string[] {
  const byKind = new Map<string, Report[]>();
  for (const r of reports) {
    const list = byKind.get(r.kind);
    if (list === undefined) byKind.set(r.kind, [r]);
    else list.push(r);
  }
  return [...byKind].map(([kind, list]) => (list.length === 1 ? list[0]!.line : foldedLine(kind, list.length)));
}

/** Collects reports to fold at the end of a run (or a watch cycle); with -v hands each one back to print now. */
export interface Folder {
  /** The line to print now (-v), or undefined when it is kept for the folded lines. */
  add: (r: Report) => string | undefined;
  /** The folded lines of what was added since the last take, and forget them. */
  take: () => string[];
}

export function createFolder(verbose: boolean): Folder {
  let kept: Report[] = [];
  return {
    add(r) {
      if (verbose) return r.line;
      kept.push(r);
      return undefined;
    },
    take() {
      const lines = foldReports(kept);
      kept = [];
      return lines;
    },
  };
}
