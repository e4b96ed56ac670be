// What the manifest knows about an item, as a standard XMP sidecar (see docs/xmp.md for which tool reads what),
// and back. Pure and deterministic: the same item always gives the same bytes, so `verify` can compare them.
import type { ManifestItem, SourceName, SourceRef } from './types.js';
import { childElements, parseXml, textOf, XmlSyntaxError, type XmlElement } from './xml-lite.js';
import {
  decodeText, formatAltitude, formatGpsCoordinate, formatXmpDate, offsetMinutes, parseAltitude, parseGpsCoordinate,
  parseXmpDate, xmlText,
} from './xmp-values.js';

/** The project's namespace: `.invalid` can never resolve or belong to anyone, so the URI stays stable forever. */
export const GPHOTOS_NS = 'https://gphotos.invalid/ns/1.0/';
/** x:xmptk of every packet gphotos writes; a sidecar whose toolkit says otherwise was rewritten by another tool. */
export const XMP_TOOLKIT = 'gphotos xmp 1';

const NS = {
  x: 'adobe:ns:meta/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  exif: 'http://ns.adobe.com/exif/1.0/',
  photoshop: 'http://ns.adobe.com/photoshop/1.0/',
  lr: 'http://ns.adobe.com/lightroom/1.0/',
  Iptc4xmpExt: 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/',
  gphotos: GPHOTOS_NS,
} as const;

/** Favorites get the top rating, which digiKam, darktable and Immich show; other items carry no rating at all. */
export const FAVORITE_RATING = 5;
/** lr:hierarchicalSubject roots for album titles and people's names. */
export const ALBUMS_ROOT = 'Albums|';
export const PEOPLE_ROOT = 'People|';

const SOURCES: readonly SourceName[] = ['library', 'picker', 'takeout'];
const isSource = (s: string): s is SourceName => (SOURCES as readonly string[]).includes(s);

const simple = (name: string, value: string): string => `   <${name}>${xmlText(value)}</${name}>\n`;
const list = (name: string, kind: 'Bag' | 'Seq', values: readonly string[]): string => {
  let lis = '';
  for (const v of values) lis += `<rdf:li>${xmlText(v)}</rdf:li>`;
  return `   <${name}><rdf:${kind}>${lis}</rdf:${kind}></${name}>\n`;
};
const optional = (name: string, value: string | number | undefined): string => (value === undefined ? '' : simple(name, String(value)));

/** Everything before the first property: the same for every packet, so built once. */
const HEAD =
  `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n` +
  `<x:xmpmeta xmlns:x="${NS.x}" x:xmptk="${XMP_TOOLKIT}">\n` +
  ` <rdf:RDF xmlns:rdf="${NS.rdf}">\n` +
  `  <rdf:Description rdf:about=""${Object.entries(NS)
    .filter(([prefix]) => prefix !== 'x' && prefix !== 'rdf')
    .map(([prefix, uri]) => `\n    xmlns:${prefix}="${uri}"`)
    .join('')}>\n`;
const TAIL = `  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>\n`;

function gpsProperties(gps: NonNullable<ManifestItem['gps']>): string {
  let out = simple('exif:GPSLatitude', formatGpsCoordinate(gps.latitude, 'lat')) + simple('exif:GPSLongitude', formatGpsCoordinate(gps.longitude, 'lon'));
  if (gps.altitude !== undefined) {
    const alt = formatAltitude(gps.altitude);
    out += simple('exif:GPSAltitude', alt.rational) + simple('exif:GPSAltitudeRef', alt.ref);
  }
  return out;
}

function keywordProperties(albums: readonly string[], people: readonly string[]): string {
  if (albums.length + people.length === 0) return '';
  const hierarchical = [...albums.map((a) => ALBUMS_ROOT + a), ...people.map((n) => PEOPLE_ROOT + n)];
  return (
    list('dc:subject', 'Bag', [...new Set([...albums, ...people])]) +
    list('lr:hierarchicalSubject', 'Bag', hierarchical) +
    (people.length > 0 ? list('Iptc4xmpExt:PersonInImage', 'Bag', people) : '')
  );
}

/**
 * The sidecar of `item`, as the text of a UTF-8 file: one template, in a fixed property order (verify compares
 * bytes, so this order is part of the format: changing it makes every existing sidecar stale).
 */
export function renderXmp(item: ManifestItem): string {
  // exif:DateTimeOriginal for darktable/digiKam/Immich, photoshop:DateCreated for PhotoPrism (and MWG readers),
  // xmp:CreateDate for the rest; all three the same value, so no reader's precedence can pick a different one.
  const date = xmlText(formatXmpDate(item.localTime, offsetMinutes(item.captureTime, item.localTime)));
  const refs = item.refs.map((ref) => `${ref.source}:${ref.id}`);
  return (
    HEAD +
    `   <exif:DateTimeOriginal>${date}</exif:DateTimeOriginal>\n` +
    `   <photoshop:DateCreated>${date}</photoshop:DateCreated>\n` +
    `   <xmp:CreateDate>${date}</xmp:CreateDate>\n` +
    (item.gps === undefined ? '' : gpsProperties(item.gps)) +
    (item.description === undefined
      ? ''
      : `   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(item.description)}</rdf:li></rdf:Alt></dc:description>\n`) +
    (item.favorite === true ? simple('xmp:Rating', String(FAVORITE_RATING)) : '') +
    keywordProperties(item.albums ?? [], item.people ?? []) +
    // What no standard property holds: enough for `rebuild` to restore the manifest entry exactly.
    simple('gphotos:Key', item.key) +
    list('gphotos:Refs', 'Seq', refs) +
    simple('gphotos:Quality', item.quality) +
    simple('gphotos:Sha256', item.sha256) +
    simple('gphotos:Filename', item.filename) +
    simple('gphotos:MimeType', item.mimeType) +
    simple('gphotos:TimeSource', item.timeSource) +
    simple('gphotos:CaptureTime', item.captureTime) +
    simple('gphotos:LocalTime', item.localTime) +
    optional('gphotos:Width', item.width) +
    optional('gphotos:Height', item.height) +
    simple('gphotos:FetchedAt', item.fetchedAt) +
    (item.archived === true ? simple('gphotos:Archived', 'True') : '') +
    optional('gphotos:EditOf', item.editOf) +
    TAIL
  );
}

/** What a sidecar says about its item: every ManifestItem field except what the disk knows (path, size, mtime). */
export type XmpFields = Partial<Omit<ManifestItem, 'path' | 'size' | 'mtimeStamped'>> & {
  /** x:xmptk: who wrote the packet last */
  toolkit?: string;
};

type Value = { text: string } | { items: string[] } | { alt: string };

/** Properties of every rdf:Description, keyed `namespace-URI local-name` (attributes and elements alike). */
function properties(root: XmlElement): Map<string, Value> {
  const out = new Map<string, Value>();
  const visit = (el: XmlElement): void => {
    if (el.ns === NS.rdf && el.local === 'Description') {
      for (const a of el.attrs) if (a.ns !== NS.rdf && a.ns !== '') out.set(`${a.ns} ${a.local}`, { text: a.value });
      for (const prop of childElements(el)) {
        const container = childElements(prop).find((c) => c.ns === NS.rdf && ['Alt', 'Bag', 'Seq'].includes(c.local));
        const key = `${prop.ns} ${prop.local}`;
        if (container === undefined) {
          if (childElements(prop).length === 0) out.set(key, { text: textOf(prop) });
          continue;
        }
        const lis = childElements(container).filter((li) => li.ns === NS.rdf && li.local === 'li');
        if (container.local === 'Alt') {
          const lang = (li: XmlElement): string | undefined => li.attrs.find((a) => a.local === 'lang')?.value;
          const pick = lis.find((li) => lang(li) === 'x-default') ?? lis[0];
          if (pick !== undefined) out.set(key, { alt: textOf(pick) });
        } else out.set(key, { items: lis.map(textOf) });
      }
    }
    for (const c of childElements(el)) visit(c);
  };
  visit(root);
  return out;
}

/** Parse a sidecar. Fields it does not hold (or holds in a form gphotos does not read) are absent. */
export function parseXmp(text: string): { fields: XmpFields } | { problem: string } {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (e) {
    if (e instanceof XmlSyntaxError) return { problem: `it is not well-formed XML (${e.message})` };
    throw e;
  }
  if (root.ns !== NS.x || root.local !== 'xmpmeta') {
    if (!(root.ns === NS.rdf && root.local === 'RDF')) return { problem: 'its root element is neither x:xmpmeta nor rdf:RDF' };
  }
  const props = properties(root);
  const str = (ns: string, local: string): string | undefined => {
    const v = props.get(`${ns} ${local}`);
    if (v === undefined) return undefined;
    return decodeText('text' in v ? v.text : 'alt' in v ? v.alt : (v.items[0] ?? ''));
  };
  const strs = (ns: string, local: string): string[] | undefined => {
    const v = props.get(`${ns} ${local}`);
    return v === undefined ? undefined : ('items' in v ? v.items : ['text' in v ? v.text : v.alt]).map(decodeText);
  };
  const g = (local: string): string | undefined => str(GPHOTOS_NS, local);
  const f: XmpFields = {};
  const toolkit = root.attrs.find((a) => a.ns === NS.x && a.local === 'xmptk')?.value;
  if (toolkit !== undefined) f.toolkit = toolkit;
  const set = <K extends keyof XmpFields>(k: K, v: XmpFields[K] | undefined): void => {
    if (v !== undefined) f[k] = v;
  };
  set('key', g('Key'));
  const refs: SourceRef[] = [];
  for (const r of strs(GPHOTOS_NS, 'Refs') ?? []) {
    const source = r.slice(0, Math.max(0, r.indexOf(':')));
    if (isSource(source)) refs.push({ source, id: r.slice(source.length + 1) });
  }
  if (props.has(`${GPHOTOS_NS} Refs`) && refs.length === (strs(GPHOTOS_NS, 'Refs') ?? []).length) f.refs = refs;
  const quality = g('Quality');
  if (quality === 'original' || quality === 'api-copy') f.quality = quality;
  set('sha256', g('Sha256'));
  set('filename', g('Filename'));
  set('mimeType', g('MimeType'));
  const ts = g('TimeSource');
  if (ts === 'exif' || ts === 'api') f.timeSource = ts;
  const dated = parseXmpDate(str(NS.exif, 'DateTimeOriginal') ?? str(NS.photoshop, 'DateCreated') ?? '');
  set('captureTime', g('CaptureTime') ?? dated?.captureTime);
  set('localTime', g('LocalTime') ?? dated?.localTime);
  const int = (s: string | undefined): number | undefined => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
  set('width', int(g('Width')));
  set('height', int(g('Height')));
  set('fetchedAt', g('FetchedAt'));
  if (g('Archived') === 'True') f.archived = true;
  set('editOf', g('EditOf'));
  set('description', str(NS.dc, 'description'));
  if (Number(str(NS.xmp, 'Rating')) === FAVORITE_RATING) f.favorite = true;
  const lat = parseGpsCoordinate(str(NS.exif, 'GPSLatitude') ?? '');
  const lon = parseGpsCoordinate(str(NS.exif, 'GPSLongitude') ?? '');
  if (lat !== undefined && lon !== undefined) {
    const alt = parseAltitude(str(NS.exif, 'GPSAltitude') ?? '', str(NS.exif, 'GPSAltitudeRef'));
    f.gps = { latitude: lat, longitude: lon, ...(alt === undefined ? {} : { altitude: alt }) };
  }
  const tagged = strs(NS.lr, 'hierarchicalSubject') ?? [];
  const albums = tagged.filter((t) => t.startsWith(ALBUMS_ROOT)).map((t) => t.slice(ALBUMS_ROOT.length));
  if (albums.length > 0) f.albums = albums;
  const people = strs(NS.Iptc4xmpExt, 'PersonInImage') ?? tagged.filter((t) => t.startsWith(PEOPLE_ROOT)).map((t) => t.slice(PEOPLE_ROOT.length));
  if (people.length > 0) f.people = people;
  return { fields: f };
}
