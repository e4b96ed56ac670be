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

export function metaProblem(x: unknown): string | undefined {
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
