// `gphotos sync DIR --takeout-folder FOLDER`: the folders an archive remembers for Takeout exports, turned into the
// Takeout source that runs before the Library in the same sync (its originals first, so the Library links to them).
import { resolve } from 'node:path';
import { readArchiveSources, writeArchiveSources } from '../archive/archive-sources.js';
import type { EventSink } from '../engine/events.js';
import { UsageError } from '../errors.js';
import type { Source } from '../sources/source.js';

export interface TakeoutFolderOptions {
  archiveDir: string;
  add: readonly string[];
  forget: readonly string[];
  /** A dry run remembers nothing. */
  dryRun: boolean;
  tz: string;
  sink: EventSink;
}

/** The remembered folders (updated with `add` and `forget`) and a Takeout source over their complete exports. */
export async function takeoutFromFolders(o: TakeoutFolderOptions): Promise<{ sources: Source[]; close: () => Promise<void> }> {
  const remembered = (await readArchiveSources(o.archiveDir)).takeoutFolders;
  const forget = new Set(o.forget.map((f) => resolve(f)));
  for (const f of forget) {
    if (!remembered.includes(f)) throw new UsageError(`${f} is not a Takeout folder of this archive.`, { hint: `It has: ${remembered.join(', ') || 'none'}.` });
  }
  const folders = [...new Set([...remembered.filter((f) => !forget.has(f)), ...o.add.map((f) => resolve(f))])].sort();
  const none = { sources: [], close: () => Promise.resolve() };
  const remember = async (): Promise<void> => {
    const before = [...remembered].sort();
    if (!o.dryRun && (folders.length !== before.length || folders.some((f, i) => f !== before[i]))) {
      await writeArchiveSources(o.archiveDir, { takeoutFolders: folders });
    }
  };
  if (folders.length === 0) {
    await remember();
    return none;
  }
  // Loaded only for an archive with Takeout folders: most syncs never need the zip and tar readers.
  const [{ takeoutArchivesIn }, { TakeoutSource }, { DEFAULT_LIMITS }] = await Promise.all([
    import('../sources/takeout/takeout-folder.js'),
    import('../sources/takeout/takeout-source.js'),
    import('../sources/takeout/input.js'),
  ]);
  const archives: string[] = [];
  for (const folder of folders) {
    const found = await takeoutArchivesIn(folder);
    for (const p of found.incomplete) o.sink({ event: 'warning', message: `${p} is not complete yet (still downloading?); a later sync takes it` });
    archives.push(...found.ready);
  }
  // Remembered only once each was readable, so a typo is refused rather than kept.
  await remember();
  if (archives.length === 0) return none;
  const source = new TakeoutSource({
    inputs: archives,
    limits: DEFAULT_LIMITS,
    tz: o.tz,
    includeTrashed: false,
    onProblem: (p) => o.sink({ event: 'warning', message: `Takeout ${p.input}${p.entry === undefined ? '' : `: ${p.entry}`}: ${p.reason}: ${p.detail}` }),
    onSkip: () => {},
  });
  await source.open();
  return { sources: [source], close: () => source.close() };
}
