// Google Takeout exports for tests: a list of files written as a folder, a .zip (a small writer of our own,
// so tests can also make hostile and damaged archives no zip library would write) or a .tgz.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create as tarCreate } from 'tar';
import { zipBuffer } from '../../src/emulator/takeout-zip.js';
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
  return zipBuffer(files.map((f) => {
    const declaredSize = o.lieSize?.get(f.path);
    return { name: f.path, data: typeof f.data === 'string' ? Buffer.from(f.data) : f.data, deflate: o.deflate === true, ...(declaredSize === undefined ? {} : { declaredSize }) };
  }));
}

export async function writeZip(file: string, files: readonly FixtureFile[], o: { deflate?: boolean } = {}): Promise<void> {
  await writeFile(file, zipBytes(files, o));
}

/** A .tgz whose entries come in the order given (a tar is read in that order). */
export async function writeTgz(file: string, files: readonly FixtureFile[]): Promise<void> {
  const { dir, cleanup } = await tempDir('gphotos-tgz-src-');
  try {
    await writeTree(dir, files);
    await tarCreate({ gzip: true, file, cwd: dir, portable: true, noDirRecurse: true }, files.map((f) => f.path));
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

