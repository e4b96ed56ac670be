// What `gphotos pick` says besides a sync's events: the picking session's link, the wait for the user, and plain
// notes. The CLI renders each kind as text or NDJSON, like the sync events it shares a stream with.
import type { SyncEvent } from './events.js';

export type PickerEvent =
  | { event: 'picker-session'; sessionId: string; pickerUri: string }
  /** The link is out (and a browser asked to open it): now the user picks. A prompt for a person; --json leaves it out. */
  | { event: 'picker-waiting' }
  | { event: 'picker'; message: string };

export type PickEvent = SyncEvent | PickerEvent;
