// Which sources an archive is set up with beyond the Library: the folders where Takeout exports arrive, so that
// `gphotos sync DIR` reconciles them too. Kept in .gphotos/sources.json, small, so that reading it costs nothing
// next to the manifest; a missing file means none.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalError, messageOf } from '../errors.js';
import { mkdirDurably, writeFileDurably } from './durable-file.js';

export interface ArchiveSources {
  /** Absolute folders whose `takeout-*.zip|tgz` files every sync reconciles. */
  takeoutFolders: string[];
}

const FILE = 'sources.json';

export async function readArchiveSources(archiveDir: string): Promise<ArchiveSources> {
  const file = join(archiveDir, '.gphotos', FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return { takeoutFolders: [] };
    throw new LocalError(`Cannot read ${file}: ${messageOf(e)}.`, { path: file, cause: e });
  }
  const j = parseOrUndefined(text);
  const folders = typeof j === 'object' && j !== null && 'takeoutFolders' in j ? (j).takeoutFolders : undefined;
  if (!Array.isArray(folders) || !folders.every((f): f is string => typeof f === 'string')) {
    throw new LocalError(`${file} is damaged.`, { path: file, hint: 'Delete it and name the Takeout folders again with `gphotos sync DIR --takeout-folder FOLDER`.' });
  }
  return { takeoutFolders: folders };
}

export async function writeArchiveSources(archiveDir: string, s: ArchiveSources): Promise<void> {
  await mkdirDurably(join(archiveDir, '.gphotos'));
  await writeFileDurably(join(archiveDir, '.gphotos', FILE), JSON.stringify({ schema: 1, takeoutFolders: [...new Set(s.takeoutFolders)].sort() }) + '\n');
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
