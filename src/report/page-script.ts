// The report page's script: plain DOM and inline SVG, no library (the page must open from disk with no network,
// and what it draws, stacked bars and a grid, is a few dozen lines; a bundled charting library would be most of
// the file's size). Everything from the manifest reaches the DOM through textContent and setAttribute only, never
// as markup. A month's items are JSON.parse'd from their own block when the month is first opened.
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var S = JSON.parse(document.getElementById('summary').textContent);
  var ORIGINS = ['original', 'picker', 'library'];
  var ORIGIN_LABEL = { original: 'original (Takeout)', picker: 'API copy (Picker)', library: 'API copy (Library)' };
  var PAGE = 240;
  var cache = {};
  var album = -1; // the album filter, -1 = all
  var openMonth = -1;
  var SVGNS = 'http://www.w3.org/2000/svg';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function monthData(i) {
    if (!(i in cache)) {
      var block = document.getElementById('m' + i);
      cache[i] = block ? JSON.parse(block.textContent) : { d: [], i: [] };
    }
    return cache[i];
  }
  function albumCounts() {
    var out = {};
    if (album >= 0) S.albumMonths[album].forEach(function (p) { out[p[0]] = p[1]; });
    return out;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  function drawHeader() {
    var t = S.totals;
    document.getElementById('archive').textContent = S.archive;
    document.getElementById('generated').textContent = 'generated ' + S.generatedAt;
    document.getElementById('totals').textContent = plural(t.items, 'item') + ' (' + plural(t.photos, 'photo') + ', ' +
      plural(t.videos, 'video') + '): ' + plural(t.byOrigin.original, 'original') + ', ' + t.byOrigin.picker + ' Picker and ' +
      t.byOrigin.library + ' Library API copies; ' + plural(S.holes.length, 'month') + ' without items.';
  }

  function drawHealth() {
    var h = S.health;
    var box = document.getElementById('health');
    var rows = [['present', h.present], ['missing', h.missing], ['changed', h.changed], ['moved', h.moved],
      ['untracked', h.untracked], ['API copies with a Takeout original', h.downgraded],
      ['pending videos', h.pendingChecked ? h.pending : 'not checked']];
    var dl = el('dl', 'counts');
    rows.forEach(function (r) {
      var bad = typeof r[1] === 'number' && r[1] > 0 && r[0] !== 'present';
      var div = el('div', bad ? 'bad' : '');
      div.appendChild(el('dt', '', r[0]));
      div.appendChild(el('dd', '', r[1]));
      dl.appendChild(div);
    });
    box.appendChild(dl);
    ['missing', 'changed', 'moved', 'untracked'].forEach(function (k) {
      if (h.samples[k].length === 0) return;
      var d = el('details', 'samples');
      d.appendChild(el('summary', '', k + ': ' + h.samples[k].length + (h[k] > h.samples[k].length ? ' of ' + h[k] : '')));
      var ul = el('ul');
      h.samples[k].forEach(function (p) { ul.appendChild(el('li', '', p)); });
      d.appendChild(ul);
      box.appendChild(d);
    });
    var next = el('ol', 'next');
    if (h.next.length === 0) next.appendChild(el('li', '', 'Nothing to do: every archived file is in place.'));
    h.next.forEach(function (n) {
      var li = el('li');
      li.appendChild(el('code', '', n.command));
      li.appendChild(el('span', '', ' ' + n.why));
      next.appendChild(li);
    });
    box.appendChild(el('h3', '', 'What to run next'));
    box.appendChild(next);
  }

  function drawAlbums() {
    var box = document.getElementById('albums');
    if (S.albums.length === 0) { box.appendChild(el('p', 'none', 'No albums.')); return; }
    var all = el('button', 'chip on', 'all items');
    all.setAttribute('data-album', '-1');
    box.appendChild(all);
    S.albums.forEach(function (a, i) {
      var b = el('button', 'chip', a.t + ' (' + a.n + ')');
      b.setAttribute('data-album', String(i));
      box.appendChild(b);
    });
    box.addEventListener('click', function (ev) {
      var b = ev.target.closest('button[data-album]');
      if (!b) return;
      album = Number(b.getAttribute('data-album'));
      box.querySelectorAll('.chip').forEach(function (c) { c.classList.toggle('on', c === b); });
      drawTimeline();
      if (openMonth >= 0) showMonth(openMonth);
    });
  }

  function drawTimeline() {
    var box = document.getElementById('timeline');
    box.textContent = '';
    // Wide bars for a short span (month labels fit), 14 px each for a long one (the box scrolls).
    var W = Math.max(14, Math.min(48, Math.floor((box.clientWidth - 40) / Math.max(1, S.months.length)))), H = 150, GAP = 2, AXIS = 34;
    var filtered = album >= 0 ? albumCounts() : null;
    var max = 1;
    S.months.forEach(function (m, i) { max = Math.max(max, filtered ? (filtered[i] || 0) : m.n); });
    var width = S.months.length * W + 20;
    var root = svg('svg', { width: width, height: H + AXIS, role: 'list', 'aria-label': 'items per month' });
    S.months.forEach(function (m, i) {
      var x = i * W + (m.m === 'undated' ? 20 : 0);
      var n = filtered ? (filtered[i] || 0) : m.n;
      var hole = m.n === 0 && m.m !== 'undated';
      var g = svg('g', { 'class': 'month' + (hole ? ' hole' : '') + (i === openMonth ? ' open' : ''), 'data-month': m.m,
        'data-count': m.n, 'data-index': i, role: 'listitem', tabindex: 0 });
      var title = svg('title', {});
      title.textContent = m.m + ': ' + (hole ? 'no items (a hole)' : plural(m.n, 'item') + ' (' + m.o[0] + ' original, ' +
        m.o[1] + ' Picker, ' + m.o[2] + ' Library; refs: ' + m.s[0] + ' Takeout, ' + m.s[1] + ' Picker, ' + m.s[2] +
        ' Library' + (m.v ? '; ' + plural(m.v, 'video') : '') + (m.x ? '; ' + m.x + ' with problems' : '') + ')' +
        (filtered ? '; ' + n + ' in the album' : ''));
      g.appendChild(title);
      g.appendChild(svg('rect', { x: x, y: 0, width: W, height: H, 'class': 'hit' }));
      if (hole) g.appendChild(svg('rect', { x: x + 1, y: H - 6, width: W - GAP, height: 6, 'class': 'seg-hole' }));
      var y = H;
      var parts = filtered ? [['album', n]] : ORIGINS.map(function (o, k) { return [o, m.o[k]]; });
      parts.forEach(function (p) {
        if (p[1] === 0) return;
        var h = Math.max(1.5, (p[1] / max) * (H - 4));
        y -= h;
        g.appendChild(svg('rect', { x: x + 1, y: y, width: W - GAP, height: h, 'class': 'seg seg-' + p[0] }));
      });
      if (m.x > 0) g.appendChild(svg('circle', { cx: x + W / 2, cy: Math.max(4, y - 5), r: 2.5, 'class': 'problem' }));
      var mo = m.m.slice(5, 7);
      if (W >= 28 && m.m !== 'undated') {
        var ml = svg('text', { x: x + 2, y: H + 28, 'class': 'mo' });
        ml.textContent = mo;
        root.appendChild(ml);
      }
      if (mo === '01' || i === 0 || m.m === 'undated') {
        var label = svg('text', { x: x + 1, y: H + 14, 'class': 'year' });
        label.textContent = m.m === 'undated' ? 'undated' : m.m.slice(0, 4);
        root.appendChild(label);
        root.appendChild(svg('line', { x1: x, x2: x, y1: H, y2: H + 4, 'class': 'tick' }));
      }
      root.appendChild(g);
    });
    box.appendChild(root);
  }

  function itemHref(d, it) { return S.root + d.d[it[0]] + (d.d[it[0]] === '' ? '' : '/') + encodeURIComponent(it[1]); }

  function card(d, it, monthKey) {
    var f = it[3];
    var href = itemHref(d, it);
    var c = el('figure', 'card' + (f & 28 ? ' has-problem' : ''));
    var a = el('a', 'thumb');
    a.setAttribute('href', href);
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener');
    if (f & 1) {
      a.appendChild(el('span', 'video-icon', '\u25B6'));
      a.setAttribute('aria-label', 'video ' + it[1]);
    } else {
      var img = el('img');
      img.setAttribute('loading', 'lazy');
      img.setAttribute('decoding', 'async');
      img.setAttribute('alt', it[1]);
      img.setAttribute('src', href);
      a.appendChild(img);
    }
    c.appendChild(a);
    var cap = el('figcaption');
    var day = monthKey === 'undated' ? '' : monthKey + '-';
    cap.appendChild(el('div', 'date', day + it[2] + (f & 2 ? ' \u2605' : '')));
    cap.appendChild(el('div', 'name', it[1]));
    if (it[4]) cap.appendChild(el('div', 'caption', it[4]));
    var badges = el('div', 'badges');
    var origin = ORIGINS[f >> 5] || 'library';
    badges.appendChild(el('span', 'badge q-' + origin, ORIGIN_LABEL[origin]));
    if (f & 4) badges.appendChild(el('span', 'badge bad', 'missing'));
    if (f & 8) badges.appendChild(el('span', 'badge bad', 'changed'));
    if (f & 16) badges.appendChild(el('span', 'badge bad', 'moved'));
    (it[5] || []).forEach(function (ai) { badges.appendChild(el('span', 'badge album', S.albums[ai].t)); });
    cap.appendChild(badges);
    var open = el('a', 'open', 'open file');
    open.setAttribute('href', href);
    open.setAttribute('target', '_blank');
    open.setAttribute('rel', 'noopener');
    cap.appendChild(open);
    c.appendChild(cap);
    return c;
  }

  function showMonth(i) {
    openMonth = i;
    var m = S.months[i];
    var d = monthData(i);
    var items = album >= 0 ? d.i.filter(function (it) { return (it[5] || []).indexOf(album) >= 0; }) : d.i;
    var panel = document.getElementById('month');
    panel.textContent = '';
    panel.appendChild(el('h2', '', m.m === 'undated' ? 'Undated items (unknown-date/)' : m.m));
    panel.appendChild(el('p', 'month-summary', m.n === 0 ? 'No items this month.' : plural(m.n, 'item') + ': ' + plural(m.o[0], 'original') +
      ', ' + m.o[1] + ' Picker and ' + m.o[2] + ' Library API copies' + (m.v ? ', ' + plural(m.v, 'video') : '') +
      (album >= 0 ? '; ' + items.length + ' in ' + S.albums[album].t : '') + '.'));
    var grid = el('div', 'grid');
    panel.appendChild(grid);
    var shown = 0;
    var more = el('button', 'more');
    function page() {
      var end = Math.min(items.length, shown + PAGE);
      var frag = document.createDocumentFragment();
      for (; shown < end; shown++) frag.appendChild(card(d, items[shown], m.m));
      grid.appendChild(frag);
      more.textContent = 'Show ' + Math.min(PAGE, items.length - shown) + ' more of ' + (items.length - shown);
      more.hidden = shown >= items.length;
    }
    more.addEventListener('click', page);
    panel.appendChild(more);
    page();
    document.querySelectorAll('#timeline g.month').forEach(function (g) {
      g.classList.toggle('open', Number(g.getAttribute('data-index')) === i);
    });
  }

  function pick(ev) {
    var g = ev.target.closest && ev.target.closest('g.month');
    if (g) showMonth(Number(g.getAttribute('data-index')));
  }
  var tl = document.getElementById('timeline');
  tl.addEventListener('click', pick);
  tl.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(ev); } });

  drawHeader();
  drawHealth();
  drawAlbums();
  drawTimeline();
  document.body.setAttribute('data-ready', '1');
})();
`;
