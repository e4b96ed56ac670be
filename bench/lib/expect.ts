// What a client listing `media/all` should see and be able to download, and a content comparison of a
// downloaded folder against the emulator's bytes.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Emulator, EmulatorItem } from '../../src/emulator/api.js';

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Items a search with `filters: {includeArchivedMedia: false}` lists: not archived, not dated in the future. */
export function listedByMediaAll(emulator: Emulator, now = Date.now()): EmulatorItem[] {
  return emulator.items.filter((it) => !(it as EmulatorItem & { archived?: boolean }).archived && Date.parse(it.creationTime) <= now);
}

export function downloadable(it: EmulatorItem): boolean {
  return it.kind === 'photo' || it.videoStatus === 'READY';
}

export async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const rel = relative(root, join(e.parentPath, e.name));
    if (!rel.startsWith('.gphotos')) out.push(rel);
  }
  return out.sort();
}

export interface Comparison {
  expected: number;
  files: number;
  /** expected items whose exact bytes are in some file */
  matched: number;
  /** of those, how the file is named: as listed, as 'stem {ID}.ext', or otherwise (encoded) */
  namedAsListed: number;
  namedWithId: number;
  namedOtherwise: Array<{ filename: string; file: string }>;
  /** expected items whose bytes are nowhere */
  missing: Array<{ id: string; filename: string; kind: string; videoStatus?: string }>;
  /** files whose bytes match no expected item */
  unexpectedFiles: string[];
}

export async function compareFolder(emulator: Emulator, expected: readonly EmulatorItem[], root: string): Promise<Comparison> {
  const files = await filesUnder(root);
  const byHash = new Map<string, string[]>();
  for (const f of files) {
    const h = sha256(await readFile(join(root, f)));
    byHash.set(h, [...(byHash.get(h) ?? []), f]);
  }
  const used = new Set<string>();
  const result: Comparison = { expected: expected.length, files: files.length, matched: 0, namedAsListed: 0, namedWithId: 0, namedOtherwise: [], missing: [], unexpectedFiles: [] };
  for (const it of expected) {
    const h = sha256(emulator.downloadBytes(it.id));
    const hits = byHash.get(h);
    if (!hits || hits.length === 0) {
      result.missing.push({ id: it.id, filename: it.filename, kind: it.kind, ...(it.videoStatus ? { videoStatus: it.videoStatus } : {}) });
      continue;
    }
    result.matched++;
    for (const f of hits) used.add(f);
    const base = hits[0]!.split('/').at(-1)!;
    const dot = it.filename.lastIndexOf('.');
    const withId = dot > 0 ? `${it.filename.slice(0, dot)} {${it.id}}${it.filename.slice(dot)}` : `${it.filename} {${it.id}}`;
    if (base === it.filename) result.namedAsListed++;
    else if (base === withId) result.namedWithId++;
    else result.namedOtherwise.push({ filename: it.filename, file: hits[0]! });
  }
  result.unexpectedFiles = files.filter((f) => !used.has(f));
  return result;
}
