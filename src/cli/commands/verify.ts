// `gphotos verify DIR [--deep] [--fix] [--json]`: prove the archive complete, or name each damaged file.
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv, CommandModule } from 'yargs';
import { acquireLock } from '../../archive/lock.js';
import { makeFilter } from '../../core/filters.js';
import { DEFAULT_LAYOUT } from '../../core/layout.js';
import type { ManifestItem } from '../../core/types.js';
import { runImport } from '../../engine/import-run.js';
import { checkSidecars, fixSidecars, type SidecarReport } from '../../engine/verify-sidecars.js';
import { runSync } from '../../engine/sync-run.js';
import { loadManifestItems, moveAside, splitFixable, verifyArchive, type VerifyResult } from '../../engine/verify.js';
import { UsageError, isGphotosError, messageOf } from '../../errors.js';
import { DEFAULT_LIMITS } from '../../sources/takeout/input.js';
import { readSettings } from '../archive-settings.js';
import { connectLibrary } from '../connect.js';
import { EXIT } from '../exit-codes.js';
import { withInterrupt } from '../interrupt.js';
import { jsonLine } from '../render/json.js';
import { stderrProgress, type Progress } from '../render/progress.js';
import { renderVerifyText, sidecarText, verifyJson, type FixReport } from '../render/verify-text.js';
import { archiveDirPositional, jsonOption, localZone, ONE_JSON_OBJECT, quietOption, type ArchiveArgs, type JsonArgs, type QuietArgs } from '../shared-options.js';

interface VerifyArgs extends ArchiveArgs, JsonArgs, QuietArgs {
  deep: boolean;
  fix: boolean;
  takeout: string[] | undefined;
  'allow-downgrade': boolean;
}

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <dir>',
  describe: 'Check that every archived file is on disk with its size (--deep: and its SHA-256)',
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('existing'))
      .options({
        deep: { type: 'boolean', default: false, describe: 'Also hash every file and compare with the manifest' },
        fix: { type: 'boolean', default: false, describe: 'Move damaged files to .gphotos/damaged/ and fetch them again at their quality (API copies need a login)' },
        takeout: { type: 'string', array: true, describe: 'With --fix: Takeout exports (.zip, .tgz, folders) to take damaged originals from' },
        'allow-downgrade': { type: 'boolean', default: false, describe: 'With --fix: replace a damaged original the Takeout cannot give back by the Library API copy (reported)' },
        ...jsonOption(ONE_JSON_OBJECT),
        ...quietOption('Print nothing when the archive is complete; damage still shows'),
      }),
  handler: async (args) => {
    const archiveDir = resolve(args.dir);
    const draw = !args.json && !args.quiet;
    const hashing = stderrProgress(draw, { label: 'hashing', done: 0, unit: 'files', bytes: 0 });
    const first = await verifyArchive({
      archiveDir,
      deep: args.deep,
      onProgress: (done, total, bytes) => hashing.update({ done, total, bytes }, done === total),
    }).finally(hashing.end);
    let final: VerifyResult = first;
    let fix: FixReport | undefined;
    if (!args.fix && (args.takeout !== undefined || args['allow-downgrade'])) throw new UsageError('--takeout and --allow-downgrade go with --fix.');
    if (args.fix && first.damaged.length > 0) {
      const progress = stderrProgress(draw, { label: 'fix', done: 0, unit: 'files', bytes: 0 });
      ({ fix, final } = await repair(archiveDir, args.deep, first, { takeout: (args.takeout ?? []).map((t) => resolve(t)), allowDowngrade: args['allow-downgrade'], progress }).finally(progress.end));
    }
    // Sidecars are checked in an archive set up with them (xmp on; one made before sidecars existed is not);
    // --fix rewrites the missing and stale ones.
    let sidecars: SidecarReport | undefined;
    if ((await readSettings(archiveDir))?.xmp === 'on') {
      sidecars = await checkSidecars(archiveDir, fix === undefined ? first.manifest : await loadManifestItems(archiveDir), final.damaged);
      if (args.fix && sidecars.missing.length + sidecars.stale.length > 0) {
        const lock = await acquireLock(archiveDir, { command: 'verify --fix' });
        try {
          const written = await fixSidecars(archiveDir, (await loadManifestItems(archiveDir)), sidecars);
          sidecars = { ...(await checkSidecars(archiveDir, await loadManifestItems(archiveDir), final.damaged)), rewritten: written };
        } finally {
          await lock.release();
        }
      }
    }
    const sidecarsBad = sidecars === undefined ? 0 : sidecars.missing.length + sidecars.stale.length;
    const ok = final.damaged.length === 0 && sidecarsBad === 0;
    // --quiet (cron): silent when complete; a fix that repaired damage is still news.
    const news = !ok || fix !== undefined || first.damaged.length > 0;
    if (args.json) process.stdout.write(jsonLine({ event: 'verify', ...verifyJson(first, final, fix), ...(sidecars === undefined ? {} : { sidecars }) }));
    else if (!args.quiet || news) process.stdout.write(renderVerifyText(args.dir, first, final, fix) + sidecarText(args.dir, sidecars));
    process.exitCode = ok ? EXIT.ok : EXIT.incomplete;
  },
};

async function repair(
  archiveDir: string,
  deep: boolean,
  first: VerifyResult & { manifest: ManifestItem[] },
  o: { takeout: string[]; allowDowngrade: boolean; progress: Progress },
): Promise<{ fix: FixReport; final: VerifyResult }> {
  // The items verify already read: no second parse of the manifest.
  const items = new Map(first.manifest.map((m) => [m.key, m]));
  const split = splitFixable(first.damaged, items, { takeout: o.takeout.length > 0, allowDowngrade: o.allowDowngrade });
  const fix: FixReport = { movedAside: [], downloaded: 0, downgraded: [], cannot: split.cannot.map((c) => ({ path: c.damage.path, kind: c.damage.kind, why: c.why })) };
  let refetch = split.refetch;
  let conn;
  if (refetch.length > 0) {
    try {
      conn = await connectLibrary(process.env);
    } catch (e) {
      if (!isGphotosError(e)) throw e;
      // Without a login nothing can be fetched from the Library: leave those damaged files where they are.
      for (const d of refetch) fix.cannot.push({ path: d.path, kind: d.kind, why: `cannot fetch it again: ${messageOf(e)}` });
      refetch = [];
    }
  }
  if (refetch.length + split.fromTakeout.length === 0) return { fix, final: first };
  o.progress.update({ total: refetch.length + split.fromTakeout.length }, true);
  const step = (): void => o.progress.update({ done: o.progress.state.done + 1 });
  const moved = (bytes: number): void => o.progress.update({ bytes: (o.progress.state.bytes ?? 0) + bytes });
  const lock = await acquireLock(archiveDir, { command: 'verify --fix', warn: (m) => o.progress.print((l) => void process.stderr.write(l), `warning: ${m}`) });
  try {
    // Kept, never deleted: a damaged original may still be worth more than any copy.
    fix.movedAside = await moveAside(archiveDir, [...split.fromTakeout, ...refetch]);
  } finally {
    await lock.release();
  }
  // The archive's own settings (archive-settings.ts), so nothing fetched again lands in another layout.
  const settings = (await readSettings(archiveDir)) ?? {};
  const tz = settings.tz ?? localZone();
  const layout = settings.layout ?? DEFAULT_LAYOUT;
  const xmp = settings.xmp !== 'off';
  // The one reconciler fetches every missing manifest entry again, at its recorded path, from each source.
  if (split.fromTakeout.length > 0) {
    const s = await withInterrupt((signal) =>
      runImport(
        {
          archiveDir, inputs: o.takeout, dryRun: false, layout, tz, setMtime: true, xmp, albums: 'none', includeTrashed: true, transfers: 8,
          limits: DEFAULT_LIMITS, command: 'verify --fix', onlyKeys: new Set(split.fromTakeout.map((d) => d.key)),
        },
        {
          now: () => new Date(),
          signal,
          onEvent: (e) => {
            if (e.event === 'imported' || e.event === 'upgraded' || e.event === 'failed') step();
            else if (e.event === 'progress') moved(e.bytes);
          },
        },
      ),
    );
    fix.downloaded += s.imported + s.upgraded;
  }
  if (conn !== undefined && refetch.length > 0) {
    const library = conn;
    const outcome = await withInterrupt((signal) =>
      runSync(
        {
          archiveDir, dryRun: false, layout, tz, filter: makeFilter({ skipDates: [], media: 'all' }), setMtime: true, xmp, force: false,
          transfers: 8, command: 'verify --fix', allowDowngrade: o.allowDowngrade, onlyKeys: new Set(refetch.map((d) => d.key)),
        },
        {
          source: library.source,
          now: () => new Date(),
          sleep: (ms) => sleep(ms, undefined, { signal }).catch(() => {}),
          signal,
          onEvent: (e) => {
            if (e.event === 'downgraded') fix.downgraded.push(e.path);
            else if (e.event === 'downloaded' || e.event === 'failed') step();
            else if (e.event === 'progress') moved(e.bytes);
          },
          counters: () => library.counters(),
        },
      ),
    );
    fix.downloaded += outcome.summary.downloaded;
  }
  const final = await verifyArchive({ archiveDir, deep });
  return { fix, final };
}
