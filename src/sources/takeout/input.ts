// One Takeout input (a .zip, a .tgz or an extracted folder) as a list of entries whose bytes can be streamed.
// Memory stays bounded by the number of entries, never by their size: bodies are streams.

export interface Entry {
  /** Normalised '/'-path inside the input. */
  path: string;
  size: number;
  /** Stored size inside the archive (equals size for folders). */
  compressedSize: number;
  mtimeMs: number;
}

export type ProblemReason = 'unsafe-path' | 'bomb' | 'corrupt' | 'unreadable' | 'unsupported';

export interface InputProblem {
  input: string;
  entry?: string;
  reason: ProblemReason;
  detail: string;
}

export interface Limits {
  /** Largest entry accepted, in bytes. */
  maxEntryBytes: number;
  /** Largest accepted ratio of uncompressed to compressed size (for entries above 1 MiB). */
  maxRatio: number;
  /** Sidecars and album metadata larger than this are not JSON Google wrote. */
  maxJsonBytes: number;
}

export const DEFAULT_LIMITS: Limits = { maxEntryBytes: 64 * 2 ** 30, maxRatio: 200, maxJsonBytes: 1 << 20 };

export interface IndexResult {
  entries: Entry[];
  /** Bodies of the small .json entries, by entry path. */
  json: Map<string, string>;
  /** False when the input is damaged and only part of it could be listed. */
  complete: boolean;
  /** The first bytes of entries with no media or JSON extension, so media without one are known by content. */
  heads: Map<string, Uint8Array>;
  /** Entries listed but refused (unsafe name, bomb), so the catalog can account for them. */
  refused: RefusedEntry[];
}

export interface RefusedEntry {
  path: string;
  reason: ProblemReason;
  detail: string;
}

export interface StreamOptions {
  concurrency: number;
  /** Stop starting entries once aborted. */
  signal?: AbortSignal;
}

/** Named once, as every input's index() and stream() take them. */
export type OnProblem = (p: InputProblem) => void;
export type Visit = (entry: Entry, body: AsyncIterable<Uint8Array>) => Promise<void>;

export interface TakeoutInput {
  readonly label: string;
  readonly kind: 'zip' | 'tgz' | 'dir';
  /** Whether stream() may read several entries at once. */
  readonly parallel: boolean;
  /** List the entries and read the small JSON ones. */
  index(onProblem: OnProblem): Promise<IndexResult>;
  /**
   * Call `visit` with the body of every wanted entry; for a tgz in stream order, else up to `concurrency` at once.
   * A chunk of a body may be a view of a reused buffer, valid only until the next chunk is requested: copy to keep.
   */
  stream(wanted: ReadonlySet<string>, visit: Visit, onProblem: OnProblem, o: StreamOptions): Promise<void>;
  close(): Promise<void>;
}

/** The bomb check shared by every archive kind. */
export function bombProblem(e: Entry, limits: Limits): string | undefined {
  if (e.size > limits.maxEntryBytes) return `${e.size} bytes uncompressed is over the ${limits.maxEntryBytes}-byte cap`;
  if (e.size > 1 << 20 && e.size / Math.max(1, e.compressedSize) > limits.maxRatio) {
    return `compression ratio ${Math.round(e.size / Math.max(1, e.compressedSize))}:1 is over ${limits.maxRatio}:1`;
  }
  return undefined;
}

export async function readAllText(body: AsyncIterable<Uint8Array>, max: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let n = 0;
  for await (const c of body) {
    n += c.byteLength;
    if (n > max) throw new Error(`more than ${max} bytes`); // leaving the loop destroys the stream
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}
