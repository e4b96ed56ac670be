// Reading manifest.json in pieces. At 100k items the file is ~57 MB: read whole, its Buffer stayed alive (as
// external memory, just under V8's 64 MB nudge to collect it) through the whole listing of a sync and was that
// sync's peak memory. Here a window of ~1 MB slides over the file and each item is JSON.parse'd on its own, so
// nothing of the file's size is ever held but the items themselves.
//
// Only the shape gphotos writes is read this way: `{"schema":..,"createdAt":..,"items":{..},"sources":{..},"checksum":..}`
// with schema and createdAt before items, every item valid. Anything else (a damaged file, another key order,
// a `__proto__` key, a newer schema) is read again whole by parseManifestFile, so results and error messages are
// exactly those of JSON.parse plus checkManifest.
import type { FileHandle } from 'node:fs/promises';
import type { ManifestItem } from '../core/types.js';
import { LocalError, isGphotosError, messageOf } from '../errors.js';
import type { ManifestFile } from './manifest-format.js';
import { LEGACY_SCHEMA, ManifestChecksum, SCHEMA, itemProblem, metaProblem, parseManifestFile } from './manifest-format.js';
import { openForRead, readRegularFile } from './state-files.js';

export type ManifestHead = Omit<ManifestFile, 'items'>;

/** manifest.json as the store needs it: items in file order (a key listed twice: the later one wins). */
export interface ManifestContents {
  head: ManifestHead;
  items: ManifestItem[];
}

const WINDOW_BYTES = 1 << 20;

/** The manifest at `file`, or null when there is none. Throws LocalError when it cannot be read or is damaged. */
export async function readManifest(file: string, archiveDir: string, windowBytes = WINDOW_BYTES): Promise<ManifestContents | null> {
  // Never through a symlink, never blocking on a FIFO: .gphotos/ is not trusted (state-files.ts).
  const fh: FileHandle | undefined = await openForRead(file);
  if (fh === undefined) return null;
  let streamed: ManifestContents | undefined;
  try {
    streamed = await readPieces(fh, Math.max(16, windowBytes));
  } catch (e) {
    throw cannotRead(file, e);
  } finally {
    await fh.close();
  }
  if (streamed !== undefined) return streamed;

  const whole = await readRegularFile(file);
  if (whole === undefined) return null;
  const text = whole.data.toString('utf8');
  const data = parseManifestFile(text, file, archiveDir);
  return { head: { schema: data.schema, createdAt: data.createdAt, sources: data.sources }, items: Object.values(data.items) };
}

function cannotRead(file: string, e: unknown): LocalError {
  if (isGphotosError(e) && e instanceof LocalError) return e;
  return new LocalError(`Cannot read ${file}: ${messageOf(e)}`, { path: file, cause: e });
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
/** A token runs past the bytes read so far. */
const NEED = -1;
/** The streaming reader leaves this file to the whole-text path. */
const GIVE_UP = -2;
/** Nothing but white space followed the object. */
const DONE = -3;

function isWs(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function skipWs(buf: Buffer, i: number, limit: number): number {
  while (i < limit && isWs(buf[i])) i++;
  return i;
}

/** Index just past the string whose quote is at `i`, or NEED. */
function stringEnd(buf: Buffer, i: number, limit: number): number {
  for (let j = i + 1; j < limit; j++) {
    const b = buf[j];
    if (b === BACKSLASH) j++;
    else if (b === QUOTE) return j + 1;
  }
  return NEED;
}

/** Index just past the JSON value at `i` (delimited, not validated: JSON.parse does that), or NEED. */
function valueEnd(buf: Buffer, i: number, limit: number, eof: boolean): number {
  const first = buf[i];
  if (first === QUOTE) return stringEnd(buf, i, limit);
  if (first === OPEN || first === 0x5b) {
    let depth = 0;
    for (let j = i; j < limit; j++) {
      const b = buf[j];
      if (b === QUOTE) {
        const end = stringEnd(buf, j, limit);
        if (end === NEED) return NEED;
        j = end - 1;
      } else if (b === OPEN || b === 0x5b) depth++;
      else if (b === CLOSE || b === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return NEED;
  }
  let j = i;
  while (j < limit && buf[j] !== COMMA && buf[j] !== CLOSE && buf[j] !== 0x5d && !isWs(buf[j])) j++;
  // A number may go on in the next piece.
  return j === limit && !eof ? NEED : j;
}

function parseSlice(buf: Buffer, start: number, end: number): unknown {
  return JSON.parse(buf.toString('utf8', start, end));
}

type State = 'open' | 'member' | 'afterMember' | 'itemsFirst' | 'item' | 'afterItem' | 'tail';

/**
 * Reads `fh` through a sliding window. Each step consumes one token or member from `at` and returns the index
 * after it, NEED when the window ends first, GIVE_UP or DONE.
 */
async function readPieces(fh: FileHandle, windowBytes: number): Promise<ManifestContents | undefined> {
  const head: Record<string, unknown> = {};
  const items: ManifestItem[] = [];
  let state: State = 'open';
  let sawItems = false;
  // Over the raw members: for the canonical text gphotos writes they are the canonical JSON the checksum is
  // defined on; for any other text a mismatch hands the file to parseManifestFile, which decides.
  let sum: ManifestChecksum | undefined;
  let sourcesRaw: Buffer | undefined;

  const step = (buf: Buffer, at: number, limit: number, eof: boolean): number => {
    const i = skipWs(buf, at, limit);
    if (i === limit) return eof && state === 'tail' ? DONE : NEED;
    const b = buf[i];
    switch (state) {
      case 'open':
        if (b !== OPEN) return GIVE_UP;
        state = 'member';
        return i + 1;
      case 'member':
      case 'item': {
        if (b !== QUOTE) return GIVE_UP;
        const keyEnd = stringEnd(buf, i, limit);
        if (keyEnd === NEED) return NEED;
        const colon = skipWs(buf, keyEnd, limit);
        if (colon === limit) return NEED;
        if (buf[colon] !== COLON) return GIVE_UP;
        const start = skipWs(buf, colon + 1, limit);
        if (start === limit) return NEED;
        const key = parseSlice(buf, i, keyEnd) as string;
        // JSON.parse gives an own '__proto__' member; leave that to it.
        if (key === '__proto__') return GIVE_UP;
        if (state === 'member' && key === 'items') {
          // Items are checked against the schema, so it must come first (and items only once).
          if (sawItems || (head.schema !== SCHEMA && head.schema !== LEGACY_SCHEMA) || typeof head.createdAt !== 'string' || buf[start] !== OPEN) return GIVE_UP;
          sawItems = true;
          sum = new ManifestChecksum(head.createdAt);
          state = 'itemsFirst';
          return start + 1;
        }
        const end = valueEnd(buf, start, limit, eof);
        if (end === NEED) return NEED;
        const value = parseSlice(buf, start, end);
        if (state === 'item') {
          if (itemProblem(value) !== undefined || (value as ManifestItem).key !== key) return GIVE_UP;
          items.push(value as ManifestItem);
          sum?.item(buf.subarray(i, end));
          state = 'afterItem';
        } else {
          if (Object.hasOwn(head, key)) return GIVE_UP;
          head[key] = value;
          if (key === 'sources') sourcesRaw = Buffer.from(buf.subarray(start, end));
          state = 'afterMember';
        }
        return end;
      }
      case 'itemsFirst':
        if (b === CLOSE) {
          state = 'afterMember';
          return i + 1;
        }
        state = 'item';
        return i;
      case 'afterItem':
      case 'afterMember': {
        const inItems = state === 'afterItem';
        if (b === COMMA) state = inItems ? 'item' : 'member';
        else if (b === CLOSE) state = inItems ? 'afterMember' : 'tail';
        else return GIVE_UP;
        return i + 1;
      }
      case 'tail':
        return GIVE_UP; // anything but white space after the object
    }
  };

  let buf = Buffer.allocUnsafe(windowBytes);
  let at = 0;
  let limit = 0;
  let eof = false;
  for (;;) {
    let next: number;
    try {
      next = step(buf, at, limit, eof);
    } catch {
      return undefined; // JSON.parse refused a piece
    }
    if (next === GIVE_UP) return undefined;
    if (next === DONE) break;
    if (next !== NEED) {
      at = next;
      continue;
    }
    if (eof) return undefined; // the file ends inside a token
    // Keep the unread part, make room (a piece larger than the window doubles it), read on.
    buf.copy(buf, 0, at, limit);
    limit -= at;
    at = 0;
    if (limit === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, limit);
      buf = bigger;
    }
    const { bytesRead } = await fh.read(buf, limit, buf.length - limit, null);
    if (bytesRead === 0) eof = true;
    limit += bytesRead;
  }

  if (!sawItems || typeof head.sources !== 'object' || head.sources === null || Array.isArray(head.sources)) return undefined;
  const sources = head.sources as Record<string, unknown>;
  for (const source of Object.keys(sources)) if (metaProblem(sources[source]) !== undefined) return undefined;
  if (head.schema === LEGACY_SCHEMA ? head.checksum !== undefined : head.checksum !== sum?.digest(sourcesRaw ?? '')) return undefined;
  return { head: head as unknown as ManifestHead, items };
}
