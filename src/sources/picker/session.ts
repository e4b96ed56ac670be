// One picking session from the client's side (reference §2.6): create it, poll sessions.get at the server's
// pollInterval until the user presses Done (or timeoutIn / our own limit runs out), and delete it.
import { InterruptedError, RemoteError } from '../../errors.js';
import type { GoogleApiClient } from '../../google/api-client.js';
import type { WirePickingSession } from './wire.js';

/** Google's cap on items per session. */
export const MAX_PICK = 2000;
/** Used when the server sends no pollInterval (it always should while polling makes sense). */
const DEFAULT_POLL_MS = 5000;

export interface PickingSession {
  id: string;
  pickerUri: string;
  mediaItemsSet: boolean;
  pollIntervalMs?: number;
  timeoutInMs?: number;
  expireTime?: string;
}

export interface SessionApiOptions {
  client: GoogleApiClient;
  /** Picker API root without /v1. */
  baseUrl: string;
  /** For sessions.delete, which the retrying client does not offer: a plain DELETE with the current token. */
  accessToken: () => Promise<string>;
}

export interface WaitOptions {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  signal: AbortSignal;
  /** Our own limit on top of the server's timeoutIn, in ms. */
  pollTimeoutMs?: number;
  onPoll?: (s: PickingSession) => void;
}

/** "5s", "3.5s", "0.000000001s" → ms; undefined for anything else. */
export function parseDuration(text: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d{1,9})?)s$/.exec(text ?? '');
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1000;
}

function toSession(wire: WirePickingSession): PickingSession {
  if (typeof wire.id !== 'string' || wire.id === '' || typeof wire.pickerUri !== 'string') {
    throw new RemoteError('The Picker API sent a session without an id or pickerUri', { retryable: false });
  }
  const s: PickingSession = { id: wire.id, pickerUri: wire.pickerUri, mediaItemsSet: wire.mediaItemsSet === true };
  const poll = parseDuration(wire.pollingConfig?.pollInterval);
  const timeout = parseDuration(wire.pollingConfig?.timeoutIn);
  if (poll !== undefined) s.pollIntervalMs = poll;
  if (timeout !== undefined) s.timeoutInMs = timeout;
  if (typeof wire.expireTime === 'string') s.expireTime = wire.expireTime;
  return s;
}

/** Nothing was downloaded because the user did not finish picking in time. Exit code 4 (docs/pick.md). */
export function pickingTimedOut(why: 'timed out' | 'expired'): RemoteError {
  return new RemoteError(`the picking session ${why}; nothing changed`, {
    retryable: false,
    hint: 'Run `gphotos pick` again and press Done in Google Photos sooner (or raise --poll-timeout).',
  });
}

export class PickerSessionApi {
  readonly #o: SessionApiOptions;

  constructor(o: SessionApiOptions) {
    this.#o = o;
  }

  async create(maxItemCount: number | undefined, signal?: AbortSignal): Promise<PickingSession> {
    const body = maxItemCount === undefined ? {} : { pickingConfig: { maxItemCount: String(maxItemCount) } };
    return toSession(await this.#o.client.postJson<WirePickingSession>(`${this.#o.baseUrl}/v1/sessions`, body, signal === undefined ? {} : { signal }));
  }

  async get(id: string, signal?: AbortSignal): Promise<PickingSession> {
    try {
      return toSession(await this.#o.client.getJson<WirePickingSession>(`${this.#o.baseUrl}/v1/sessions/${encodeURIComponent(id)}`, signal === undefined ? {} : { signal }));
    } catch (e) {
      // PERMISSION_DENIED: "exists but access has expired" (reference §2.1).
      if (e instanceof RemoteError && e.status === 403) throw pickingTimedOut('expired');
      throw e;
    }
  }

  /** Best effort with a short timeout: it runs in `finally`, also after Ctrl-C, and must not hang the exit. */
  async delete(id: string): Promise<boolean> {
    try {
      const res = await fetch(`${this.#o.baseUrl}/v1/sessions/${encodeURIComponent(id)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${await this.#o.accessToken()}` },
        signal: AbortSignal.timeout(10_000),
      });
      await res.text();
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Polls until the user is done; throws pickingTimedOut() when the server's or our time runs out. */
  async waitForPicking(first: PickingSession, w: WaitOptions): Promise<PickingSession> {
    const started = w.now();
    const ours = w.pollTimeoutMs === undefined ? Infinity : started + w.pollTimeoutMs;
    let s = first;
    for (;;) {
      if (s.mediaItemsSet) return s;
      // timeoutIn counts down on the server; "0s" means stop polling.
      const theirs = s.timeoutInMs === undefined ? Infinity : w.now() + s.timeoutInMs;
      const deadline = Math.min(ours, theirs);
      const now = w.now();
      if (now >= deadline) throw pickingTimedOut('timed out');
      await w.sleep(Math.min(s.pollIntervalMs ?? DEFAULT_POLL_MS, deadline - now));
      if (w.signal.aborted) throw new InterruptedError();
      s = await this.get(s.id, w.signal);
      w.onPoll?.(s);
    }
  }
}
