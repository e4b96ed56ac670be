// `gphotos report DIR [--out FILE] [--json]`: write one offline HTML page that shows what the archive holds, month by
// month, where it has holes, and what it needs. Reads the archive like `status` (read-only, no lock); writes only
// FILE, by default gphotos-report.html in the current folder, and inside the archive only when --out names it.
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_REPORT_NAME, writeReport } from '../../report/write-report.js';
import { renderReportText } from '../render/result-text.js';
import { archiveDirPositional, jsonOption, type ArchiveArgs, type JsonArgs } from '../shared-options.js';

interface ReportArgs extends ArchiveArgs, JsonArgs {
  out?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <dir>',
  describe: 'Write an offline HTML page of the archive: a timeline by month, its holes, previews, albums and health',
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('existing'))
      .option('out', { type: 'string', describe: `The page to write (default: ./${DEFAULT_REPORT_NAME}, never inside the archive unless named here)` })
      .options(jsonOption('Print a summary event as one JSON object')) as unknown as Argv<ReportArgs>,
  handler: async (args) => {
    const s = await writeReport({
      archiveDir: resolve(args.dir),
      archiveLabel: args.dir,
      out: resolve(args.out ?? DEFAULT_REPORT_NAME),
      outGiven: args.out !== undefined,
      now: () => new Date(),
    });
    process.stdout.write(args.json ? JSON.stringify({ event: 'summary', summary: s }) + '\n' : renderReportText(s));
  },
};
