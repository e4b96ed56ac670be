// The report as one self-contained HTML file: style, script and data inline, previews by relative path to the
// archived files. Pure: returns the text in pieces (a 100k-item page is a few MB; the writer streams them).
import { createHash } from 'node:crypto';
import type { ReportModel } from './model.js';
import { PAGE_SCRIPT } from './page-script.js';
import { escapeHtml, pageMonth, pageSummary, scriptJson } from './page-data.js';

const STYLE = `
:root { --orig: #2e7d32; --picker: #1565c0; --library: #e0a100; --hole: #c62828; --album: #6a1b9a; font-family: system-ui, sans-serif; }
body { margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem; color: #222; background: #fafafa; }
header h1 { margin: 0; font-size: 1.4rem; word-break: break-all; }
header p { margin: .2rem 0; color: #555; }
section { margin: 1rem 0; }
h2 { font-size: 1.15rem; margin: .5rem 0; }
h3 { font-size: 1rem; margin: .8rem 0 .3rem; }
.legend span { display: inline-flex; align-items: center; margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .9rem; height: .9rem; margin-right: .3rem; border-radius: 2px; }
#timeline { overflow-x: auto; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .5rem; }
#timeline g.month { cursor: pointer; outline: none; }
#timeline g.month:hover .hit, #timeline g.month:focus .hit { fill: #eef; }
#timeline g.month.open .hit { fill: #dde4ff; }
.hit { fill: transparent; }
.seg-original, i.original { fill: var(--orig); background: var(--orig); }
.seg-picker, i.picker { fill: var(--picker); background: var(--picker); }
.seg-library, i.library { fill: var(--library); background: var(--library); }
.seg-album { fill: var(--album); }
.seg-hole, i.hole { fill: var(--hole); background: var(--hole); }
.problem, i.problem { fill: var(--hole); background: var(--hole); border-radius: 50%; }
.year { font-size: 11px; fill: #555; } .mo { font-size: 10px; fill: #888; }
.tick { stroke: #999; }
#health dl { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0; }
#health dl div { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .3rem .7rem; }
#health dl div.bad { border-color: var(--hole); color: var(--hole); }
#health dt { font-size: .75rem; color: inherit; } #health dd { margin: 0; font-weight: 600; }
.next li { margin: .25rem 0; } .next code { background: #eee; padding: .1rem .3rem; border-radius: 3px; }
.samples { font-size: .85rem; margin: .3rem 0; }
#albums { display: flex; flex-wrap: wrap; gap: .3rem; max-height: 8rem; overflow-y: auto; }
.chip { border: 1px solid var(--album); color: var(--album); background: #fff; border-radius: 1rem; padding: .15rem .6rem; cursor: pointer; }
.chip.on { background: var(--album); color: #fff; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: .6rem; }
.card { margin: 0; background: #fff; border: 1px solid #ddd; border-radius: 6px; overflow: hidden; font-size: .8rem; }
.card.has-problem { border-color: var(--hole); }
.thumb { text-decoration: none; display: flex; align-items: center; justify-content: center; height: 140px; background: #eee; }
.thumb img { max-width: 100%; max-height: 140px; object-fit: contain; }
.video-icon { font-size: 2.5rem; color: #555; }
figcaption { padding: .3rem .45rem; display: flex; flex-direction: column; gap: .15rem; }
.name { color: #555; word-break: break-all; } .caption { font-style: italic; white-space: pre-wrap; word-break: break-word; }
.badge { display: inline-block; border-radius: 3px; padding: 0 .3rem; margin: 0 .2rem .1rem 0; font-size: .7rem; color: #fff; }
.badge.album { background: var(--album); } .badge.bad { background: var(--hole); }
.badge.q-original { background: var(--orig); } .badge.q-picker { background: var(--picker); } .badge.q-library { background: var(--library); color: #222; }
.more { margin: .8rem 0; }
`;

export interface HtmlOptions {
  /** The archive folder relative to the report's folder ('/'-separated; '' when the same). */
  root: string;
}

/** The page, in pieces to write one after the other. */
export function* renderReportHtml(model: ReportModel, o: HtmlOptions): Generator<string> {
  // Defence in depth: even if some text escaped its escaping, only this exact script may run, nothing may be
  // fetched from a network, and images and videos come from files only.
  const scriptHash = createHash('sha256').update(PAGE_SCRIPT).digest('base64');
  const csp = `default-src 'none'; img-src file: 'self'; media-src file: 'self'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'`;
  yield '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n';
  yield `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">\n`;
  yield '<meta name="viewport" content="width=device-width, initial-scale=1">\n';
  yield `<title>${escapeHtml(`gphotos report: ${model.archive}`)}</title>\n<style>${STYLE}</style></head>\n<body>\n`;
  yield '<header><h1 id="archive"></h1><p id="totals"></p><p id="generated"></p></header>\n';
  yield '<section><h2>Health</h2><div id="health"></div></section>\n';
  yield '<section><h2>Timeline</h2><p class="legend">';
  yield '<span><i class="original"></i>original (Takeout)</span><span><i class="picker"></i>API copy (Picker)</span>';
  yield '<span><i class="library"></i>API copy (Library)</span><span><i class="hole"></i>month without items</span>';
  yield '<span><i class="problem"></i>has missing or changed files</span></p>';
  yield '<div id="timeline"></div><p class="hint">Click a month to see its items.</p></section>\n';
  yield '<section><h2>Albums</h2><div id="albums"></div></section>\n';
  yield '<section id="month"></section>\n';
  yield '<noscript>This report draws its timeline with JavaScript; allow scripts for this file.</noscript>\n';
  yield `<script type="application/json" id="summary">${scriptJson(pageSummary(model, o.root))}</script>\n`;
  const albumIndex = new Map(model.albums.map((a, i) => [a.title, i]));
  for (let i = 0; i < model.months.length; i++) {
    const month = model.months[i]!;
    if (month.count === 0) continue;
    yield `<script type="application/json" id="m${i}">${scriptJson(pageMonth(month, albumIndex))}</script>\n`;
  }
  yield `<script>${PAGE_SCRIPT}</script>\n</body></html>\n`;
}
