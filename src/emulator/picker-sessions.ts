// Picking sessions and the "user" who picks in them. The emulator has no human, so the PickerKnobs play one:
// autoPick finishes every new session after a few polls, pickItems() finishes one session on demand.
import { randomUUID } from 'node:crypto';
import type { PickerKnobs, PickerSessionState } from './api.js';
import { opaqueId } from './prng.js';

export const DEFAULT_PICKER_KNOBS: PickerKnobs = {
  autoPick: null,
  pollsBeforeDone: 1,
  pollIntervalSec: 5,
  timeoutSec: 1800,
  sessionTtlSec: 3600,
  maxOpenSessions: 10,
};

/** Google's documented cap on items per session (and the default when 0 or unset). */
export const MAX_ITEM_COUNT = 2000;

export interface PickerSession {
  id: string;
  clientId: string;
  requestId?: string;
  createdAt: number;
  expiresAt: number;
  /** Polling stops being useful at this instant (pollingConfig.timeoutIn counts down to it). */
  pollUntil: number;
  maxItemCount: number;
  /** Set when the user finishes picking; undefined until then. */
  picked?: string[];
  /** What autoPick will pick, once enough polls have happened. */
  pending?: string[];
  polls: number;
  deleted: boolean;
}

/** The Picker's id for a library item: stable across sessions, unrelated to the Library id. */
export function pickerIdOf(libraryId: string): string {
  return opaqueId('AByIYS', `picker-id:${libraryId}`, 86);
}

export class PickerSessions {
  private readonly sessions = new Map<string, PickerSession>();
  /** picker id -> library id, filled as items are picked. */
  private readonly libraryIds = new Map<string, string>();

  constructor(
    readonly knobs: PickerKnobs,
    private readonly now: () => number = Date.now,
  ) {}

  create(clientId: string, maxItemCount: number, requestId?: string): PickerSession {
    const t = this.now();
    const s: PickerSession = {
      id: randomUUID(),
      clientId,
      createdAt: t,
      expiresAt: t + this.knobs.sessionTtlSec * 1000,
      pollUntil: t + this.knobs.timeoutSec * 1000,
      maxItemCount,
      polls: 0,
      deleted: false,
    };
    if (requestId !== undefined) s.requestId = requestId;
    if (this.knobs.autoPick !== null) s.pending = [...this.knobs.autoPick];
    this.sessions.set(s.id, s);
    return s;
  }

  /** A live session of this client with this requestId (a retried create returns it instead of a new one). */
  byRequestId(clientId: string, requestId: string): PickerSession | undefined {
    return [...this.sessions.values()].find((s) => s.clientId === clientId && s.requestId === requestId && !s.deleted);
  }

  openCount(clientId: string): number {
    return [...this.sessions.values()].filter((s) => s.clientId === clientId && !s.deleted && !this.expired(s)).length;
  }

  /** The session as its owner sees it; undefined when unknown, deleted or someone else's. */
  find(clientId: string, id: string): PickerSession | undefined {
    const s = this.sessions.get(id);
    return s && !s.deleted && s.clientId === clientId ? s : undefined;
  }

  expired(s: PickerSession): boolean {
    return this.now() >= s.expiresAt;
  }

  /** One sessions.get: the autoPick user finishes after `pollsBeforeDone` polls have seen "not yet". */
  poll(s: PickerSession): void {
    s.polls++;
    if (s.picked === undefined && s.pending !== undefined && s.polls > this.knobs.pollsBeforeDone) this.finish(s, s.pending);
  }

  finish(s: PickerSession, libraryIds: readonly string[]): void {
    // The picker UI stops the user at maxItemCount.
    const picked = [...new Set(libraryIds)].slice(0, s.maxItemCount);
    for (const id of picked) this.libraryIds.set(pickerIdOf(id), id);
    s.picked = picked;
    delete s.pending;
  }

  pickById(sessionId: string, libraryIds: readonly string[]): void {
    const s = this.sessions.get(sessionId);
    if (!s || s.deleted) throw new Error(`No open picking session ${sessionId}`);
    this.finish(s, libraryIds);
  }

  delete(s: PickerSession): void {
    s.deleted = true;
  }

  libraryIdOf(pickerId: string): string | undefined {
    return this.libraryIds.get(pickerId);
  }

  states(): PickerSessionState[] {
    return [...this.sessions.values()].map((s) => ({
      id: s.id,
      clientId: s.clientId,
      maxItemCount: s.maxItemCount,
      picked: [...(s.picked ?? [])],
      mediaItemsSet: s.picked !== undefined,
      deleted: s.deleted,
      expired: this.expired(s),
      polls: s.polls,
    }));
  }
}
