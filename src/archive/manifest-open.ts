// What ManifestStore.open() reads from disk, and the repairs it makes first: manifest.json (streamed by
// manifest-reader.ts) and the journal, read as one consistent pair; for a writer, the journal opened for append
// with a torn last line cut off.
import type { FileHandle } from 'node:fs/promises';
import { lstat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LocalError, isGphotosError } from '../errors.js';
import { fsyncDir, pathExists } from './durable-file.js';
import type { ParsedJournal } from './journal-format.js';
import { parseJournal } from './journal-format.js';
import { LEGACY_SCHEMA, corruptError } from './manifest-format.js';
import type { ManifestContents } from './manifest-reader.js';
import { readManifest } from './manifest-reader.js';
import { STATE_DIR, openForAppend, readRegularFile, stateDir, writeFailed } from './state-files.js';

export interface ManifestPaths {
  dir: string;
  manifest: string;
  journal: string;
}

export function manifestPaths(archiveDir: string): ManifestPaths {
  const dir = join(resolve(archiveDir), STATE_DIR);
  return { dir, manifest: join(dir, 'manifest.json'), journal: join(dir, 'manifest.journal') };
}

/** What open() found on disk. */
export interface OnDisk {
  /** manifest.json; null when a writer found none (and `writeFresh` made an empty one). */
  existing: ManifestContents | null;
  journal: ParsedJournal;
  /** The journal opened for append; undefined when read-only. */
  handle: FileHandle | undefined;
}

/**
 * Read the manifest of `dir`. A writer's journal is opened for append, its torn tail cut; `writeFresh` is called
 * when `create` is set and there is no manifest.json yet. Every failure is a LocalError saying what to fix.
 */
export async function readOnDisk(dir: string, paths: ManifestPaths, mode: { readOnly: boolean; create: boolean }, writeFresh: () => Promise<void>): Promise<OnDisk> {
  let handle: FileHandle | undefined;
  try {
    // Before anything is read or written in it: .gphotos must be a real folder, not a link to elsewhere.
    if ((await stateDir(dir, mode.create)) === undefined) throw notAnArchive(dir, paths.manifest);
    if (mode.readOnly) {
      const { contents, journal } = await readConsistently(paths, dir);
      return { existing: contents, journal, handle: undefined };
    }
    const existing = await readManifest(paths.manifest, dir);
    const journalText = await readOrEmpty(paths.journal);
    if (existing === null) {
      if (!mode.create) throw notAnArchive(dir, paths.manifest);
      if (journalText.length > 0) {
        // Writing a fresh manifest here would hide the journal's items: make the user decide.
        throw corruptError(paths.manifest, dir, 'it is missing but manifest.journal holds changes');
      }
      await writeFresh();
    }
    const journal = parseJournal(journalText, paths.journal, dir, { legacy: existing?.head.schema === LEGACY_SCHEMA });
    const isNew = !(await pathExists(paths.journal));
    handle = await openForAppend(paths.journal);
    if (isNew) await fsyncDir(paths.dir);
    if (journal.tornBytes > 0) {
      // Cut the torn tail so the next append starts on a line boundary.
      await handle.truncate(journal.validBytes);
      await handle.datasync();
    }
    return { existing, journal, handle };
  } catch (e) {
    await handle?.close();
    throw isGphotosError(e) ? e : writeFailed(paths.dir, e, 'prepare the manifest in');
  }
}

function notAnArchive(dir: string, manifest: string): LocalError {
  return new LocalError(`${dir} is not a gphotos archive: ${manifest} does not exist.`, {
    path: manifest,
    hint: `Run \`gphotos sync ${dir}\` to start an archive there, or check the folder name.`,
  });
}

async function readOrEmpty(file: string): Promise<Buffer> {
  return (await readRegularFile(file))?.data ?? Buffer.alloc(0);
}

async function inode(file: string): Promise<number | undefined> {
  try {
    return (await lstat(file)).ino;
  } catch {
    return undefined;
  }
}

/**
 * Read manifest.json + journal while a writer may be compacting: compaction renames a new manifest.json
 * before it truncates the journal, so an unchanged inode across both reads proves they belong together.
 */
async function readConsistently(paths: ManifestPaths, dir: string): Promise<{ contents: ManifestContents; journal: ParsedJournal }> {
  for (let attempt = 0; ; attempt++) {
    const before = await inode(paths.manifest);
    const contents = await readManifest(paths.manifest, dir);
    if (contents === null) throw notAnArchive(dir, paths.manifest);
    const journal = await readOrEmpty(paths.journal);
    if ((await inode(paths.manifest)) === before || attempt >= 5) {
      // A concurrent writer may be mid-append: its unterminated line is simply not ours to see yet.
      return { contents, journal: parseJournal(journal, paths.journal, dir, { legacy: contents.head.schema === LEGACY_SCHEMA }) };
    }
  }
}
