// `gphotos adopt DIR FROM... [--in-place]`: record files another tool downloaded instead of downloading them again.
import { readSettings } from '../archive-settings.js';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { RemoteItem } from '../../core/types.js';
import { adopt } from '../../engine/adopt.js';
import { connectLibrary } from '../connect.js';
import { EXIT } from '../exit-codes.js';
import { jsonLine } from '../render/json.js';
import { renderAdoptText } from '../render/result-text.js';
import { archiveDirPositional, jsonOption, layoutOption, ONE_JSON_OBJECT, tzOption, type ArchiveArgs, type JsonArgs } from '../shared-options.js';

interface AdoptArgs extends ArchiveArgs, JsonArgs {
  from: string[];
  'in-place': boolean;
  layout: string;
  tz: string;
}

export const adoptCommand: CommandModule<object, AdoptArgs> = {
  command: 'adopt <dir> <from..>',
  describe: 'Record photos already on disk (another tool\'s download) as archived, matching them to Google\'s items',
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('existing'))
      .positional('from', { type: 'string', array: true, demandOption: true, describe: 'Folders holding the files' })
      .options({
        'in-place': { type: 'boolean', default: false, describe: 'Record files where they are (they must be inside DIR) instead of moving them' },
        ...layoutOption('Folder template for moved files'),
        ...tzOption('Time zone for times without an offset'),
        ...jsonOption(ONE_JSON_OBJECT),
      }),
  handler: async (args) => {
    const r = await adopt({
      archiveDir: resolve(args.dir),
      from: args.from,
      inPlace: args['in-place'],
      layout: args.layout,
      tz: args.tz,
      now: () => new Date(),
      warn: (m) => process.stderr.write(`warning: ${m}\n`),
      xmp: (await readSettings(resolve(args.dir)))?.xmp !== 'off',
      listRemote: async () => {
        const conn = await connectLibrary(process.env);
        const items: RemoteItem[] = [];
        for await (const item of conn.source.list()) items.push(item);
        return items;
      },
    });
    if (args.json) process.stdout.write(jsonLine({ event: 'adopt', ...r }));
    else process.stdout.write(renderAdoptText(r));
    process.exitCode = r.failed.length > 0 || r.ambiguous.length > 0 ? EXIT.incomplete : EXIT.ok;
  },
};
