// The on-disk shapes of .gphotos/manifest.json and .gphotos/manifest.journal, and their validation.
// Both files are parsed from disk (a user may edit or damage them), so nothing is trusted unchecked.
import { createHash } from 'node:crypto';
import type { ManifestItem } from '../core/types.js';
import { LocalError } from '../errors.js';
import { relPathProblem } from './paths.js';

/**
 * 2: manifest.json carries a "checksum" member and journal lines are framed with a checksum and a sequence
 * number (journal-format.ts). Schema 1 files (no checksums) still open; the next compaction rewrites them as 2.
 */
export const SCHEMA = 2;
export const LEGACY_SCHEMA = 1;

export interface SourceMeta {
  lastListedAt?: string;
  lastListedCount?: number;
}

export interface ManifestFile {
  schema: number;
  createdAt: string;
  items: Record<string, ManifestItem>;
  sources: Record<string, SourceMeta>;
  /** Schema 2: manifestChecksum() of the rest, so a bit flip that keeps the JSON valid is still detected. */
  checksum?: string;
}

/**
 * The checksum of a manifest's content, over its canonical JSON (what gphotos writes) in a fixed order:
 * createdAt, each `"key":item` in file order, sources. The first 16 hex digits of SHA-256, as journal lines use.
 */
export class ManifestChecksum {
  private readonly hash = createHash('sha256');
  constructor(createdAt: string) {
    this.hash.update(JSON.stringify(createdAt) + '\n');
  }
  /** `member` is the item's `"key":{...}` exactly as written (JSON.stringify of each). */
  item(member: string | Uint8Array): void {
    this.hash.update(member);
    this.hash.update('\n');
  }
  digest(sourcesJson: string | Uint8Array): string {
    this.hash.update(sourcesJson);
    return this.hash.digest('hex').slice(0, 16);
  }
}

export function manifestChecksum(data: Pick<ManifestFile, 'createdAt' | 'items' | 'sources'>): string {
  const sum = new ManifestChecksum(data.createdAt);
  for (const key of Object.keys(data.items)) sum.item(`${JSON.stringify(key)}:${JSON.stringify(data.items[key])}`);
  return sum.digest(JSON.stringify(data.sources));
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
  if (data.schema !== SCHEMA && data.schema !== LEGACY_SCHEMA) throw corruptError(file, archiveDir, 'it has no valid "schema" field');
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
  const checked = data as unknown as ManifestFile;
  if (data.schema === LEGACY_SCHEMA) {
    // A schema 1 file never had a checksum: one here means the schema digit itself was damaged.
    if (data.checksum !== undefined) throw corruptError(file, archiveDir, 'it has a "checksum" but says schema 1');
  } else if (typeof data.checksum !== 'string') {
    throw corruptError(file, archiveDir, 'it has no "checksum"');
  } else if (manifestChecksum(checked) !== data.checksum) {
    throw corruptError(file, archiveDir, 'its checksum does not match its content (changed on disk since gphotos wrote it)');
  }
  return checked;
}
