// The text of the commands that print one result (adopt, rebuild, xmp, report, doctor, config); their --json is the
// same value through jsonLine (json.ts).
import type { AdoptResult } from '../../engine/adopt.js';
import type { RebuildResult } from '../../engine/rebuild.js';
import type { XmpRunResult } from '../../engine/xmp-run.js';
import type { ReportSummary } from '../../report/write-report.js';
import { accountLabel } from '../../auth/account.js';
import { SETTING_NAMES, type ArchiveSettings } from '../archive-settings.js';
import type { Verdict } from '../doctor-checks.js';

export function renderAdoptText(r: AdoptResult): string {
  const lines = [
    ...r.ambiguous.map((a) => `ambiguous  ${a.from}  (${a.detail}; left where it is)`),
    ...r.failed.map((f) => `failed     ${f.from}: ${f.error}`),
    `Adopted ${r.adopted.length} files; ${r.alreadyArchived.length} already archived, ${r.ambiguous.length} ambiguous, ` +
      `${r.unmatched.length} match no listed item, ${r.failed.length} failed. Nothing was deleted.`,
  ];
  return lines.join('\n') + '\n';
}

export function renderRebuildText(label: string, r: RebuildResult): string {
  const lines = [
    ...r.kept.map((k) => `kept ${k}`),
    ...r.skipped.map((s) => `skipped ${s.path}: ${s.why}`),
    ...r.sidecarsIgnored.map((s) => `sidecar not used ${s.path}: ${s.why}`),
    ...(r.fromSidecars > 0 ? [`${r.fromSidecars} items restored from their XMP sidecars (key, source references, quality, metadata).`] : []),
    `${label}: manifest rebuilt with ${r.items} items. Run \`gphotos sync ${label}\` to link them to Google again; nothing present is downloaded.`,
  ];
  return lines.join('\n') + '\n';
}

export function renderXmpText(label: string, r: XmpRunResult): string {
  const lines = [
    ...r.failed.map((f) => `  failed    ${f.path}: ${f.why}`),
    ...r.foreign.map((p) => `  left alone ${p}: written by another tool (delete it to let gphotos write its own)`),
    `${label}: ${r.items} items: ${r.written} sidecars written, ${r.unchanged} unchanged, ${r.foreign.length} left alone, ${r.failed.length} failed.`,
  ];
  return lines.join('\n') + '\n';
}

export function renderReportText(s: ReportSummary): string {
  const h = s.health;
  const lines = [
    `Wrote ${s.out} (${(s.bytes / 1e6).toFixed(1)} MB, ${s.elapsedMs} ms): ${s.items} items over ${s.months} months, ` +
      `${s.holes} months without items, ${s.albums} albums.`,
    `Health: ${h.present} present, ${h.missing} missing, ${h.changed} changed, ${h.moved} moved, ${h.untracked} untracked, ` +
      `${h.downgraded} API copies with a Takeout original.`,
  ];
  if (s.next.length > 0) lines.push(`Next: ${s.next.join('; ')}`);
  lines.push('Open it in a browser (it needs no network; previews load from the archive by relative path).');
  return lines.join('\n') + '\n';
}

const MARK: Record<Verdict['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

export function renderDoctorText(verdicts: readonly Verdict[], ok: boolean): string {
  let out = '';
  for (const v of verdicts) {
    out += `${MARK[v.status]}  ${v.check.padEnd(8)} ${v.message}\n`;
    if (v.hint !== undefined && v.status !== 'ok') out += `${' '.repeat(15)}${v.hint}\n`;
  }
  return out + (ok ? 'All is well.\n' : 'Something needs you: see FAIL above.\n');
}

/** `layoutChanged`: this run changed the layout, which moves nothing already archived. */
export function renderConfigText(settings: ArchiveSettings, layoutChanged: boolean): string {
  let out = '';
  for (const k of SETTING_NAMES) out += `${k.padEnd(7)} ${settings[k] ?? '(not set yet: the next sync, pick, import or watch stores its value)'}\n`;
  out += `account ${settings.account === undefined ? '(not set yet: the next sync, pick or watch stores the account signed in)' : `${accountLabel(settings.account)} (id ${settings.account.sub})`}\n`;
  if (layoutChanged) out += 'Items already archived stay where they are; new ones use the new layout.\n';
  return out;
}
