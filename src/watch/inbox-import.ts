// `--takeout-inbox`: poll the inbox folder, and import each set of Takeout archives once takeout-inbox.ts judges it
// completely written (and every zip has its end-of-central-directory record). A set is imported once; a set the
// import refused waits until one of its files changes.
import { join } from 'node:path';
import type { ImportOptions } from '../engine/import-run.js';
import { runImport } from '../engine/import-run.js';
import { isGphotosError, messageOf } from '../errors.js';
import type { WatchSink } from './events.js';
import { InboxTracker, listInbox, zipLooksComplete } from './takeout-inbox.js';
import type { Wakeup } from './wakeup.js';

export interface TakeoutInboxOptions {
  inbox: string;
  /** How long a file's size and mtime, and a set's part count, must stay unchanged before it is imported. */
  stableMs: number;
  import: Omit<ImportOptions, 'archiveDir' | 'inputs' | 'dryRun' | 'command'>;
}

export interface InboxDeps {
  now: () => Date;
  signal: AbortSignal;
  onEvent: WatchSink;
}

export interface Inbox {
  /** Import the sets the last poll found ready; whether anything was imported. */
  importReady(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Poll `t.inbox` on a timer; `wake` is woken when a set is ready. An error that needs a person (not a locked
 * archive, not a refused set) goes to `onFatal`, and ends the watch.
 */
export function startInbox(archiveDir: string, t: TakeoutInboxOptions, d: InboxDeps, wake: Wakeup, onFatal: (e: unknown) => void): Inbox {
  const tracker = new InboxTracker(t.stableMs);
  const said = new Map<string, string>();
  let ready: string[][] = [];
  let polling: Promise<void> | undefined;
  const poll = async (): Promise<void> => {
    const files = await listInbox(t.inbox).catch((e: unknown) => {
      d.onEvent({ event: 'warning', message: `cannot read the Takeout inbox ${t.inbox}: ${messageOf(e)}` });
      return [];
    });
    const verdict = tracker.observe(files, d.now().getTime());
    const next: string[][] = [];
    for (const set of verdict.ready) {
      const zips = set.filter((f) => f.toLowerCase().endsWith('.zip'));
      const incomplete: string[] = [];
      for (const z of zips) if (!(await zipLooksComplete(join(t.inbox, z)).catch(() => false))) incomplete.push(z);
      if (incomplete.length > 0) verdict.waiting.push({ key: set[0] ?? '', why: `no end-of-central-directory record yet in ${incomplete.join(', ')}` });
      else next.push(set);
    }
    for (const w of verdict.waiting) {
      if (said.get(w.key) !== w.why) d.onEvent({ event: 'takeout-waiting', set: w.key, why: w.why });
      said.set(w.key, w.why);
    }
    if (said.size > 1000) said.clear();
    ready = next;
    if (ready.length > 0) wake.wake();
  };
  const timer = setInterval(() => {
    polling ??= poll().finally(() => (polling = undefined));
  }, Math.max(200, Math.min(5000, Math.floor(t.stableMs / 4))));
  return {
    async importReady() {
      const sets = ready;
      ready = [];
      let imported = false;
      for (const set of sets) {
        if (d.signal.aborted) return imported;
        const files = set.map((name) => tracker.current(name)).filter((f) => f !== undefined);
        // The inbox is polled while a set imports, and until then the set still looks ready: queued again, it
        // would be imported twice.
        if (tracker.isDone(files)) continue;
        try {
          const s = await runImport(
            { ...t.import, archiveDir, inputs: set.map((n) => join(t.inbox, n)), dryRun: false, command: 'watch' },
            {
              now: d.now,
              signal: d.signal,
              onEvent: (e) => {
                if (e.event === 'warning') d.onEvent(e);
                else if (e.event === 'problem') d.onEvent({ event: 'warning', message: `Takeout problem: ${e.input} ${e.entry ?? ''} ${e.reason}: ${e.detail}` });
                else if (e.event === 'failed') d.onEvent({ event: 'warning', message: `Takeout entry failed: ${e.entry}: ${e.error}` });
              },
            },
          );
          d.onEvent({
            event: 'takeout-imported', files: set, imported: s.imported, duplicates: s.duplicates, upgraded: s.upgraded,
            failed: s.failed, problems: s.archiveProblems, ...(s.stoppedBy === undefined ? {} : { stoppedBy: s.stoppedBy }),
          });
          if (s.stoppedBy === undefined) tracker.markDone(files);
          imported ||= s.imported + s.upgraded > 0;
        } catch (e) {
          if (!isGphotosError(e)) {
            onFatal(e);
            return imported;
          }
          if (e.kind === 'locked') d.onEvent({ event: 'takeout-skipped', files: set, reason: `${e.message} (trying again later)` });
          else if (e.kind === 'usage' || e.kind === 'local') {
            d.onEvent({ event: 'takeout-skipped', files: set, reason: e.message });
            tracker.markDone(files);
          } else if (e.kind !== 'interrupted') {
            onFatal(e);
            return imported;
          }
        }
      }
      return imported;
    },
    async stop() {
      clearInterval(timer);
      await polling;
    },
  };
}
