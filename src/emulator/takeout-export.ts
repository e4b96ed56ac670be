// writeTakeoutExport(): the emulator's library as Google Takeout would export it (reference §4): originals with
// sidecars and album folders, as a folder or split into .zip/.tgz parts of at most maxPartBytes each, named
// takeout-<export time>-001.zip, -002.zip… A file is never split, so a media file and its sidecar may land in
// different parts, as in real exports. Same library and options, same bytes.
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Emulator } from './api.js';
import type { Library } from './library-data.js';
import type { SidecarStyle } from './takeout-names.js';
import { takeoutLayout } from './takeout-layout.js';
import type { TakeoutEntry } from './takeout-layout.js';
import { stagePart, tarPartCost, writeTgzPart } from './takeout-tgz.js';
import { ZIP_FIXED_COST, ZIP_MAX_BYTES, ZipEncoder, dosDateTime, zipEntryCost } from './takeout-zip.js';

export type TakeoutFormat = 'zip' | 'tgz' | 'dir';

/** A bad export option or a folder that already holds an export. The emulator imports nothing from the product,
 * so the CLI turns this into its usage error. */
export class TakeoutExportError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'TakeoutExportError';
  }
}
export const TAKEOUT_FORMATS: readonly TakeoutFormat[] = ['zip', 'tgz', 'dir'];
export const SIDECAR_STYLES: readonly (SidecarStyle | 'mixed')[] = ['legacy', 'supplemental', 'mixed'];

export interface TakeoutExportOptions {
  outDir: string;
  format: TakeoutFormat;
  /** Largest part, in bytes (zip: the file; tgz: the tar stream before gzip). Default 2 GB, Takeout's default. */
  maxPartBytes?: number;
  /** Sidecar generation: 'NAME.json' (legacy), 'NAME.supplemental-metadata.json' (2024+), or both, per item. Default 'supplemental'. */
  sidecarStyle?: SidecarStyle | 'mixed';
  /** Trashed items to add in a Trash folder (the Library API never lists them). Default 0. */
  trashed?: number;
  /** When the export was made (part names, upper bound of upload times). Default 2026-01-01T00:00:00Z. */
  exportTime?: Date;
}

export interface TakeoutExportResult {
  /** What to give `gphotos import`: the part files, or the Takeout folder for format 'dir'. */
  files: string[];
  /** Media items exported, each counted once (album copies not counted), trashed ones included. */
  items: number;
  /** Of those, trashed. */
  trashed: number;
}

const DEFAULT_PART_BYTES = 2_000_000_000;
const DEFAULT_EXPORT_TIME = new Date(Date.UTC(2026, 0, 1));

function checkOptions(o: TakeoutExportOptions): Required<Omit<TakeoutExportOptions, 'outDir'>> {
  const maxPartBytes = o.maxPartBytes ?? DEFAULT_PART_BYTES;
  if (!TAKEOUT_FORMATS.includes(o.format)) throw new TakeoutExportError(`Unknown Takeout format "${String(o.format)}": use zip, tgz or dir.`);
  if (!Number.isSafeInteger(maxPartBytes) || maxPartBytes < 1024 || (o.format === 'zip' && maxPartBytes > ZIP_MAX_BYTES)) {
    throw new TakeoutExportError(`A Takeout part size of ${String(maxPartBytes)} bytes is out of range: give 1024 bytes to ${ZIP_MAX_BYTES} bytes (4 GiB; zip parts have no ZIP64).`);
  }
  const sidecarStyle = o.sidecarStyle ?? 'supplemental';
  if (!SIDECAR_STYLES.includes(sidecarStyle)) throw new TakeoutExportError(`Unknown sidecar style "${String(sidecarStyle)}": use legacy, supplemental or mixed.`);
  const trashed = o.trashed ?? 0;
  if (!Number.isSafeInteger(trashed) || trashed < 0 || trashed > 10_000) throw new TakeoutExportError(`Trashed item count ${String(trashed)} is out of range: give 0 to 10000.`);
  const exportTime = o.exportTime ?? DEFAULT_EXPORT_TIME;
  if (Number.isNaN(exportTime.getTime())) throw new TakeoutExportError('The Takeout export time is not a valid date.');
  return { format: o.format, maxPartBytes, sidecarStyle, trashed, exportTime };
}

/** 'takeout-20260101T000000Z-' as Takeout names its parts. */
function partPrefix(at: Date): string {
  return `takeout-${at.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z-`;
}

/** Entries grouped into parts: a new part starts when the next entry would push this one past the limit. */
function* parts(entries: readonly TakeoutEntry[], cost: (e: TakeoutEntry, data: Buffer) => number, fixed: number, max: number): Generator<{ entry: TakeoutEntry; data: Buffer; newPart: boolean }> {
  let size = fixed;
  let count = 0;
  for (const entry of entries) {
    const data = entry.data();
    const c = cost(entry, data);
    const newPart = count > 0 && size + c > max;
    if (newPart) {
      size = fixed;
      count = 0;
    }
    size += c;
    count++;
    yield { entry, data, newPart };
  }
}

async function writeZipParts(entries: readonly TakeoutEntry[], partial: (n: number) => string, max: number, at: Date): Promise<number> {
  let n = 1;
  let handle = await open(partial(n), 'wx');
  let zip = new ZipEncoder(dosDateTime(at));
  try {
    // JSON and HTML are deflated; JPEG and MP4 are stored (deflate would not shrink them).
    const deflate = (e: TakeoutEntry): boolean => e.kind !== 'media';
    const cost = (e: TakeoutEntry, data: Buffer): number => zipEntryCost(e.path, deflate(e) ? ZipEncoder.body({ name: e.path, data, deflate: true }).stored.length : data.length);
    for (const { entry, data, newPart } of parts(entries, cost, ZIP_FIXED_COST, max)) {
      if (newPart) {
        await handle.writev([zip.finish()]);
        await handle.close();
        handle = await open(partial(++n), 'wx');
        zip = new ZipEncoder(dosDateTime(at));
      }
      await handle.writev(zip.add({ name: entry.path, data, deflate: deflate(entry) }));
    }
    await handle.writev([zip.finish()]);
  } finally {
    await handle.close();
  }
  return n;
}

async function writeTgzParts(entries: readonly TakeoutEntry[], partial: (n: number) => string, staging: string, max: number, at: Date): Promise<number> {
  let n = 0;
  let part: { entry: TakeoutEntry; data: Buffer }[] = [];
  const flush = async (): Promise<void> => {
    n++;
    await writeTgzPart(partial(n), join(staging, `part-${n}`), part, at);
    part = [];
  };
  for (const { entry, data, newPart } of parts(entries, (e, d) => tarPartCost(e.path, d.length), tarPartCost(), max)) {
    if (newPart) await flush();
    part.push({ entry, data });
  }
  await flush();
  return n;
}

/** Writes the export; refuses to overwrite anything already in outDir. */
export async function writeTakeoutExport(source: Emulator | Library, options: TakeoutExportOptions): Promise<TakeoutExportResult> {
  const o = checkOptions(options);
  const library = 'albums' in source ? source : source.library;
  const layout = takeoutLayout(library, { sidecarStyle: o.sidecarStyle, trashed: o.trashed, exportSec: Math.floor(o.exportTime.getTime() / 1000) });
  const outDir = options.outDir;
  await mkdir(outDir, { recursive: true });
  const prefix = partPrefix(o.exportTime);
  const existing = (await readdir(outDir)).filter((f) => (o.format === 'dir' ? f === 'Takeout' : f.startsWith(prefix)));
  if (existing.length > 0) {
    throw new TakeoutExportError(`${join(outDir, existing[0] ?? '')} already exists: a Takeout export never overwrites files.`, 'Choose another --takeout-out folder or remove the old export first.');
  }
  const staging = join(outDir, `.takeout-staging-${process.pid}`);
  const ext = o.format === 'tgz' ? 'tgz' : 'zip';
  const partial = (n: number): string => join(staging, `${prefix}${String(n).padStart(3, '0')}.${ext}`);
  await mkdir(staging);
  try {
    let files: string[];
    if (o.format === 'dir') {
      await stagePart(staging, layout.entries.map((entry) => ({ entry, data: entry.data() })));
      files = [join(outDir, 'Takeout')];
      await rename(join(staging, 'Takeout'), files[0] ?? '');
    } else {
      const count = o.format === 'zip'
        ? await writeZipParts(layout.entries, partial, o.maxPartBytes, o.exportTime)
        : await writeTgzParts(layout.entries, partial, staging, o.maxPartBytes, o.exportTime);
      files = [];
      // Parts reach their final names only once every one is complete.
      for (let n = 1; n <= count; n++) {
        const final = join(outDir, `${prefix}${String(n).padStart(3, '0')}.${ext}`);
        await rename(partial(n), final);
        files.push(final);
      }
    }
    return { files, items: layout.items.length, trashed: layout.trashed.length };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
