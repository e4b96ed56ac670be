// Layout templates: which folder a capture time lands in ('{yyyy}/{mm}' -> '2019/03').
// A template is data, checked once; the compiled function cannot produce an unsafe path.

import { UsageError } from '../errors.js';
import { isReservedDeviceName } from './names.js';

export const DEFAULT_LAYOUT = '{yyyy}/{mm}';

const TOKENS = ['yyyy', 'mm', 'dd'] as const;
type Token = (typeof TOKENS)[number];
type Part = { token: Token } | { literal: string };

// Literal text is kept to characters that are safe and unambiguous on every file system.
const LITERAL = /^[A-Za-z0-9_-]+$/;
// Top-level names the archive itself uses.
const RESERVED_TOP = new Set(['albums']);

function invalid(template: string, why: string): UsageError {
  return new UsageError(`Invalid layout '${template}': ${why}.`, {
    hint: `Use '/'-separated folders built from {yyyy}, {mm} and {dd} plus letters, digits, '-' and '_', e.g. '${DEFAULT_LAYOUT}', '{yyyy}/{mm}/{dd}' or '{yyyy}/{yyyy}-{mm}'.`,
  });
}

function parseSegment(template: string, segment: string): Part[] {
  const parts: Part[] = [];
  for (const piece of segment.split(/(\{[^{}]*\})/)) {
    if (piece === '') continue;
    if (piece.startsWith('{')) {
      const name = piece.slice(1, -1);
      const token = TOKENS.find((t) => t === name);
      if (token === undefined) throw invalid(template, `unknown token '${piece}' (valid tokens: {yyyy}, {mm}, {dd})`);
      parts.push({ token });
    } else if (LITERAL.test(piece)) {
      parts.push({ literal: piece });
    } else {
      throw invalid(template, `'${piece}' may only hold letters, digits, '-' and '_' outside the tokens {yyyy}, {mm}, {dd}`);
    }
  }
  return parts;
}

function parseTemplate(template: string): Part[][] {
  if (template.trim() === '') throw invalid(template, 'it is empty');
  if (template.includes('\\')) throw invalid(template, "use '/' between folders, not '\\'");
  if (template.startsWith('/') || /^[A-Za-z]:/.test(template)) throw invalid(template, 'it must be relative to the archive');
  const segments = template.split('/');
  return segments.map((segment, i) => {
    if (segment === '') throw invalid(template, 'it has an empty folder name');
    if (segment === '.' || segment === '..') throw invalid(template, `'${segment}' is not allowed`);
    const parts = parseSegment(template, segment);
    if (parts.every((p) => 'literal' in p)) {
      if (isReservedDeviceName(segment)) throw invalid(template, `'${segment}' is a reserved name on Windows`);
      if (i === 0 && RESERVED_TOP.has(segment.toLowerCase())) throw invalid(template, `'${segment}' is where gphotos keeps album views`);
    }
    return parts;
  });
}

const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9] as const;

/** Whether `s` starts with 'DDDD-DD-DDT' (D a digit), the only part of a local time a layout reads. */
function hasLocalDate(s: string): boolean {
  if (s.length < 11 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return false;
  for (const i of DATE_DIGITS) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
/** Compiles a layout once; the result maps a local time ('2019-03-09T21:42:00') to a folder ('2019/03'). */
export function compileLayout(template: string): (localTime: string) => string {
  // Flattened to tokens and literals, '/' between folders being one more literal.
  const parts: Part[] = [];
  parseTemplate(template).forEach((segment, i) => {
    if (i > 0) parts.push({ literal: '/' });
    parts.push(...segment);
  });
  return (localTime) => {
    if (!hasLocalDate(localTime)) throw new RangeError(`not a local time: '${localTime}'`);
    let out = '';
    for (const p of parts) {
      if ('literal' in p) out += p.literal;
      else if (p.token === 'yyyy') out += localTime.slice(0, 4);
      else if (p.token === 'mm') out += localTime.slice(5, 7);
      else out += localTime.slice(8, 10);
    }
    return out;
  };
}

/** Throws UsageError for a bad template; for validating a flag or config value early. */
export function validateLayout(template: string): void {
  parseTemplate(template);
}
