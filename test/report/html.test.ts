// The page's text: untrusted manifest strings never become markup, month data is split per month, links are relative.
import { describe, expect, it } from 'vitest';
import type { DriftCounts } from '../../src/core/drift.js';
import type { ManifestItem } from '../../src/core/types.js';
import { renderReportHtml } from '../../src/report/html.js';
import { buildReportModel } from '../../src/report/model.js';
import { encodePath, scriptJson, type PageMonth, type PageSummary } from '../../src/report/page-data.js';
import { INJECTION } from './demo-archive.js';

const counts: DriftCounts = {
  items: 2, present: 2, 'remote-new': 0, 'remote-gone': 0, missing: 0, changed: 0, untracked: 0, moved: 0, pending: 0,
  'api-copy': 2, original: 0, remoteChecked: false,
};

function item(path: string, localTime: string, o: Partial<ManifestItem> = {}): ManifestItem {
  return {
    key: `library:${path}`, refs: [{ source: 'library', id: path }], path, size: 1, sha256: '0'.repeat(64), captureTime: `${localTime}Z`,
    localTime, timeSource: 'exif', mimeType: 'image/jpeg', filename: 'f.jpg', quality: 'api-copy', fetchedAt: 'T', mtimeStamped: true, ...o,
  };
}

function page(items: ManifestItem[], archive = '/a', root = '../a'): string {
  const model = buildReportModel({ archive, generatedAt: 'T', items, status: { counts, findings: [] } });
  return [...renderReportHtml(model, { root })].join('');
}

/** The text of each <script> element, with its type and id. */
function scripts(html: string): { type: string | undefined; id: string | undefined; text: string }[] {
  return [...html.matchAll(/<script(?: type="([^"]+)")?(?: id="([^"]+)")?>([\s\S]*?)<\/script>/g)].map((m) => ({ type: m[1], id: m[2], text: m[3]! }));
}

/** A file name may hold anything but '/'. */
const NAME = '<img src=x onerror=alert(2)>"\'&';

describe('renderReportHtml', () => {
  const evil = [
    item(`2024/03/${NAME}.jpg`, '2024-03-02T08:00:00', { description: INJECTION, albums: [INJECTION, 'a<!--b'] }),
    item('2024/05/x.jpg', '2024-05-01T00:00:00', { description: 'line\u2028two' }),
  ];
  const html = page(evil, `/p/${INJECTION}`);

  it('never lets a caption, album, name or archive path close a script or open a tag', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!--');
    expect(html).not.toContain('\u2028');
    // Exactly the summary, one block per month with items, and the page's own script.
    expect(scripts(html).map((s) => s.type ?? s.id ?? 'code')).toEqual(['application/json', 'application/json', 'application/json', 'code']);
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    expect(html).toContain(`<title>gphotos report: /p/&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;</title>`);
  });

  it('gives each month with items its own JSON block that reads back the untrusted strings unchanged', () => {
    const blocks = scripts(html);
    const summary = JSON.parse(blocks[0]!.text) as PageSummary;
    expect(summary.archive).toBe(`/p/${INJECTION}`);
    expect(summary.months.map((m) => [m.m, m.n])).toEqual([['2024-03', 1], ['2024-04', 0], ['2024-05', 1]]);
    expect(summary.holes).toEqual(['2024-04']);
    expect(summary.albums.map((a) => a.t)).toEqual([INJECTION, 'a<!--b']);
    expect(summary.root).toBe('../a/');
    expect(blocks.map((b) => b.id)).toEqual(['summary', 'm0', 'm2', undefined]); // the hole (m1) has no block
    const march = JSON.parse(blocks[1]!.text) as PageMonth;
    expect(march).toEqual({ d: ['2024/03'], i: [[0, `${NAME}.jpg`, '02 08:00', 64, INJECTION, [0, 1]]] });
    expect((JSON.parse(blocks[2]!.text) as PageMonth).i[0]![4]).toBe('line\u2028two');
  });

  it('allows only its own script to run and nothing to be fetched from a network (CSP)', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replaceAll('&#39;', "'");
    expect(csp).toMatch(/^default-src 'none'; img-src file: 'self'; media-src file: 'self'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/=]+'$/);
  });
});

describe('encodePath and scriptJson', () => {
  it.each([
    ['2024/03/IMG 1#?.jpg', '2024/03/IMG%201%23%3F.jpg'],
    ['javascript:alert(1)/x.jpg', 'javascript%3Aalert(1)/x.jpg'],
    ['..', '..'],
    ['', ''],
  ])('encodePath(%j) = %j', (rel, want) => {
    expect(encodePath(rel)).toBe(want);
  });

  it.each([[INJECTION], ['a&b>c'], ['\u2029'], [{ k: ['</SCRIPT >'] }]])('scriptJson(%j) has no < > & and parses back', (v) => {
    const text = scriptJson(v);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(v);
  });
});
