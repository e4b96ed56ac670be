// Page tokens are random handles to server-side cursors, so they are opaque and unforgeable. A cursor
// remembers the last item sent (not an offset), so paging stays exact while items are added or removed.
import { randomBytes } from 'node:crypto';
import { RpcError } from './rpc.js';

export interface Cursor {
  /** Which listing and which query the token belongs to; a token only works for the same request. */
  query: string;
  /** Position after which the next page starts. */
  after: number;
  /** Key of the last element sent, to re-find the position if the list changed. */
  lastKey: string;
  /** The last element itself, to resume by order when it has since been removed. */
  last: unknown;
  clientId: string;
}

const MAX_TOKENS = 100_000;

export class PageTokens {
  private readonly cursors = new Map<string, Cursor>();

  issue(cursor: Cursor): string {
    const token = randomBytes(24).toString('base64url');
    this.cursors.set(token, cursor);
    if (this.cursors.size > MAX_TOKENS) {
      const oldest = this.cursors.keys().next().value;
      if (oldest !== undefined) this.cursors.delete(oldest);
    }
    return token;
  }

  resolve(token: string, query: string, clientId: string): Cursor {
    const cursor = this.cursors.get(token);
    if (!cursor || cursor.query !== query || cursor.clientId !== clientId) {
      throw new RpcError('INVALID_ARGUMENT', 'Invalid page token.');
    }
    return cursor;
  }
}

/**
 * One page of `all` (sorted the same way on every call), given an optional cursor.
 * `keyOf` identifies elements; `compare` is the list's order, used to resume after a removed element.
 */
export function paginate<T>(
  all: readonly T[],
  pageSize: number,
  cursor: Cursor | undefined,
  keyOf: (t: T) => string,
  pageTokens: PageTokens,
  query: string,
  clientId: string,
  compare?: (a: T, b: T) => number,
): { page: T[]; nextPageToken?: string } {
  let start = 0;
  const at = cursor ? all[cursor.after - 1] : undefined;
  if (cursor && at !== undefined && keyOf(at) === cursor.lastKey) {
    // The usual case: the list is unchanged before the cursor, so the page starts right there (O(page)).
    start = cursor.after;
  } else if (cursor) {
    const idx = all.findIndex((t) => keyOf(t) === cursor.lastKey);
    if (idx >= 0) start = idx + 1;
    else if (compare) {
      // The last element sent has been removed since: resume at the first element ordered after it.
      const after = all.findIndex((t) => compare(t, cursor.last as T) > 0);
      start = after >= 0 ? after : all.length;
    } else start = Math.max(0, Math.min(cursor.after - 1, all.length));
  }
  const page = all.slice(start, start + pageSize);
  const end = start + page.length;
  const last = page[page.length - 1];
  if (end >= all.length || !last) return { page };
  return { page, nextPageToken: pageTokens.issue({ query, after: end, lastKey: keyOf(last), last, clientId }) };
}
