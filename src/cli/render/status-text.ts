// What `gphotos status` prints as text: the findings grouped by kind, each with what to do, and the counts.
import type { DriftCounts, DriftKind, Finding } from '../../core/drift.js';

/** Pending videos are Google's business, not drift: a later sync fetches them (as sync's exit code also says). */
export function isDrift(f: Finding): boolean {
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

export function renderStatusText(label: string, findings: Finding[], c: DriftCounts): string {
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
