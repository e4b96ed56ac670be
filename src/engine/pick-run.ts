// The pick workflow: open a Picker session, hand its link to the user, wait until they press Done, then archive
// what they picked through the one reconciler (runSync: same plan, apply and manifest as sync). The session is
// deleted at the end, also after Ctrl-C or a failure. Everything it has to say is a typed event (pick-events.ts).
import { NO_FILTER } from '../core/filters.js';
import type { GoogleApiClient } from '../google/api-client.js';
import { PickerSource } from '../sources/picker/picker-source.js';
import { PickerSessionApi } from '../sources/picker/session.js';
import type { SyncSummary } from './events.js';
import type { PickEvent } from './pick-events.js';
import { runSync, type SyncDeps, type SyncOptions, type SyncOutcome } from './sync-run.js';

export interface PickOptions extends Pick<SyncOptions, 'archiveDir' | 'dryRun' | 'layout' | 'tz' | 'xmp' | 'transfers'> {
  /** At most this many items (Google's cap, MAX_PICK, when left out). */
  max?: number;
  /** Give up waiting for the user sooner than Google would. */
  pollTimeoutMs?: number;
}

export interface PickDeps {
  /** A client signed in with the Picker scope. */
  client: GoogleApiClient;
  /** Picker API root without /v1. */
  baseUrl: string;
  /** For deleting the session (a plain DELETE with the current token). */
  accessToken: () => Promise<string>;
  /** Shows the link in a browser; resolves to a warning when it could not (the link is printed anyway). */
  openLink?: (uri: string) => Promise<string | undefined>;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  signal: AbortSignal;
  onEvent: (e: PickEvent) => void;
}

/** A pick of nothing ends with a summary of nothing done; it planned nothing. */
export type PickOutcome = SyncOutcome | { summary: SyncSummary; plan?: undefined };

export async function runPick(o: PickOptions, d: PickDeps): Promise<PickOutcome> {
  const api = new PickerSessionApi({ client: d.client, baseUrl: d.baseUrl, accessToken: d.accessToken });
  const counters: SyncDeps['counters'] = () => ({ ...d.client.counters });
  const { max, pollTimeoutMs, ...sync } = o;
  const session = await api.create(max, d.signal);
  let outcome: SyncOutcome | undefined;
  try {
    d.onEvent({ event: 'picker-session', sessionId: session.id, pickerUri: session.pickerUri });
    const warning = d.openLink === undefined ? undefined : await d.openLink(session.pickerUri);
    if (warning !== undefined) d.onEvent({ event: 'warning', message: warning });
    d.onEvent({ event: 'picker-waiting' });
    await api.waitForPicking(session, {
      sleep: d.sleep,
      now: () => d.now().getTime(),
      signal: d.signal,
      ...(pollTimeoutMs === undefined ? {} : { pollTimeoutMs }),
    });
    const source = new PickerSource({ client: d.client, baseUrl: d.baseUrl, sessionId: session.id });
    const picked = await source.load((info) => d.onEvent({ event: 'listing', items: info.items, pages: info.pages }), d.signal);
    if (picked.length === 0) d.onEvent({ event: 'picker', message: 'You picked nothing; nothing changed.' });
    else {
      outcome = await runSync(
        { ...sync, filter: NO_FILTER, setMtime: true, force: false, command: 'pick' },
        { source, now: d.now, sleep: d.sleep, signal: d.signal, onEvent: d.onEvent, counters },
      );
    }
  } finally {
    // Google asks clients to delete sessions when done; a stale one counts against the user's open sessions.
    if (!(await api.delete(session.id))) d.onEvent({ event: 'warning', message: `Could not delete picking session ${session.id}; it expires on its own.` });
  }
  return outcome ?? { summary: nothingDone(o.dryRun, counters()) };
}

function nothingDone(dryRun: boolean, c: { apiCalls: number; byteCalls: number; retries: number }): SyncSummary {
  return {
    dryRun,
    listed: 0,
    downloaded: 0,
    bytes: 0,
    alreadyPresent: 0,
    restamped: 0,
    linked: 0,
    upgraded: 0,
    downgraded: 0,
    sameBytes: 0,
    annotated: 0,
    pendingVideos: 0,
    failed: 0,
    remaining: 0,
    drift: { remoteGone: 0, changedOnDisk: 0, ambiguous: 0, failedVideos: 0, originalMissing: 0 },
    apiCalls: c.apiCalls,
    byteCalls: c.byteCalls,
    retries: c.retries,
    elapsedMs: 0,
    failures: [],
  };
}
