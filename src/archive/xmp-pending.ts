// `.gphotos/xmp-pending.json`: the keys of items whose sidecars a run may leave missing or stale if it is killed.
// A run writes it (durably) before it changes the records of a pass and removes it once every sidecar it wrote
// is flushed, so the next run learns from it which sidecars to repair; a no-op sync only checks that it is absent.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalError } from '../errors.js';
import { writeFileDurably } from './durable-file.js';
import { readRegularFile, STATE_DIR } from './state-files.js';

const NAME = 'xmp-pending.json';

const pathOf = (archiveDir: string): string => join(archiveDir, STATE_DIR, NAME);

/** The keys an earlier run left pending (none when it finished). */
export async function readPendingSidecars(archiveDir: string): Promise<string[]> {
  const file = await readRegularFile(pathOf(archiveDir));
  if (file === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.data.toString('utf8'));
  } catch {
    // A torn write is impossible (it is replaced whole); anything else there is not ours to trust.
    parsed = undefined;
  }
  const keys = (parsed as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || !keys.every((k): k is string => typeof k === 'string')) {
    throw new LocalError(`${pathOf(archiveDir)} is not a list of pending sidecars gphotos wrote.`, {
      path: pathOf(archiveDir),
      hint: 'Delete it and run `gphotos xmp` on the archive to rewrite every sidecar.',
    });
  }
  return keys;
}

/** Durable before the caller changes any of these items' records. */
export async function writePendingSidecars(archiveDir: string, keys: Iterable<string>): Promise<void> {
  await writeFileDurably(pathOf(archiveDir), JSON.stringify({ keys: [...keys] }));
}

/** Every pending sidecar is written and flushed. */
export async function clearPendingSidecars(archiveDir: string): Promise<void> {
  await rm(pathOf(archiveDir), { force: true });
}
