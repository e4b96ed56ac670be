// `gphotos rebuild DIR`: a new manifest from the files on disk when .gphotos/manifest.json is lost or damaged.
import { runXmp } from '../../engine/xmp-run.js';
import { readSettings } from '../archive-settings.js';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { rebuildManifest } from '../../engine/rebuild.js';
import { EXIT } from '../exit-codes.js';
import { jsonLine } from '../render/json.js';
import { renderRebuildText } from '../render/result-text.js';
import { archiveDirPositional, jsonOption, ONE_JSON_OBJECT, tzOption, type ArchiveArgs, type JsonArgs } from '../shared-options.js';

interface RebuildArgs extends ArchiveArgs, JsonArgs {
  tz: string;
  force: boolean;
}

export const rebuildCommand: CommandModule<object, RebuildArgs> = {
  command: 'rebuild <dir>',
  describe: 'Rebuild a lost or damaged manifest from the files on disk (the damaged one is kept)',
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('existing'))
      .options({
        ...tzOption('Time zone for EXIF times without an offset'),
        force: { type: 'boolean', default: false, describe: 'Rebuild even when the manifest is readable' },
        ...jsonOption(ONE_JSON_OBJECT),
      }),
  handler: async (args) => {
    const r = await rebuildManifest({ archiveDir: resolve(args.dir), tz: args.tz, force: args.force, now: () => new Date(), warn: (m) => process.stderr.write(`warning: ${m}\n`) });
    // The sidecars then describe the rebuilt entries, as they do for every other record (archives set up with them).
    if ((await readSettings(resolve(args.dir)))?.xmp === 'on') {
      const x = await runXmp({ archiveDir: resolve(args.dir) });
      for (const f of x.failed) process.stderr.write(`warning: XMP sidecar of ${f.path}: ${f.why}\n`);
    }
    if (args.json) process.stdout.write(jsonLine({ event: 'rebuild', ...r }));
    else process.stdout.write(renderRebuildText(args.dir, r));
    process.exitCode = r.skipped.length === 0 ? EXIT.ok : EXIT.incomplete;
  },
};
