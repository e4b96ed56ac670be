// Google Takeout exports for tests: a list of files written as a folder, a .zip (a small writer of our own,
// so tests can also make hostile and damaged archives no zip library would write) or a .tgz.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { create as tarCreate } from 'tar';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import type { ImportEvent } from '../../src/engine/import-events.js';
import { runImport, type ImportOptions } from '../../src/engine/import-run.js';
import { DEFAULT_LIMITS } from '../../src/sources/takeout/input.js';

export interface FixtureFile {
  path: string;
  data: Uint8Array | string;
}

export const GP = 'Takeout/Google Photos';

export interface SidecarSpec {
  title: string;
  takenSec?: number;
  url?: string;
  description?: string;
  geo?: { latitude: number; longitude: number };
  favorited?: boolean;
  archived?: boolean;
  trashed?: boolean;
  people?: string[];
}

export function sidecarJson(s: SidecarSpec): string {
  const t = (sec: number) => ({ timestamp: String(sec), formatted: new Date(sec * 1000).toUTCString() });
  return JSON.stringify({
    title: s.title,
    description: s.description ?? '',
    imageViews: '3',
    creationTime: t((s.takenSec ?? 1_500_000_000) + 86_400),
    ...(s.takenSec === undefined ? {} : { photoTakenTime: t(s.takenSec) }),
    geoData: { latitude: s.geo?.latitude ?? 0, longitude: s.geo?.longitude ?? 0, altitude: 0, latitudeSpan: 0, longitudeSpan: 0 },
    ...(s.people ? { people: s.people.map((name) => ({ name })) } : {}),
    ...(s.url ? { url: s.url } : {}),
    ...(s.favorited ? { favorited: true } : {}),
    ...(s.archived ? { archived: true } : {}),
    ...(s.trashed ? { trashed: true } : {}),
  });
}

export function albumJson(title: string): string {
  return JSON.stringify({ title, description: '', access: 'protected', date: { timestamp: '1500000000', formatted: '' } });
}

export async function tempDir(prefix = 'gphotos-takeout-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeTree(root: string, files: readonly FixtureFile[]): Promise<void> {
  for (const f of files) {
    await mkdir(dirname(join(root, f.path)), { recursive: true });
    await writeFile(join(root, f.path), f.data);
  }
}

/** A zip with entries written as given (names are not checked: tests need hostile ones). */
export function zipBytes(files: readonly FixtureFile[], o: { deflate?: boolean; lieSize?: Map<string, number> } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const data = typeof f.data === 'string' ? Buffer.from(f.data) : Buffer.from(f.data);
    const name = Buffer.from(f.path, 'utf8');
    const stored = o.deflate === true ? deflateRawSync(data) : data;
    const method = o.deflate === true ? 8 : 0;
    const size = o.lieSize?.get(f.path) ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x5821, 12); // 2024-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4);
    central.writeUInt16LE(20, 6);
    local.copy(central, 8, 6, 30); // flags .. name length are laid out alike
    central.writeUInt16LE(0, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export async function writeZip(file: string, files: readonly FixtureFile[], o: { deflate?: boolean } = {}): Promise<void> {
  await writeFile(file, zipBytes(files, o));
}

export async function writeTgz(file: string, files: readonly FixtureFile[]): Promise<void> {
  const { dir, cleanup } = await tempDir('gphotos-tgz-src-');
  try {
    await writeTree(dir, files);
    const tops = [...new Set(files.map((f) => f.path.split('/')[0] ?? ''))];
    await tarCreate({ gzip: true, file, cwd: dir, portable: true }, tops);
  } finally {
    await cleanup();
  }
}

/** runImport with test defaults (Europe/Rome, links, 4 transfers), collecting its events. */
export async function importInto(archiveDir: string, inputs: string[], over: Partial<ImportOptions> = {}) {
  const events: ImportEvent[] = [];
  const summary = await runImport(
    {
      archiveDir, inputs, dryRun: false, layout: '{yyyy}/{mm}', tz: 'Europe/Rome', setMtime: true, albums: 'links',
      includeTrashed: false, transfers: 4, limits: DEFAULT_LIMITS, ...over,
    },
    { now: () => new Date(), signal: new AbortController().signal, onEvent: (e) => events.push(e) },
  );
  return { summary, events };
}

export async function manifestItems(archiveDir: string) {
  const m = await ManifestStore.open(archiveDir, { readOnly: true });
  try {
    return [...m.items()];
  } finally {
    await m.close();
  }
}

