// `gphotos status DIR [--remote] [--json]`: explain drift between Google, the manifest and the disk.
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { RemoteItem } from '../../core/types.js';
import { archiveStatus } from '../../engine/status.js';
import { connectLibrary } from '../connect.js';
import { EXIT } from '../exit-codes.js';
import { jsonLine } from '../render/json.js';
import { isDrift, renderStatusText } from '../render/status-text.js';
import { archiveDirPositional, jsonOption, type ArchiveArgs, type JsonArgs } from '../shared-options.js';

interface StatusArgs extends ArchiveArgs, JsonArgs {
  remote: boolean;
}

export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status <dir>',
  describe: 'Explain drift between Google (--remote), the manifest and the files on disk; changes nothing',
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('existing'))
      .options({
        remote: { type: 'boolean', default: false, describe: 'Also list the Library API (needs a login)' },
        ...jsonOption('Print {findings, counts} as one JSON object'),
      }),
  handler: async (args) => {
    const archiveDir = resolve(args.dir);
    const listRemote = args.remote
      ? async () => {
          const conn = await connectLibrary(process.env);
          const items: RemoteItem[] = [];
          for await (const item of conn.source.list()) items.push(item);
          return { items, source: conn.source.name };
        }
      : undefined;
    const r = await archiveStatus({ archiveDir, ...(listRemote === undefined ? {} : { listRemote }) });
    if (args.json) process.stdout.write(jsonLine({ event: 'status', findings: r.findings, counts: r.counts }));
    else process.stdout.write(renderStatusText(args.dir, r.findings, r.counts));
    process.exitCode = r.findings.some(isDrift) ? EXIT.incomplete : EXIT.ok;
  },
};
