// What `gphotos verify` prints: the damage, the --fix report and the sidecars as text, or its one --json line.
import type { Damage, VerifyResult } from '../../engine/verify.js';
import type { SidecarReport } from '../../engine/verify-sidecars.js';

export interface FixReport {
  movedAside: string[];
  /** Files fetched again (from the Library and from the Takeout inputs). */
  downloaded: number;
  /** Originals replaced by API copies because --allow-downgrade said so. */
  downgraded: string[];
  cannot: { path: string; kind: string; why: string }[];
}

/** The one line `verify --json` prints (docs/json.md), less its `v` and `event`. */
export interface VerifyJson {
  complete: boolean;
  items: number;
  deep: boolean;
  hashed: number;
  bytesHashed: number;
  mbPerSec?: number;
  damaged: Damage[];
  fix?: FixReport;
  remaining?: Damage[];
  sidecars?: SidecarReport;
}

export function sidecarText(label: string, s: SidecarReport | undefined): string {
  if (s === undefined) return '';
  const lines: string[] = [];
  if (s.rewritten !== undefined) lines.push(`Rewrote ${s.rewritten} XMP sidecars from the manifest.`);
  for (const p of s.missing) lines.push(`  sidecar missing ${p}`);
  for (const p of s.stale) lines.push(`  sidecar stale   ${p}`);
  if (s.missing.length + s.stale.length > 0) {
    lines.push(`${s.missing.length} XMP sidecars missing and ${s.stale.length} stale (the photos are fine); \`gphotos verify ${label} --fix\` or \`gphotos xmp ${label}\` rewrites them.`);
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

function mbPerSec(r: VerifyResult): number | undefined {
  return r.hashMs > 0 && r.bytesHashed > 0 ? r.bytesHashed / 1e6 / (r.hashMs / 1000) : undefined;
}

export function verifyJson(first: VerifyResult, final: VerifyResult, fix: FixReport | undefined): VerifyJson {
  const rate = mbPerSec(first);
  return {
    complete: final.damaged.length === 0,
    items: first.items,
    deep: first.deep,
    hashed: first.hashed,
    bytesHashed: first.bytesHashed,
    ...(rate === undefined ? {} : { mbPerSec: Math.round(rate * 10) / 10 }),
    damaged: first.damaged,
    ...(fix === undefined ? {} : { fix, remaining: final.damaged }),
  };
}

const LABEL: Record<Damage['kind'], string> = {
  missing: 'missing',
  'size-differs': 'size differs',
  'hash-differs': 'hash differs',
  unreadable: 'unreadable',
};

export function renderVerifyText(label: string, first: VerifyResult, final: VerifyResult, fix: FixReport | undefined): string {
  const lines: string[] = [];
  for (const d of first.damaged) lines.push(`  ${LABEL[d.kind].padEnd(13)} ${d.path}${d.detail === undefined ? '' : `  (${d.detail})`}`);
  const rate = mbPerSec(first);
  const how = first.deep ? `sizes and SHA-256 of ${first.hashed} files${rate === undefined ? '' : `, ${rate.toFixed(1)} MB/s`}` : 'sizes';
  lines.push(
    first.damaged.length === 0
      ? `${label}: complete: ${first.items} items verified (${how}).`
      : `${label}: ${first.damaged.length} of ${first.items} items damaged (${how}).`,
  );
  if (fix !== undefined) {
    for (const p of fix.movedAside) lines.push(`  moved aside: ${p}`);
    lines.push(`Fetched ${fix.downloaded} files again; ${final.damaged.length} still damaged.`);
    for (const p of fix.downgraded) lines.push(`  DOWNGRADED ${p}: the original was replaced by the Library's API copy (--allow-downgrade); the damaged original is in .gphotos/damaged/`);
    for (const c of fix.cannot) lines.push(`  cannot fix ${c.path}: ${c.why}`);
  } else if (first.damaged.length > 0) {
    lines.push(`Run \`gphotos verify ${label} --fix\` to fetch damaged files again, or \`gphotos status ${label}\` to see moved files.`);
  }
  return lines.join('\n') + '\n';
}
