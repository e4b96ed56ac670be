// The closing summary of a sync-like run (sync, pick, verify --fix's refetch), and when it is worth printing under --quiet.
import type { SyncSummary } from '../../engine/events.js';
import { formatBytes, formatDuration } from './format.js';

/** A run someone should look at: what --quiet still reports (the exit code is not 0 either). */
export function troubled(s: SyncSummary): boolean {
  return s.failed > 0 || s.stoppedBy !== undefined || s.suspectListing !== undefined;
}

export function renderSummary(s: SyncSummary, archive: string): string {
  const rows: [string, string][] = [
    ['downloaded', `${s.downloaded} (${formatBytes(s.bytes)})`],
    ['already present', String(s.alreadyPresent)],
  ];
  if (s.restamped) rows.push(['mtimes restamped', String(s.restamped)]);
  if (s.linked) rows.push(['linked to other sources', String(s.linked)]);
  if (s.upgraded) rows.push(['upgraded to original', String(s.upgraded)]);
  if (s.sameBytes) rows.push(['same bytes, recorded', String(s.sameBytes)]);
  if (s.annotated) rows.push(['metadata updated', String(s.annotated)]);
  if (s.downgraded) rows.push(['DOWNGRADED', `${s.downgraded} originals replaced by API copies (--allow-downgrade)`]);
  if (s.pendingVideos) rows.push(['pending videos', `${s.pendingVideos} (still processing at Google; a later sync picks them up)`]);
  rows.push(['failed', String(s.failed)]);
  if (s.remaining && !s.dryRun) rows.push(['not yet done', String(s.remaining)]);
  const d = s.drift;
  const drift = [
    d.remoteGone && `${d.remoteGone} gone from Google (kept here)`,
    d.changedOnDisk && `${d.changedOnDisk} changed on disk`,
    d.ambiguous && `${d.ambiguous} ambiguous`,
    d.failedVideos && `${d.failedVideos} videos Google failed to process`,
    d.originalMissing && `${d.originalMissing} originals missing (re-import them from Takeout: gphotos verify --fix --takeout FILE)`,
  ].filter(Boolean);
  rows.push(['drift', drift.length ? drift.join(', ') : 'none']);
  const width = Math.max(...rows.map(([k]) => k.length));
  const head = s.dryRun ? `Dry run for ${archive}: nothing was changed. Would download ${s.remaining}.` : `Synced ${archive} in ${formatDuration(s.elapsedMs)}.`;
  let text = head + '\n' + rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n') + '\n';
  text += `  ${'requests'.padEnd(width)}  ${s.apiCalls} API, ${s.byteCalls} downloads, ${s.retries} retried\n`;
  if (s.failures.length) text += 'Failed items:\n' + s.failures.map((f) => `  ${f.path} (${f.filename}): ${f.error}\n`).join('');
  if (s.stoppedBy === 'quota') {
    text += `Stopped: Google's daily quota is spent. ${s.remaining} items remain; the quota resets daily (midnight Pacific time). Run the same command again then; nothing already downloaded is fetched twice.\n`;
  } else if (s.stoppedBy === 'interrupt') {
    text += `Interrupted. ${s.remaining} items remain; run the same command again to continue.\n`;
  }
  if (s.suspectListing) {
    text += `Note: Google listed ${s.suspectListing.listed} items but the archive remembers ${s.suspectListing.remembered}; nothing was marked gone (use --force if items really were removed).\n`;
  }
  return text;
}
