// A small, strict XML parser for XMP packets: elements, attributes, text, CDATA, comments, processing instructions,
// the predefined and numeric entities, and namespaces resolved to URIs. No DTDs (a sidecar never needs one, and
// entity expansion is an attack surface). Pure; throws XmlSyntaxError with the offset of the problem.

export interface XmlAttr {
  ns: string;
  local: string;
  value: string;
}

export interface XmlElement {
  ns: string;
  local: string;
  attrs: XmlAttr[];
  children: (XmlElement | string)[];
}

export class XmlSyntaxError extends Error {}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const NAME = /[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*(?::[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string, at: number): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new XmlSyntaxError(`unterminated entity reference near offset ${at}`);
    const named = ENTITIES[name];
    if (named !== undefined) return named;
    const m = /^#(?:x([0-9A-Fa-f]+)|(\d+))$/.exec(name);
    if (m === null) throw new XmlSyntaxError(`unknown entity &${name}; near offset ${at}`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    if (code > 0x10ffff || code === 0) throw new XmlSyntaxError(`bad character reference &${name}; near offset ${at}`);
    return String.fromCodePoint(code);
  });
}

/** Parse one document and return its root element. */
export function parseXml(input: string): XmlElement {
  const text = input.replace(/\r\n?/g, '\n'); // XML end-of-line handling, before any reference is decoded
  let pos = text.startsWith('\uFEFF') ? 1 : 0;
  const fail = (what: string): never => {
    throw new XmlSyntaxError(`${what} at offset ${pos}`);
  };
  const skipMisc = (): void => {
    for (;;) {
      while (pos < text.length && /\s/.test(text[pos] ?? '')) pos++;
      if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos);
        if (end < 0) fail('unterminated processing instruction');
        pos = end + 2;
      } else if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else if (text.startsWith('<!DOCTYPE', pos)) fail('a DOCTYPE is not allowed in an XMP packet');
      else return;
    }
  };
  const name = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (m === null) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };
  const resolve = (qname: string, scope: Map<string, string>, isAttr: boolean): { ns: string; local: string } => {
    const colon = qname.indexOf(':');
    if (colon < 0) return { ns: isAttr ? '' : (scope.get('') ?? ''), local: qname };
    const prefix = qname.slice(0, colon);
    const ns = prefix === 'xml' ? XML_NS : scope.get(prefix);
    if (ns === undefined) return fail(`undeclared namespace prefix "${prefix}"`);
    return { ns, local: qname.slice(colon + 1) };
  };

  const element = (outer: Map<string, string>): XmlElement => {
    pos++; // '<'
    const qname = name();
    const raw: [string, string][] = [];
    for (;;) {
      const ws = pos;
      while (/\s/.test(text[pos] ?? '')) pos++;
      const c = text[pos];
      if (c === '>' || c === '/') break;
      if (pos === ws) fail('expected whitespace before an attribute');
      const an = name();
      while (/\s/.test(text[pos] ?? '')) pos++;
      if (text[pos] !== '=') fail(`expected = after attribute ${an}`);
      pos++;
      while (/\s/.test(text[pos] ?? '')) pos++;
      const q = text[pos];
      if (q !== '"' && q !== "'") return fail('expected a quoted attribute value');
      const end = text.indexOf(q, pos + 1);
      if (end < 0) fail('unterminated attribute value');
      const value = text.slice(pos + 1, end);
      if (value.includes('<')) fail('"<" inside an attribute value');
      raw.push([an, decodeEntities(value.replace(/[\t\n]/g, ' '), pos)]);
      pos = end + 1;
    }
    const scope = new Map(outer);
    for (const [an, v] of raw) {
      if (an === 'xmlns') scope.set('', v);
      else if (an.startsWith('xmlns:')) scope.set(an.slice(6), v);
    }
    const { ns, local } = resolve(qname, scope, false);
    const attrs = raw.filter(([an]) => an !== 'xmlns' && !an.startsWith('xmlns:')).map(([an, value]) => ({ ...resolve(an, scope, true), value }));
    const el: XmlElement = { ns, local, attrs, children: [] };
    if (text[pos] === '/') {
      if (text[pos + 1] !== '>') fail('expected />');
      pos += 2;
      return el;
    }
    pos++; // '>'
    for (;;) {
      const lt = text.indexOf('<', pos);
      if (lt < 0) fail(`element ${qname} is not closed`);
      if (lt > pos) {
        const chunk = text.slice(pos, lt);
        el.children.push(decodeEntities(chunk, pos));
      }
      pos = lt;
      if (text.startsWith('</', pos)) {
        pos += 2;
        if (name() !== qname) fail(`mismatched end tag for ${qname}`);
        while (/\s/.test(text[pos] ?? '')) pos++;
        if (text[pos] !== '>') fail('expected >');
        pos++;
        return el;
      }
      if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos);
        if (end < 0) fail('unterminated CDATA section');
        el.children.push(text.slice(pos + 9, end));
        pos = end + 3;
      } else if (text.startsWith('<!--', pos) || text.startsWith('<?', pos)) {
        const close = text.startsWith('<!--', pos) ? '-->' : '?>';
        const end = text.indexOf(close, pos);
        if (end < 0) fail('unterminated comment');
        pos = end + close.length;
      } else if (text.startsWith('<!', pos)) fail('unexpected markup declaration');
      else el.children.push(element(scope));
    }
  };

  skipMisc();
  if (text[pos] !== '<') fail('expected the root element');
  const root = element(new Map());
  skipMisc();
  if (pos < text.length) fail('content after the root element');
  return root;
}

/** The text content of an element (its direct text and CDATA children). */
export function textOf(el: XmlElement): string {
  return el.children.filter((c): c is string => typeof c === 'string').join('');
}

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}
