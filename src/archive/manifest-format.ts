// The on-disk shapes of .gphotos/manifest.json and .gphotos/manifest.journal, and their validation.
// Both files are parsed from disk (a user may edit or damage them), so nothing is trusted unchecked.
import type { ManifestItem } from '../core/types.js';
import { LocalError } from '../errors.js';
import { relPathProblem } from './paths.js';

export const SCHEMA = 1;

export interface SourceMeta {
  lastListedAt?: string;
  lastListedCount?: number;
}

export interface ManifestFile {
  schema: number;
  createdAt: string;
  items: Record<string, ManifestItem>;
  sources: Record<string, SourceMeta>;
}

export type JournalOp =
  | { op: 'put'; item: ManifestItem }
  | { op: 'del'; key: string }
  | { op: 'meta'; source: string; meta: SourceMeta };

export function corruptError(file: string, archiveDir: string, detail: string, cause?: unknown): LocalError {
  return new LocalError(`${file} is damaged: ${detail}.`, {
    path: file,
    hint: `Run \`gphotos rebuild ${archiveDir}\` to rebuild the manifest from the files on disk; the damaged file is kept as it is.`,
    ...(cause === undefined ? {} : { cause }),
  });
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Why `x` is not a ManifestItem (cheap structural check of the fields the indexes and planner rely on). */
export function itemProblem(x: unknown): string | undefined {
  if (!isObject(x)) return 'not an object';
  if (typeof x.key !== 'string' || x.key === '') return 'no key';
  if (typeof x.path !== 'string') return `item ${x.key} has no path`;
  const bad = relPathProblem(x.path);
  if (bad !== undefined) return `item ${x.key} has path ${JSON.stringify(x.path)} that ${bad}`;
  if (typeof x.size !== 'number' || !Number.isSafeInteger(x.size) || x.size < 0) return `item ${x.key} has a bad size`;
  if (typeof x.sha256 !== 'string') return `item ${x.key} has no sha256`;
  if (!Array.isArray(x.refs)) return `item ${x.key} has no refs`;
  for (const r of x.refs as unknown[]) {
    if (!isObject(r) || typeof r.source !== 'string' || typeof r.id !== 'string') return `item ${x.key} has a bad ref`;
  }
  return undefined;
}

function metaProblem(x: unknown): string | undefined {
  if (!isObject(x)) return 'source meta is not an object';
  if (x.lastListedAt !== undefined && typeof x.lastListedAt !== 'string') return 'lastListedAt is not a string';
  if (x.lastListedCount !== undefined && typeof x.lastListedCount !== 'number') return 'lastListedCount is not a number';
  return undefined;
}

/** Parse manifest.json text; throws LocalError (corrupt / too new). */
export function parseManifestFile(text: string, file: string, archiveDir: string): ManifestFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw corruptError(file, archiveDir, 'it is not valid JSON', e);
  }
  return checkManifest(data, file, archiveDir);
}

/**
 * parseManifestFile for the file's bytes, without ever holding the whole text as one string: at 100k items
 * that is ~60 MB of string beside its ~60 MB Buffer, the peak memory of opening a big archive. The two outer
 * levels are split here and each item is JSON.parse'd on its own; anything unexpected (invalid JSON, a
 * `__proto__` key, ...) falls back to parseManifestFile, so results and errors are exactly the same.
 */
export function parseManifestBuffer(buf: Buffer, file: string, archiveDir: string): ManifestFile {
  let data: unknown;
  try {
    data = splitParse(buf);
  } catch {
    data = undefined;
  }
  if (data === undefined) return parseManifestFile(buf.toString('utf8'), file, archiveDir);
  return checkManifest(data, file, archiveDir);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWs(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Index just past the string that starts (with its quote) at `i`. */
function stringEnd(buf: Buffer, i: number): number {
  for (let j = i + 1; j < buf.length; j++) {
    const b = buf[j];
    if (b === BACKSLASH) j++;
    else if (b === QUOTE) return j + 1;
  }
  throw new SyntaxError('unterminated string');
}

/** Index just past the JSON value that starts at `i` (only delimited, not validated: JSON.parse does that). */
function valueEnd(buf: Buffer, i: number): number {
  const first = buf[i];
  if (first === QUOTE) return stringEnd(buf, i);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    for (let j = i; j < buf.length; j++) {
      const b = buf[j];
      if (b === QUOTE) j = stringEnd(buf, j) - 1;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new SyntaxError('unterminated value');
  }
  let j = i;
  while (j < buf.length && buf[j] !== 0x2c && buf[j] !== 0x7d && buf[j] !== 0x5d && !isWs(buf[j])) j++;
  return j;
}

function skipWs(buf: Buffer, i: number): number {
  while (isWs(buf[i])) i++;
  return i;
}

/** Calls `member(key, start, end)` for each member of the object at `i`; returns the index past it. */
function eachMember(buf: Buffer, i: number, member: (key: string, start: number, end: number) => void): number {
  if (buf[i] !== 0x7b) throw new SyntaxError('not an object');
  i = skipWs(buf, i + 1);
  if (buf[i] === 0x7d) return i + 1;
  for (;;) {
    if (buf[i] !== QUOTE) throw new SyntaxError('expected a key');
    const keyEnd = stringEnd(buf, i);
    const key = JSON.parse(buf.toString('utf8', i, keyEnd)) as string;
    // An own "__proto__" needs JSON.parse's semantics: leave such files to it.
    if (key === '__proto__') throw new SyntaxError('__proto__ key');
    i = skipWs(buf, keyEnd);
    if (buf[i] !== 0x3a) throw new SyntaxError('expected a colon');
    const start = skipWs(buf, i + 1);
    const end = valueEnd(buf, start);
    if (end === start) throw new SyntaxError('expected a value');
    member(key, start, end);
    i = skipWs(buf, end);
    if (buf[i] === 0x7d) return i + 1;
    if (buf[i] !== 0x2c) throw new SyntaxError('expected a comma');
    i = skipWs(buf, i + 1);
  }
}

/** JSON.parse(buf) for a top-level object, parsing each member of its "items" object separately. */
function splitParse(buf: Buffer): unknown {
  const top: Record<string, unknown> = {};
  const end = eachMember(buf, skipWs(buf, 0), (key, start, stop) => {
    if (key === 'items' && buf[start] === 0x7b) {
      const items: Record<string, unknown> = {};
      eachMember(buf, start, (k, s, e) => {
        items[k] = JSON.parse(buf.toString('utf8', s, e));
      });
      top[key] = items;
    } else {
      top[key] = JSON.parse(buf.toString('utf8', start, stop));
    }
  });
  if (skipWs(buf, end) !== buf.length) throw new SyntaxError('trailing content');
  return top;
}

function checkManifest(data: unknown, file: string, archiveDir: string): ManifestFile {
  if (!isObject(data)) throw corruptError(file, archiveDir, 'it is not a JSON object');
  if (typeof data.schema === 'number' && data.schema > SCHEMA) {
    throw new LocalError(`${file} has manifest schema ${data.schema}; this gphotos understands schema ${SCHEMA} only.`, {
      path: file,
      hint: 'A newer gphotos wrote this archive: upgrade gphotos (npm i -g gphotos@latest).',
    });
  }
  if (data.schema !== SCHEMA) throw corruptError(file, archiveDir, 'it has no valid "schema" field');
  if (typeof data.createdAt !== 'string') throw corruptError(file, archiveDir, 'it has no "createdAt"');
  if (!isObject(data.items)) throw corruptError(file, archiveDir, 'it has no "items" object');
  if (!isObject(data.sources)) throw corruptError(file, archiveDir, 'it has no "sources" object');
  const items = data.items;
  for (const key of Object.keys(items)) {
    const item = items[key];
    const p = itemProblem(item);
    if (p !== undefined) throw corruptError(file, archiveDir, `items[${JSON.stringify(key)}]: ${p}`);
    if ((item as ManifestItem).key !== key) throw corruptError(file, archiveDir, `items[${JSON.stringify(key)}] holds key ${(item as ManifestItem).key}`);
  }
  for (const [source, meta] of Object.entries(data.sources)) {
    const p = metaProblem(meta);
    if (p !== undefined) throw corruptError(file, archiveDir, `sources[${JSON.stringify(source)}]: ${p}`);
  }
  return data as unknown as ManifestFile;
}

function opProblem(x: unknown): string | undefined {
  if (!isObject(x)) return 'not an object';
  switch (x.op) {
    case 'put':
      return itemProblem(x.item);
    case 'del':
      return typeof x.key === 'string' ? undefined : 'del without key';
    case 'meta':
      return typeof x.source === 'string' ? metaProblem(x.meta) : 'meta without source';
    default:
      return `unknown op ${JSON.stringify(x.op)}`;
  }
}

export interface ParsedJournal {
  ops: JournalOp[];
  /** Bytes up to the end of the last valid line; anything after is a torn write from a crash. */
  validBytes: number;
  /** Bytes dropped after validBytes (0 when the journal ended cleanly). */
  tornBytes: number;
}

/**
 * Parse the journal. Appends are acknowledged only after fdatasync, so a crash can damage only the lines
 * after the last acknowledged one: invalid content after the last valid line is a torn tail (dropped);
 * an invalid line followed by a valid one cannot come from a crash and is corruption.
 */
export function parseJournal(buf: Buffer, file: string, archiveDir: string): ParsedJournal {
  const ops: JournalOp[] = [];
  let validBytes = 0;
  let firstBad: { line: number; problem: string } | undefined;
  let pos = 0;
  let lineNo = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    const end = nl === -1 ? buf.length : nl;
    lineNo++;
    // A line without its newline was never acknowledged (the newline is written in the same write).
    let problem: string | undefined = nl === -1 ? 'unterminated line' : undefined;
    let parsed: unknown;
    if (problem === undefined) {
      try {
        parsed = JSON.parse(buf.toString('utf8', pos, end));
      } catch {
        problem = 'not valid JSON';
      }
      if (problem === undefined) problem = opProblem(parsed);
      if (isObject(parsed) && typeof parsed.op === 'string' && !['put', 'del', 'meta'].includes(parsed.op)) {
        throw new LocalError(`${file} line ${lineNo} has journal op ${JSON.stringify(parsed.op)}, unknown to this gphotos.`, {
          path: file,
          hint: 'A newer gphotos wrote this archive: upgrade gphotos (npm i -g gphotos@latest).',
        });
      }
    }
    if (problem === undefined) {
      if (firstBad !== undefined) {
        throw corruptError(file, archiveDir, `line ${firstBad.line} is invalid (${firstBad.problem}) but later lines are valid`);
      }
      ops.push(parsed as JournalOp);
      validBytes = end + 1;
    } else if (firstBad === undefined) {
      firstBad = { line: lineNo, problem };
    }
    pos = end + 1;
  }
  return { ops, validBytes, tornBytes: buf.length - validBytes };
}
