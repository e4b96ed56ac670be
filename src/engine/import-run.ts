// `gphotos import`: index every input (sidecars may sit in another archive than their photos), decide per
// media entry, stream the ones the archive lacks, then record album membership and draw the album links.
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { writeAlbumLinks } from '../archive/album-links.js';
import { acquireLock, type Lock } from '../archive/lock.js';
import { ManifestStore } from '../archive/manifest-store.js';
import { sweepParts } from '../archive/part-sweep.js';
import { indexByIdentity } from '../core/identity.js';
import { compileLayout } from '../core/layout.js';
import { PathRegistry } from '../core/placement.js';
import { messageOf } from '../errors.js';
import { buildCatalog, type CatalogItem } from '../sources/takeout/catalog.js';
import type { IndexResult, InputProblem, Limits, TakeoutInput } from '../sources/takeout/input.js';
import { openInput, type InputFingerprint } from '../sources/takeout/open-input.js';
import type { ImportSink, ImportSummary } from './import-events.js';
import { decide, type Decision } from './import-decide.js';
import { recordAlbums } from './import-albums.js';
import { importItem, type ImportContext } from './import-item.js';
import { failureOf } from './import-failure.js';
import { ImportState } from './import-state.js';
import { pathExists } from '../archive/durable-file.js';

export interface ImportOptions {
  archiveDir: string;
  inputs: string[];
  dryRun: boolean;
  layout: string;
  tz: string;
  setMtime: boolean;
  albums: 'links' | 'none';
  includeTrashed: boolean;
  transfers: number;
  limits: Limits;
  command?: string;
}

export interface ImportDeps {
  now: () => Date;
  signal: AbortSignal;
  onEvent: ImportSink;
}

interface Opened {
  input: TakeoutInput;
  fingerprint?: InputFingerprint;
  remembered: boolean;
  damaged: boolean;
}

export function emptySummary(dryRun: boolean, inputs: number): ImportSummary {
  return {
    dryRun, inputs, inputsAlreadyImported: 0, media: 0, imported: 0, bytes: 0, duplicates: 0, upgraded: 0, unknownDate: 0,
    trashed: 0, ambiguous: 0, badSidecars: 0, archiveProblems: 0, albumLinks: 0, failed: 0, elapsedMs: 0, failures: [],
  };
}

export async function runImport(o: ImportOptions, d: ImportDeps): Promise<ImportSummary> {
  const started = d.now().getTime();
  const layoutDir = compileLayout(o.layout);
  const opened: Opened[] = [];
  for (const path of o.inputs) opened.push({ ...(await openInput(path, o.limits)), remembered: false, damaged: false });
  const s = emptySummary(o.dryRun, opened.length);
  const hasManifest = await pathExists(join(o.archiveDir, '.gphotos', 'manifest.json'));

  let lock: Lock | undefined;
  if (!o.dryRun) lock = await acquireLock(o.archiveDir, { command: o.command ?? 'import', warn: (m) => d.onEvent({ event: 'warning', message: m }) });
  try {
    const manifest = o.dryRun && !hasManifest ? undefined : await ManifestStore.open(o.archiveDir, { create: !o.dryRun, readOnly: o.dryRun });
    try {
      const state = await ImportState.load(o.archiveDir);
      for (const op of opened) {
        op.remembered = op.fingerprint !== undefined && state.has(op.fingerprint);
        if (op.remembered) {
          s.inputsAlreadyImported++;
          d.onEvent({ event: 'skipped', entry: op.input.label, reason: 'already-imported', detail: 'this archive was imported completely before' });
        }
      }
      if (opened.every((op) => op.remembered)) return finish(s, d, started);
      // Only a run that may write needs the tree walk; a re-import of remembered archives stays one stat each.
      if (!o.dryRun) {
        for (const p of await sweepParts(o.archiveDir)) d.onEvent({ event: 'warning', message: `removed a partial file left by an earlier run: ${p}` });
      }

      const problem = (op: Opened) => (p: InputProblem): void => {
        op.damaged = true;
        s.archiveProblems++;
        d.onEvent({ event: 'problem', input: p.input, ...(p.entry === undefined ? {} : { entry: p.entry }), reason: p.reason, detail: p.detail });
      };
      const indexes: IndexResult[] = [];
      for (const op of opened) {
        const ix = await op.input.index(problem(op));
        if (!ix.complete) op.damaged = true;
        indexes.push(ix);
      }
      const catalog = buildCatalog(indexes);
      // The catalog keeps the few fields it needs from each sidecar; drop the texts (1–2 KB each in real exports).
      for (const ix of indexes) ix.json.clear();
      for (const p of catalog.problems) {
        s.badSidecars++;
        d.onEvent({ event: 'problem', input: '', entry: p.path, reason: p.reason, detail: `${p.detail}; dating the photo from its own metadata` });
      }
      s.media = catalog.items.length;
      const decisions = decide(catalog.items, {
        remembered: (i) => opened[i]?.remembered === true,
        includeTrashed: o.includeTrashed,
        known: (id) => manifest?.byRef({ source: 'takeout', id }),
      });
      const toImport = decisions.filter((x) => x.action === 'import');
      d.onEvent({ event: 'indexed', inputs: opened.length, media: s.media, sidecars: catalog.sidecars, albums: catalog.albums, toImport: toImport.length });
      for (const x of decisions) {
        if (x.action === 'trashed') {
          s.trashed++;
          d.onEvent({ event: 'skipped', entry: x.item.entry.path, reason: 'trashed' });
        }
      }
      if (o.dryRun || manifest === undefined) {
        for (const x of decisions) d.onEvent({ event: 'planned', entry: x.item.entry.path, action: x.action === 'import' ? 'import' : x.action === 'trashed' || x.action === 'remembered' ? 'skip' : 'duplicate', reason: x.action });
        s.imported = toImport.length;
        s.duplicates = decisions.filter((x) => x.action === 'known' || x.action === 'same-id').length;
        return finish(s, d, started);
      }

      const stop = new AbortController();
      const signal = AbortSignal.any([d.signal, stop.signal]);
      setMaxListeners(o.transfers * 2 + 10, signal); // one listener per entry in flight
      const items = [...manifest.items()];
      const ctx: ImportContext = {
        archiveDir: o.archiveDir, manifest, registry: new PathRegistry(items.map((i) => i.path)), layoutDir, tz: o.tz, setMtime: o.setMtime,
        now: d.now, signal, onEvent: d.onEvent, shaIndex: new Map(items.map((i) => [i.sha256, i.key])), claimedIds: new Map(),
        apiIndex: indexByIdentity(items.filter((i) => i.quality === 'api-copy')),
      };
      const keyOf = new Map<CatalogItem, string>();
      let fatal: Error | undefined;
      for (const [i, op] of opened.entries()) {
        if (signal.aborted) break;
        const mine = new Map(toImport.filter((x) => x.item.input === i).map((x) => [x.item.entry.path, x.item]));
        if (mine.size === 0) continue;
        await op.input.stream(new Set(mine.keys()), async (entry, body) => {
          const item = mine.get(entry.path);
          if (item === undefined || signal.aborted) return;
          try {
            const r = await importItem(item, body, ctx);
            tally(r, item, s, d, keyOf);
          } catch (e) {
            if (signal.aborted) return;
            const f = failureOf(e);
            if (f.fatal) {
              fatal ??= f.fatal;
              stop.abort();
              return;
            }
            op.damaged = true;
            if (f.corrupt) s.archiveProblems++;
            s.failed++;
            s.failures.push({ entry: `${op.input.label}: ${entry.path}`, error: messageOf(e) });
            d.onEvent({ event: 'failed', entry: entry.path, error: messageOf(e) });
          }
        }, problem(op), { concurrency: op.input.parallel ? o.transfers : 1, signal });
        await op.input.close();
      }
      if (fatal !== undefined) throw fatal;
      if (d.signal.aborted) s.stoppedBy = 'interrupt';

      s.duplicates += resolveDeferred(decisions, manifest, keyOf);
      await recordAlbums(manifest, catalog.items, keyOf);
      if (o.albums === 'links') {
        const links = await writeAlbumLinks(o.archiveDir, manifest.items());
        s.albumLinks = links.created;
        for (const f of links.failures) d.onEvent({ event: 'warning', message: `album link ${f.path}: ${f.error}` });
      }
      if (s.stoppedBy === undefined) {
        for (const op of opened) if (op.fingerprint !== undefined && !op.damaged) state.add(op.fingerprint, d.now());
        await state.save();
      }
      return finish(s, d, started);
    } finally {
      await manifest?.close();
      for (const op of opened) await op.input.close();
    }
  } finally {
    await lock?.release();
  }
}

function tally(r: Awaited<ReturnType<typeof importItem>>, item: CatalogItem, s: ImportSummary, d: ImportDeps, keyOf: Map<CatalogItem, string>): void {
  const entry = item.entry.path;
  switch (r.kind) {
    case 'imported':
      keyOf.set(item, r.key);
      s.imported++;
      s.bytes += r.bytes;
      if (r.dated.source === 'none') s.unknownDate++;
      d.onEvent({ event: 'imported', path: r.path, entry, bytes: r.bytes, dateSource: r.dated.source });
      break;
    case 'upgraded':
      keyOf.set(item, r.key);
      s.upgraded++;
      s.bytes += r.bytes;
      d.onEvent({ event: 'upgraded', path: r.path, entry, bytes: r.bytes });
      break;
    case 'duplicate':
      keyOf.set(item, r.key);
      s.duplicates++;
      d.onEvent({ event: 'duplicate', entry, path: r.path });
      break;
    case 'ambiguous':
      s.ambiguous++;
      d.onEvent({ event: 'skipped', entry, reason: 'ambiguous-identity', detail: `matches ${r.keys.join(', ')}` });
      break;
  }
}

/** Entries skipped unread because their id was archived (before or in this run): find their items. */
function resolveDeferred(decisions: readonly Decision[], manifest: ManifestStore, keyOf: Map<CatalogItem, string>): number {
  let n = 0;
  for (const x of decisions) {
    if (x.action !== 'known' && x.action !== 'same-id') continue;
    const key = x.item.id === undefined ? undefined : manifest.byRef({ source: 'takeout', id: x.item.id })?.key;
    if (key !== undefined) keyOf.set(x.item, key);
    n++;
  }
  return n;
}

function finish(s: ImportSummary, d: ImportDeps, started: number): ImportSummary {
  s.elapsedMs = d.now().getTime() - started;
  return s;
}

