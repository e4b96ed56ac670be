// `gphotos report`'s shell: check where the page goes, gather the manifest and status's health facts (read-only,
// no lock: status never takes it), build the model and write the page atomically (temp file + rename).
import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFileDurably } from '../archive/durable-file.js';
import { STATE_DIR, writeFailed } from '../archive/state-files.js';
import { archiveStatus } from '../engine/status.js';
import { UsageError } from '../errors.js';
import { renderReportHtml } from './html.js';
import { buildReportModel, type Health } from './model.js';

export const DEFAULT_REPORT_NAME = 'gphotos-report.html';

export interface WriteReportOptions {
  /** Absolute archive folder. */
  archiveDir: string;
  /** The archive as the user named it (in the page and its suggested commands). */
  archiveLabel: string;
  /** Where the page goes (absolute). */
  out: string;
  /** Whether the user named `out` (only then may it be inside the archive). */
  outGiven: boolean;
  now: () => Date;
}

export interface ReportSummary {
  out: string;
  items: number;
  months: number;
  holes: number;
  albums: number;
  bytes: number;
  elapsedMs: number;
  health: Omit<Health, 'samples' | 'next'>;
  next: string[];
}

/** Refuse a report target that cannot or should not be written, before anything is read. */
export async function checkReportTarget(archiveDir: string, out: string, outGiven: boolean): Promise<void> {
  const folder = dirname(out);
  const folderStat = await stat(folder).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw writeFailed(out, e, 'write the report to');
  });
  if (folderStat === undefined || !folderStat.isDirectory()) {
    throw new UsageError(`Cannot write the report to ${out}: the folder ${folder} does not exist.`, {
      hint: `Create it first (mkdir -p ${folder}) or name a file in an existing folder with --out.`,
    });
  }
  const existing = await lstat(out).catch(() => undefined);
  if (existing?.isSymbolicLink() === true) {
    throw new UsageError(`${out} is a symbolic link; gphotos does not write a report through a link.`, {
      hint: 'Name the file itself with --out (or remove the link).',
    });
  }
  if (existing !== undefined && !existing.isFile()) {
    throw new UsageError(`${out} is a ${existing.isDirectory() ? 'folder' : 'special file'}, not a file to write the report to.`, {
      hint: `Name a file, e.g. --out ${join(out, DEFAULT_REPORT_NAME)}.`,
    });
  }
  // Inside the archive only when asked for, and never in its state folder (a trust boundary).
  const real = join(await realpath(folder), basename(out));
  // (watch checks before its first cycle has made the archive)
  const rel = relative(await realpath(archiveDir).catch(() => resolve(archiveDir)), real);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  if (inside && (rel === STATE_DIR || rel.startsWith(STATE_DIR + sep))) {
    throw new UsageError(`The report cannot be written into the archive's ${STATE_DIR}/ folder (${out}).`, { hint: 'Name a file outside .gphotos/ with --out.' });
  }
  if (inside && !outGiven) {
    throw new UsageError(`The report would be written inside the archive (${out}), because the current folder is in it.`, {
      hint: `Run it from another folder, or say where with --out FILE (e.g. --out ${join(dirname(archiveDir), DEFAULT_REPORT_NAME)}).`,
    });
  }
}

export async function writeReport(o: WriteReportOptions): Promise<ReportSummary> {
  const started = performance.now();
  await checkReportTarget(o.archiveDir, o.out, o.outGiven);
  const status = await archiveStatus({ archiveDir: o.archiveDir });
  const model = buildReportModel({ archive: o.archiveLabel, generatedAt: o.now().toISOString(), items: status.manifest, status });
  // Links are relative to the page's own folder as the user named both, so the page keeps working when the archive
  // and the report move together.
  const root = relative(resolve(dirname(o.out)), o.archiveDir).split(sep).join('/');
  let bytes = 0;
  const pieces = (function* () {
    for (const piece of renderReportHtml(model, { root })) {
      bytes += Buffer.byteLength(piece);
      yield piece;
    }
  })();
  await writeFileDurably(o.out, pieces).catch((e: unknown) => {
    throw writeFailed(o.out, e, 'write the report to');
  });
  const { samples: _samples, next, ...health } = model.health;
  return {
    out: o.out,
    items: model.totals.items,
    months: model.months.length,
    holes: model.holes.length,
    albums: model.albums.length,
    bytes,
    elapsedMs: Math.round(performance.now() - started),
    health,
    next: next.map((n) => n.command),
  };
}
