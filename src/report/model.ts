// What `gphotos report` shows, as a value: the manifest and the health facts status computed, folded into months.
// Pure (no I/O, no clock): the shell reads the manifest and runs status, this decides what the page says.
import type { DriftCounts, Finding } from '../core/drift.js';
import { UNKNOWN_DATE_DIR } from '../core/dating.js';
import type { ManifestItem, SourceName } from '../core/types.js';

/** 'YYYY-MM', or UNDATED for the items filed under unknown-date/. */
export type MonthKey = string;
export const UNDATED = 'undated';

/** Where an item's bytes came from: an original (only Takeout has them), or an API copy from the Picker or Library. */
export type Origin = 'original' | 'picker' | 'library';

export interface ReportItem {
  path: string;
  filename: string;
  /** Wall-clock capture time, 'YYYY-MM-DDTHH:mm:ss'. */
  localTime: string;
  kind: 'photo' | 'video';
  origin: Origin;
  caption?: string;
  albums: string[];
  favorite: boolean;
  /** What status found wrong with its file. */
  problem?: 'missing' | 'changed' | 'moved';
}

export interface MonthModel {
  month: MonthKey;
  count: number;
  videos: number;
  byOrigin: Record<Origin, number>;
  quality: { original: number; 'api-copy': number };
  /** Items holding a reference of each source (an item may hold several). */
  bySource: Record<SourceName, number>;
  problems: number;
  /** By capture time, then path. */
  items: ReportItem[];
}

export interface NextStep {
  why: string;
  command: string;
}

export interface Health {
  items: number;
  present: number;
  missing: number;
  changed: number;
  moved: number;
  untracked: number;
  /** API copies of items a Takeout export also holds: an original was replaced (or never taken). */
  downgraded: number;
  /** Items only an API copy of is kept (no GPS, videos transcoded). */
  apiCopies: number;
  /** Pending videos are known only from Google's listing, which the report does not make. */
  pendingChecked: boolean;
  pending: number;
  /** Up to SAMPLE paths per problem kind, to show. */
  samples: Record<'missing' | 'changed' | 'moved' | 'untracked', string[]>;
  next: NextStep[];
}

export interface ReportModel {
  archive: string;
  generatedAt: string;
  /** First and last dated month; undefined when nothing is dated. */
  span?: { first: MonthKey; last: MonthKey };
  /** Every month of the span in order (holes included, count 0), then UNDATED when some items are. */
  months: MonthModel[];
  holes: MonthKey[];
  albums: { title: string; count: number }[];
  totals: { items: number; photos: number; videos: number; byOrigin: Record<Origin, number>; bySource: Record<SourceName, number> };
  health: Health;
}

export interface ReportInput {
  /** The archive folder as the user named it (used in the commands suggested). */
  archive: string;
  generatedAt: string;
  items: readonly ManifestItem[];
  status: { counts: DriftCounts; findings: readonly Finding[] };
}

const SAMPLE = 20;
const MONTH = /^(\d{4})-(\d{2})/;

export function monthOf(m: Pick<ManifestItem, 'path' | 'localTime'>): MonthKey {
  if (m.path.startsWith(`${UNKNOWN_DATE_DIR}/`)) return UNDATED;
  const match = MONTH.exec(m.localTime);
  return match === null || Number(match[2]) < 1 || Number(match[2]) > 12 ? UNDATED : `${match[1]}-${match[2]}`;
}

export function originOf(m: Pick<ManifestItem, 'quality' | 'key' | 'refs'>): Origin {
  if (m.quality === 'original') return 'original';
  // The bytes came from the source the item was first archived from (its key), unless that was Takeout.
  const first = m.key.slice(0, m.key.indexOf(':'));
  if (first === 'picker' || first === 'library') return first;
  return m.refs.some((r) => r.source === 'picker') && !m.refs.some((r) => r.source === 'library') ? 'picker' : 'library';
}

/** The months from `first` to `last` inclusive ('YYYY-MM'). */
export function monthsBetween(first: MonthKey, last: MonthKey): MonthKey[] {
  const out: MonthKey[] = [];
  let y = Number(first.slice(0, 4));
  let mo = Number(first.slice(5, 7));
  const endY = Number(last.slice(0, 4));
  const endM = Number(last.slice(5, 7));
  while (y < endY || (y === endY && mo <= endM)) {
    out.push(`${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`);
    if (++mo > 12) {
      mo = 1;
      y++;
    }
  }
  return out;
}

const zeroOrigins = (): Record<Origin, number> => ({ original: 0, picker: 0, library: 0 });
const zeroSources = (): Record<SourceName, number> => ({ takeout: 0, picker: 0, library: 0 });

function emptyMonth(month: MonthKey): MonthModel {
  return { month, count: 0, videos: 0, byOrigin: zeroOrigins(), quality: { original: 0, 'api-copy': 0 }, bySource: zeroSources(), problems: 0, items: [] };
}

export function buildReportModel(input: ReportInput): ReportModel {
  const problemAt = new Map<string, NonNullable<ReportItem['problem']>>();
  const samples: Health['samples'] = { missing: [], changed: [], moved: [], untracked: [] };
  for (const f of input.status.findings) {
    if (f.kind !== 'missing' && f.kind !== 'changed' && f.kind !== 'moved' && f.kind !== 'untracked') continue;
    if (f.path !== undefined && samples[f.kind].length < SAMPLE) samples[f.kind].push(f.path);
    // A moved finding names where the file is now; the manifest path is in its detail ('archived at P').
    const at = f.kind === 'moved' ? f.detail?.replace(/^archived at /, '') : f.path;
    if (f.kind !== 'untracked' && at !== undefined) problemAt.set(at, f.kind);
  }

  const byMonth = new Map<MonthKey, MonthModel>();
  const albums = new Map<string, number>();
  const totals: ReportModel['totals'] = { items: 0, photos: 0, videos: 0, byOrigin: zeroOrigins(), bySource: zeroSources() };
  let downgraded = 0;
  for (const m of input.items) {
    const key = monthOf(m);
    let month = byMonth.get(key);
    if (month === undefined) byMonth.set(key, (month = emptyMonth(key)));
    const origin = originOf(m);
    const kind = m.mimeType.startsWith('video/') ? 'video' : 'photo';
    const problem = problemAt.get(m.path);
    const item: ReportItem = {
      path: m.path, filename: m.filename, localTime: m.localTime, kind, origin,
      albums: [...new Set(m.albums ?? [])], favorite: m.favorite === true,
      ...(m.description === undefined || m.description === '' ? {} : { caption: m.description }),
      ...(problem === undefined ? {} : { problem }),
    };
    month.items.push(item);
    month.count++;
    month.byOrigin[origin]++;
    month.quality[m.quality]++;
    if (kind === 'video') month.videos++;
    if (problem !== undefined) month.problems++;
    const sources = new Set(m.refs.map((r) => r.source));
    for (const s of sources) {
      month.bySource[s]++;
      totals.bySource[s]++;
    }
    if (m.quality === 'api-copy' && sources.has('takeout')) downgraded++;
    for (const a of item.albums) albums.set(a, (albums.get(a) ?? 0) + 1);
    totals.items++;
    totals.byOrigin[origin]++;
    if (kind === 'video') totals.videos++;
    else totals.photos++;
  }
  for (const month of byMonth.values()) {
    month.items.sort((a, b) => (a.localTime < b.localTime ? -1 : a.localTime > b.localTime ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  const dated = [...byMonth.keys()].filter((k) => k !== UNDATED).sort();
  const first = dated[0];
  const last = dated[dated.length - 1];
  const span = first === undefined || last === undefined ? undefined : { first, last };
  const months: MonthModel[] = span === undefined ? [] : monthsBetween(span.first, span.last).map((k) => byMonth.get(k) ?? emptyMonth(k));
  const holes = months.filter((m) => m.count === 0).map((m) => m.month);
  const undated = byMonth.get(UNDATED);
  if (undated !== undefined) months.push(undated);

  const c = input.status.counts;
  const health: Health = {
    items: c.items, present: c.present, missing: c.missing, changed: c.changed, moved: c.moved, untracked: c.untracked,
    downgraded, apiCopies: c['api-copy'], pendingChecked: c.remoteChecked, pending: c.pending, samples, next: [],
  };
  health.next = nextSteps(input.archive, health, holes.length);
  return {
    archive: input.archive,
    generatedAt: input.generatedAt,
    ...(span === undefined ? {} : { span }),
    months,
    holes,
    albums: [...albums].map(([title, count]) => ({ title, count })).sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0)),
    totals,
    health,
  };
}

/** What to run next, most urgent first: the same advice status and verify give, with this archive's path in it. */
export function nextSteps(archive: string, h: Health, holes: number): NextStep[] {
  const dir = shellWord(archive);
  const out: NextStep[] = [];
  if (h.missing > 0) out.push({ why: `${h.missing} archived files are missing: sync fetches API copies again; originals come back from their Takeout export`, command: `gphotos verify ${dir} --fix` });
  if (h.changed > 0) out.push({ why: `${h.changed} files differ from what was archived: check their bytes, then fetch them again`, command: `gphotos verify ${dir} --deep` });
  if (h.moved > 0) out.push({ why: `${h.moved} files were moved inside the archive: move them back to their recorded path (see status)`, command: `gphotos status ${dir}` });
  if (h.untracked > 0) out.push({ why: `${h.untracked} media files are not in the manifest: record them instead of downloading them again`, command: `gphotos adopt ${dir} FOLDER --in-place` });
  if (h.downgraded > 0) out.push({ why: `${h.downgraded} items a Takeout export holds are kept only as API copies: import that export again for the originals`, command: `gphotos import ${dir} TAKEOUT…` });
  if (holes > 0) out.push({ why: `${holes === 1 ? '1 month' : `${holes} months`} inside the archive's span ${holes === 1 ? 'has' : 'have'} no items: often a Takeout part that was never imported`, command: `gphotos import ${dir} TAKEOUT…` });
  if (!h.pendingChecked) out.push({ why: 'new, gone and still-processing items at Google are not checked here', command: `gphotos status ${dir} --remote` });
  return out;
}

/** `s` as one shell word, for a command the user copies. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./~+:=@%-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}
