// --json: one JSON object per line (NDJSON). Every line of every command is written by jsonLine, so each carries
// the schema version first: {"v":1,"event":...}. docs/json.md documents the events, docs/json-schema.json is the
// schema test/cli/json-schema*.test.ts holds every line to. Additive changes keep the version; renaming or
// removing a field or an event, or changing a field's type, bumps it.
import type { ImportEvent } from '../../engine/import-events.js';
import type { PickEvent } from '../../engine/pick-events.js';
import type { WatchEvent } from '../../watch/events.js';

export const JSON_VERSION = 1;

/** The last line of a command that ends with an error under --json (stderr still has the message). */
export interface ErrorEvent {
  event: 'error';
  kind: string;
  message: string;
  hint?: string;
  exitCode?: number;
}

export function jsonLine<E extends { event: string }>(e: E): string {
  return JSON.stringify({ v: JSON_VERSION, ...e }) + '\n';
}

/**
 * Events the text output shows and --json leaves out: byte ticks would flood the stream ('downloaded' and
 * 'imported' events carry each file's size), and pick's "waiting for you" is a prompt for a person.
 */
export type NotInJson = 'progress' | 'picker-waiting';
const NOT_IN_JSON: ReadonlySet<string> = new Set<NotInJson>(['progress', 'picker-waiting']);

function dropTextOnly<E extends { event: string }>(write: (line: string) => void): (e: E) => void {
  return (e) => {
    if (!NOT_IN_JSON.has(e.event)) write(jsonLine(e));
  };
}

/** The stream of sync and pick (sync's events are pick's too). */
export function createJsonRenderer(write: (line: string) => void): (e: PickEvent | ErrorEvent) => void {
  return dropTextOnly(write);
}

export function createImportJsonRenderer(write: (line: string) => void): (e: ImportEvent | ErrorEvent) => void {
  return dropTextOnly(write);
}

/** Watch runs for months under journald or a pipe: each line also says when it happened. */
export function createWatchJsonRenderer(write: (line: string) => void, now: () => Date = () => new Date()): (e: WatchEvent) => void {
  return (e) => write(jsonLine({ ...e, at: now().toISOString() }));
}

/** Did the command line ask for --json (before a `--`)? Decides how main.ts reports an error. */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--json' || a === '--json=true');
}
