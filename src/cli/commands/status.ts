// `gphotos status DIR [--remote] [--json]`: explain drift between Google, the manifest and the disk.
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { DriftCounts, DriftKind, Finding } from '../../core/drift.js';
import type { RemoteItem } from '../../core/types.js';
import { archiveStatus } from '../../engine/status.js';
import { connectLibrary } from '../connect.js';
import { EXIT } from '../exit-codes.js';
import { jsonLine } from '../render/json.js';
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
          for await (const item of conn.source.list({ media: 'all' })) items.push(item);
          return { items, source: conn.source.name };
        }
      : undefined;
    const r = await archiveStatus({ archiveDir, ...(listRemote === undefined ? {} : { listRemote }) });
    if (args.json) process.stdout.write(jsonLine({ event: 'status', findings: r.findings, counts: r.counts }));
    else process.stdout.write(renderText(args.dir, r.findings, r.counts));
    process.exitCode = r.findings.some(isDrift) ? EXIT.incomplete : EXIT.ok;
  },
};

/** Pending videos are Google's business, not drift: a later sync fetches them (as sync's exit code also says). */
function isDrift(f: Finding): boolean {
  return f.kind !== 'pending';
}

const ORDER: DriftKind[] = ['missing', 'changed', 'moved', 'untracked', 'remote-new', 'remote-gone', 'pending'];
const HINT: Record<DriftKind, string> = {
  missing: '`gphotos sync` fetches them again',
  changed: 'left alone; `gphotos verify --deep` checks the bytes',
  moved: 'the archive expects them at their recorded path; move them back',
  untracked: 'not in the manifest; `gphotos adopt` can record them',
  'remote-new': '`gphotos sync` downloads them',
  'remote-gone': 'no longer listed by Google; the files are kept',
  pending: 'Google is still processing these videos',
};

function renderText(label: string, findings: Finding[], c: DriftCounts): string {
  const lines: string[] = [];
  for (const kind of ORDER) {
    const group = findings.filter((f) => f.kind === kind);
    if (group.length === 0) continue;
    lines.push(`${kind} (${group.length}): ${HINT[kind]}`);
    for (const f of group.slice(0, 50)) {
      const what = f.path ?? f.filename ?? f.key ?? '';
      lines.push(`  ${what}${f.detail === undefined ? '' : `  (${f.detail})`}`);
    }
    if (group.length > 50) lines.push(`  … and ${group.length - 50} more (--json lists all)`);
  }
  const remote = c.remoteChecked ? `; remote: ${c['remote-new']} new, ${c['remote-gone']} gone, ${c.pending} pending` : '; remote not checked (--remote)';
  lines.push(
    `${label}: ${c.items} items (${c['api-copy']} api-copy, ${c.original} original), ${c.present} present, ` +
      `${c.missing} missing, ${c.changed} changed, ${c.moved} moved, ${c.untracked} untracked${remote}.`,
  );
  if (!findings.some(isDrift)) lines.push('No drift.');
  return lines.join('\n') + '\n';
}
