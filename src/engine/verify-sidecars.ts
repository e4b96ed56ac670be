// `verify` of the XMP sidecars: each archived file that is on disk should have the sidecar its manifest entry
// renders. A missing or stale one is reported (not counted as damage to the photo); `verify --fix` rewrites them
// from the manifest, which stays the truth. Another tool's sidecar is left alone and not reported.
import { checkXmpSidecar, sidecarPath } from '../archive/xmp-sidecar.js';
import { runPool } from '../core/pool.js';
import type { ManifestItem } from '../core/types.js';
import type { Damage } from './verify.js';
import { writeSidecars } from './xmp-run.js';

export interface SidecarReport {
  checked: number;
  missing: string[];
  stale: string[];
  /** With --fix: how many were rewritten before this check. */
  rewritten?: number;
}

/** Sidecars of the items whose files verify found whole. */
export async function checkSidecars(archiveDir: string, items: readonly ManifestItem[], damaged: readonly Damage[], concurrency = 16): Promise<SidecarReport> {
  const bad = new Set(damaged.map((d) => d.key));
  const whole = items.filter((m) => !bad.has(m.key));
  const r: SidecarReport = { checked: whole.length, missing: [], stale: [] };
  await runPool(whole, concurrency, async (m) => {
    const state = await checkXmpSidecar(archiveDir, m);
    if (state === 'missing') r.missing.push(sidecarPath(m.path));
    else if (state === 'stale') r.stale.push(sidecarPath(m.path));
  });
  r.missing.sort();
  r.stale.sort();
  return r;
}

/** Rewrite the sidecars a check found missing or stale; returns how many were written. */
export async function fixSidecars(archiveDir: string, items: readonly ManifestItem[], report: SidecarReport): Promise<number> {
  const wanted = new Set([...report.missing, ...report.stale]);
  const r = await writeSidecars(archiveDir, items.filter((m) => wanted.has(sidecarPath(m.path))), 16);
  return r.written;
}
