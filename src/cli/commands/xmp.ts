// `gphotos xmp DIR [--json]`: write the XMP sidecars (NAME.EXT.xmp) of an existing archive from its manifest.
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { runXmp } from '../../engine/xmp-run.js';
import { EXIT } from '../exit-codes.js';
import { withInterrupt } from '../interrupt.js';
import { jsonLine } from '../render/json.js';
import { renderXmpText } from '../render/result-text.js';
import { archiveDirPositional, jsonOption, ONE_JSON_OBJECT, type ArchiveArgs, type JsonArgs } from '../shared-options.js';

type XmpArgs = ArchiveArgs & JsonArgs;

export const xmpCommand: CommandModule<object, XmpArgs> = {
  command: 'xmp <dir>',
  describe: 'Write or refresh the XMP sidecar (NAME.EXT.xmp) of every archived file, for digiKam, Immich, PhotoPrism and darktable',
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('existing'))
      .options(jsonOption(ONE_JSON_OBJECT)),
  handler: async (args) => {
    const r = await withInterrupt((signal) => runXmp({ archiveDir: resolve(args.dir), signal }));
    process.stdout.write(args.json ? jsonLine({ event: 'xmp', ...r }) : renderXmpText(args.dir, r));
    process.exitCode = r.failed.length === 0 ? EXIT.ok : EXIT.incomplete;
  },
};
