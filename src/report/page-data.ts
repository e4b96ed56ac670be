// The report model as the page's data: a small summary parsed at load, and one compact block per month parsed only
// when that month is opened, so a 100k-item archive's page loads as fast as a small one's. Pure.
import type { MonthModel, Origin, ReportItem, ReportModel } from './model.js';

/** Item flags (bits), decoded by page-script.ts. */
export const FLAG = { video: 1, favorite: 2, missing: 4, changed: 8, moved: 16 } as const;
const ORIGINS: readonly Origin[] = ['original', 'picker', 'library'];

export interface PageSummary {
  archive: string;
  generatedAt: string;
  /** The archive folder relative to the report, as an encoded URL prefix ('' or ending in '/'). */
  root: string;
  totals: ReportModel['totals'];
  health: ReportModel['health'];
  holes: string[];
  albums: { t: string; n: number }[];
  /** Per album (same order): [month index, items] pairs, for the timeline of a filter. */
  albumMonths: [number, number][][];
  /** month, count, videos, [original, picker, library], [takeout, picker, library] refs, problems */
  months: { m: string; n: number; v: number; o: [number, number, number]; s: [number, number, number]; x: number }[];
}

/** [folder index, file name, 'DD HH:MM', flags + 32 * origin, caption?, album indexes?] */
export type PageItem = [number, string, string, number, string?, number[]?];

export interface PageMonth {
  /** Folders, each an encoded URL path relative to the archive root. */
  d: string[];
  i: PageItem[];
}

/** A '/'-separated relative path as a URL path: each segment percent-encoded ('#', '?', '%', ':' stay literal). */
export function encodePath(rel: string): string {
  return rel === '' ? '' : rel.split('/').map(encodeURIComponent).join('/');
}

export function pageSummary(model: ReportModel, root: string): PageSummary {
  const albumIndex = new Map(model.albums.map((a, i) => [a.title, i]));
  const albumMonths: [number, number][][] = model.albums.map(() => []);
  model.months.forEach((month, mi) => {
    const counts = new Map<number, number>();
    for (const it of month.items) for (const a of it.albums) counts.set(albumIndex.get(a)!, (counts.get(albumIndex.get(a)!) ?? 0) + 1);
    for (const [ai, n] of counts) albumMonths[ai]!.push([mi, n]);
  });
  return {
    archive: model.archive,
    generatedAt: model.generatedAt,
    root: root === '' ? '' : `${encodePath(root)}/`,
    totals: model.totals,
    health: model.health,
    holes: model.holes,
    albums: model.albums.map((a) => ({ t: a.title, n: a.count })),
    albumMonths,
    months: model.months.map((m) => ({
      m: m.month, n: m.count, v: m.videos,
      o: [m.byOrigin.original, m.byOrigin.picker, m.byOrigin.library],
      s: [m.bySource.takeout, m.bySource.picker, m.bySource.library],
      x: m.problems,
    })),
  };
}

export function pageMonth(month: MonthModel, albumIndex: ReadonlyMap<string, number>): PageMonth {
  const dirs = new Map<string, number>();
  const items = month.items.map((it): PageItem => {
    const cut = it.path.lastIndexOf('/');
    const dir = cut < 0 ? '' : it.path.slice(0, cut);
    let di = dirs.get(dir);
    if (di === undefined) dirs.set(dir, (di = dirs.size));
    const out: PageItem = [di, it.path.slice(cut + 1), `${it.localTime.slice(8, 10)} ${it.localTime.slice(11, 16)}`, flags(it)];
    const albums = it.albums.map((a) => albumIndex.get(a)!);
    if (it.caption !== undefined || albums.length > 0) out.push(it.caption ?? '');
    if (albums.length > 0) out.push(albums);
    return out;
  });
  return { d: [...dirs.keys()].map(encodePath), i: items };
}

function flags(it: ReportItem): number {
  let f = ORIGINS.indexOf(it.origin) * 32;
  if (it.kind === 'video') f |= FLAG.video;
  if (it.favorite) f |= FLAG.favorite;
  if (it.problem !== undefined) f |= FLAG[it.problem];
  return f;
}

/**
 * JSON that is safe inside a <script> element: no '<' (so no '</script>' or '<!--'), no '>' or '&' either, and
 * U+2028/U+2029 escaped; JSON.parse reads it back unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for HTML content or a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
