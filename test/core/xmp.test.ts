import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ManifestItem } from '../../src/core/types.js';
import { parseXmp, renderXmp, type XmpFields } from '../../src/core/xmp.js';
import {
  decodeText, encodeText, formatAltitude, formatGpsCoordinate, formatXmpDate, offsetMinutes, parseAltitude,
  parseGpsCoordinate, parseXmpDate, xmlText,
} from '../../src/core/xmp-values.js';
import { AWKWARD } from '../archive/xmp-fixtures.js';

/** What a sidecar can restore: the item minus what only the disk knows. */
function restorable(m: ManifestItem): XmpFields {
  const { path: _p, size: _s, mtimeStamped: _m, ...rest } = m;
  return rest;
}

function fields(text: string): XmpFields {
  const r = parseXmp(text);
  if ('problem' in r) throw new Error(r.problem);
  const { toolkit: _t, ...f } = r.fields;
  return f;
}

/** XML 1.0 Char production: what a conforming parser accepts. */
const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

describe('renderXmp / parseXmp', () => {
  it.each(AWKWARD.map((m) => [m.key, m] as const))('restores every field of %s exactly', (_k, item) => {
    expect(fields(renderXmp(item))).toEqual(restorable(item));
  });

  it('is deterministic: the same item gives the same bytes whatever the order of its properties', () => {
    const item = AWKWARD[0]!;
    const shuffled = Object.fromEntries(Object.entries(item).reverse()) as unknown as ManifestItem;
    expect(renderXmp(shuffled)).toBe(renderXmp(item));
    expect(renderXmp({ ...item, description: 'other' })).not.toBe(renderXmp(item));
  });

  it('writes the same bytes as every earlier version: verify compares bytes, so a change makes each sidecar stale', () => {
    // SHA-256 of the three awkward items' packets as the writer of 83be7b0 (before the one-template render) wrote them.
    const digests = AWKWARD.map((m) => createHash('sha256').update(renderXmp(m)).digest('hex'));
    expect(digests).toEqual([
      '3d49e617f6fc4b8682f7ee4b7ea4b24bd5be2d21811a46af95f3563f20167bb9',
      'abed0ccde4265d27e54bfcc2b4a784198323c27912fccac5b82302e20acf4ff0',
      'be22f89e51efe78c7c9371701498531ca35d7b433374e271ccc028e57a7232e2',
    ]);
  });

  it('writes only characters XML 1.0 allows, with CR as a reference', () => {
    for (const item of AWKWARD) {
      const x = renderXmp(item);
      expect(x).toMatch(XML_CHARS);
      expect(x).not.toContain('\r');
    }
    expect(renderXmp(AWKWARD[1]!)).toContain('CR&#xD;\nLF');
  });

  it('writes the date with its offset, GPS in DD,MM.mmmK, favorite as rating 5, albums and people as keywords', () => {
    const x = renderXmp(AWKWARD[0]!);
    for (const tag of ['exif:DateTimeOriginal', 'photoshop:DateCreated', 'xmp:CreateDate']) expect(x).toContain(`<${tag}>2021-07-04T15:30:45+05:45</${tag}>`);
    expect(x).toContain('<exif:GPSLatitude>27,43.034718N</exif:GPSLatitude>');
    expect(x).toContain('<exif:GPSAltitude>14005/10</exif:GPSAltitude>');
    expect(x).toContain('<xmp:Rating>5</xmp:Rating>');
    expect(x).toContain('<rdf:li>Albums|Nepal &lt;2021&gt;</rdf:li>');
    expect(x).toContain('<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Zoë O\'Brien</rdf:li>');
    expect(renderXmp(AWKWARD[1]!)).not.toContain('xmp:Rating'); // not a favorite: no rating at all
    expect(renderXmp(AWKWARD[2]!)).toContain('<exif:DateTimeOriginal>2020-01-01T00:00:00+00:00<');
  });

  it('reads a packet another tool re-serialised: attributes, several Descriptions, other prefixes, CRLF', () => {
    const x = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
      '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:g="https://gphotos.invalid/ns/1.0/"',
      '  xmp:Rating="5" g:Key="library:a&amp;b" g:Quality="original" g:Sha256="00"/>',
      '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/">',
      ' <exif:DateTimeOriginal>2019-03-09T11:42:00-03:30</exif:DateTimeOriginal>',
      ' <exif:GPSLatitude>48,51,30.5N</exif:GPSLatitude><exif:GPSLongitude>-2.5</exif:GPSLongitude>',
      ' <dc:description><rdf:Alt><rdf:li xml:lang="de">Hallo</rdf:li><rdf:li xml:lang="x-default"><![CDATA[a <b>]]>\r\nc</rdf:li></rdf:Alt></dc:description>',
      '</rdf:Description></rdf:RDF></x:xmpmeta>',
    ].join('\r\n');
    const { gps, ...rest } = fields(x);
    expect(rest).toEqual({
      key: 'library:a&b', quality: 'original', sha256: '00', favorite: true,
      captureTime: '2019-03-09T15:12:00Z', localTime: '2019-03-09T11:42:00',
      description: 'a <b>\nc',
    });
    expect(gps?.latitude).toBeCloseTo(48 + 51 / 60 + 30.5 / 3600, 12); // seconds: not our form, read to 1e-12
    expect(gps?.longitude).toBe(-2.5);
  });

  it.each([
    ['text', 'hello', 'well-formed'],
    ['a DOCTYPE', '<!DOCTYPE x [<!ENTITY a "b">]><x:xmpmeta xmlns:x="adobe:ns:meta/"/>', 'DOCTYPE'],
    ['an unknown entity', '<x:xmpmeta xmlns:x="adobe:ns:meta/">&nope;</x:xmpmeta>', 'unknown entity'],
    ['an undeclared prefix', '<x:xmpmeta/>', 'undeclared namespace prefix'],
    ['a mismatched tag', '<x:xmpmeta xmlns:x="adobe:ns:meta/"><a></b></x:xmpmeta>', 'mismatched'],
    ['another root', '<html/>', 'root element'],
  ])('says what is wrong with %s', (_what, text, problem) => {
    const r = parseXmp(text);
    expect('problem' in r && r.problem).toContain(problem);
  });
});

describe('XMP text encoding', () => {
  it('restores every UTF-16 code unit XML cannot carry, and the marker characters themselves', () => {
    const all = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('') + '\u2400\u241F\uE000\uE0001234\uFFFE\uFFFF\uD800x\uDFFF';
    expect(decodeText(encodeText(all))).toBe(all);
    expect(encodeText(all)).toMatch(XML_CHARS);
    expect(encodeText('\u0001')).toBe('\u2401'); // legible in other tools
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => decodeText(encodeText(s)) === s && XML_CHARS.test(xmlText(s))));
  });

  it('leaves ordinary text, emoji and whitespace alone', () => {
    const s = 'Zoë \u{1F600} \t\n <&> "q"';
    expect(encodeText(s)).toBe(s);
  });
});

describe('GPS values', () => {
  it.each([
    [-33.8568, 'lat', '33,51.408S'],
    [-70.5, 'lon', '70,30.0W'],
    [48.8583701, 'lat', '48,51.502206N'],
    [0, 'lat', '0,0.0N'],
    [1e-7, 'lat', '0,0.000006N'],
    [180, 'lon', '180,0.0E'],
  ] as const)('%d (%s) -> %s and back to the same number', (v, axis, s) => {
    expect(formatGpsCoordinate(v, axis)).toBe(s);
    expect(parseGpsCoordinate(s)).toBe(v);
  });

  it('round-trips any coordinate to the same double', () => {
    fc.assert(
      fc.property(fc.double({ min: -180, max: 180, noNaN: true }), (v) => Object.is(parseGpsCoordinate(formatGpsCoordinate(v, 'lon')), v === 0 ? 0 : v)),
      { numRuns: 2000 },
    );
  });

  it('reads DD,MM,SSK and signed decimals; refuses the rest', () => {
    expect(parseGpsCoordinate('10,30,36S')).toBe(-10.51);
    expect(parseGpsCoordinate('-122.317')).toBe(-122.317);
    expect(parseGpsCoordinate('north')).toBeUndefined();
  });

  it('writes altitudes as exact rationals with a reference', () => {
    expect(formatAltitude(35.2)).toEqual({ rational: '352/10', ref: '0' });
    expect(formatAltitude(-12.25)).toEqual({ rational: '1225/100', ref: '1' });
    expect(formatAltitude(0)).toEqual({ rational: '0/1', ref: '0' });
    fc.assert(fc.property(fc.double({ min: -1e5, max: 1e5, noNaN: true }), (v) => {
      const a = formatAltitude(v);
      return Object.is(parseAltitude(a.rational, a.ref), v === 0 ? 0 : v);
    }));
    expect(parseAltitude('25/2', undefined)).toBe(12.5);
    expect(parseAltitude('1/0', '0')).toBeUndefined();
  });
});

describe('dates with offsets', () => {
  it.each([
    ['2021-07-04T09:45:45Z', '2021-07-04T15:30:45', 345, '2021-07-04T15:30:45+05:45'],
    ['2019-03-09T15:12:00Z', '2019-03-09T11:42:00', -210, '2019-03-09T11:42:00-03:30'],
    ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00', 0, '2020-01-01T00:00:00+00:00'],
  ])('%s at %s is %s', (utc, local, off, xmp) => {
    expect(offsetMinutes(utc, local)).toBe(off);
    expect(formatXmpDate(local, off)).toBe(xmp);
    expect(parseXmpDate(xmp)).toEqual({ localTime: local, captureTime: utc });
  });

  it('reads Z as UTC (other tools write it)', () => {
    expect(parseXmpDate('2020-01-01T00:00:00.5Z')).toEqual({ localTime: '2020-01-01T00:00:00', captureTime: '2020-01-01T00:00:00Z' });
  });

  it('writes a wall clock without offset when the difference is not a whole minute (no reader can parse seconds)', () => {
    expect(offsetMinutes('2020-01-01T00:00:00Z', '2020-01-01T00:19:32')).toBeUndefined();
    expect(formatXmpDate('2020-01-01T00:19:32', undefined)).toBe('2020-01-01T00:19:32');
    expect(parseXmpDate('2020-01-01T00:19:32')).toBeUndefined();
  });
});
