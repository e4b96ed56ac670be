// The HTTP client for Google's APIs and byte host: bearer token, retry with backoff (Retry-After aware),
// one token refresh on 401, error mapping, and counters. Sources build URLs; this file only moves bytes.
import { InterruptedError, RemoteError, isGphotosError } from '../errors.js';
import type { GphotosError } from '../errors.js';
import { nextDelayMs } from './backoff.js';
import { guardBody } from './byte-stream.js';
import { redactUrl } from './redact-url.js';
import { parseRetryAfter } from './retry-after.js';
import { classifyApiError, classifyBytesError } from './rpc-error.js';
import { sleep as defaultSleep } from './sleep.js';
import type { TokenProvider } from './token-provider.js';

export interface RetryInfo {
  /** Request path without query; opaque baseUrl segments shortened. */
  path: string;
  /** HTTP status, or undefined for a network error. */
  status?: number;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
}

export interface GoogleApiClientOptions {
  tokens: TokenProvider;
  /** Retries after the first attempt. Default 6. */
  maxRetries?: number;
  /** Default 500 ms. */
  baseDelayMs?: number;
  /** Default 30 s (a server's Retry-After may ask for more, and gets it). */
  maxDelayMs?: number;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Clock for Retry-After HTTP dates. */
  now?: () => number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface FetchBytesOptions {
  /** Send the Authorization header (Picker baseUrls need it; Library baseUrls don't). */
  bearer?: boolean;
  signal?: AbortSignal;
}

export interface FetchedBytes {
  status: number;
  body: AsyncIterable<Uint8Array>;
  contentLength?: number;
}

export interface ClientCounters {
  /** API requests sent, retries included (each one counts against Google's daily quota). */
  apiCalls: number;
  /** Byte-host requests sent, retries included. */
  byteCalls: number;
  retries: number;
}

interface Request<T> {
  method: 'GET' | 'POST';
  url: string;
  kind: 'api' | 'bytes';
  bearer: boolean;
  body?: string;
  signal: AbortSignal | undefined;
  /** Turns a 2xx response into the result; a throw that is not a GphotosError is retried as a network error. */
  read: (res: Response, signal: AbortSignal | undefined) => Promise<T>;
}

export class GoogleApiClient {
  readonly counters: ClientCounters = { apiCalls: 0, byteCalls: 0, retries: 0 };
  readonly #tokens: TokenProvider;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #signal: AbortSignal | undefined;
  readonly #onRetry: ((info: RetryInfo) => void) | undefined;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(opts: GoogleApiClientOptions) {
    this.#tokens = opts.tokens;
    this.#maxRetries = opts.maxRetries ?? 6;
    this.#baseDelayMs = opts.baseDelayMs ?? 500;
    this.#maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.#signal = opts.signal;
    this.#onRetry = opts.onRetry;
    this.#sleep = opts.sleep ?? defaultSleep;
    this.#random = opts.random ?? Math.random;
    this.#now = opts.now ?? Date.now;
  }

  getJson<T>(url: string, init: RequestOptions = {}): Promise<T> {
    return this.#send<T>({ method: 'GET', url, kind: 'api', bearer: true, signal: init.signal, read: readJson });
  }

  postJson<T>(url: string, body: unknown, init: RequestOptions = {}): Promise<T> {
    return this.#send<T>({
      method: 'POST',
      url,
      kind: 'api',
      bearer: true,
      body: JSON.stringify(body),
      signal: init.signal,
      read: readJson,
    });
  }

  /**
   * GET a download. Only the request and the response head are retried: once the body streams, a break
   * surfaces as a retryable RemoteError from the iterator and the caller restarts the item.
   */
  fetchBytes(url: string, opts: FetchBytesOptions = {}): Promise<FetchedBytes> {
    const label = redactUrl(url);
    return this.#send<FetchedBytes>({
      method: 'GET',
      url,
      kind: 'bytes',
      bearer: opts.bearer ?? false,
      signal: opts.signal,
      read: (res, signal) => {
        const contentLength = parseContentLength(res.headers.get('content-length'));
        const body = guardBody(res.body, { label, contentLength, signal });
        return Promise.resolve(
          contentLength === undefined ? { status: res.status, body } : { status: res.status, body, contentLength },
        );
      },
    });
  }

  async #send<T>(req: Request<T>): Promise<T> {
    const signal = combineSignals(this.#signal, req.signal);
    const label = redactUrl(req.url);
    const what = `${req.method} ${label}`;
    let refreshedToken: string | undefined;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new InterruptedError();
      let failure: { error: GphotosError; status?: number; retryAfterMs?: number };
      try {
        const headers: Record<string, string> = {};
        if (req.bearer) headers.authorization = `Bearer ${refreshedToken ?? (await this.#tokens.getAccessToken())}`;
        if (req.body !== undefined) headers['content-type'] = 'application/json';
        if (req.kind === 'api') this.counters.apiCalls++;
        else this.counters.byteCalls++;
        const res = await fetch(req.url, {
          method: req.method,
          headers,
          ...(req.body === undefined ? {} : { body: req.body }),
          ...(signal === undefined ? {} : { signal }),
        });
        if (res.ok) return await req.read(res, signal);
        const text = await res.text().catch(() => '');
        if (res.status === 401 && req.bearer && refreshedToken === undefined) {
          // One refresh per request: a token that expired mid-run is normal; a second 401 is not.
          refreshedToken = await this.#tokens.refreshAccessToken();
          this.counters.retries++;
          continue;
        }
        const retryAfter = res.headers.get('retry-after');
        const error =
          req.kind === 'api'
            ? classifyApiError(res.status, text, what)
            : classifyBytesError(res.status, text, what, retryAfter !== null);
        if (!(error instanceof RemoteError) || !error.retryable) throw error;
        const retryAfterMs = parseRetryAfter(retryAfter, this.#now());
        failure = retryAfterMs === undefined ? { error, status: res.status } : { error, status: res.status, retryAfterMs };
      } catch (e) {
        if (signal?.aborted) throw new InterruptedError();
        if (isGphotosError(e)) throw e;
        failure = { error: new RemoteError(`${what}: ${networkReason(e)}`, { retryable: true, cause: e }) };
      }
      if (attempt >= this.#maxRetries) throw failure.error;
      const delayMs = nextDelayMs(
        attempt + 1,
        failure.retryAfterMs === undefined
          ? { baseMs: this.#baseDelayMs, maxMs: this.#maxDelayMs }
          : { baseMs: this.#baseDelayMs, maxMs: this.#maxDelayMs, retryAfterMs: failure.retryAfterMs },
        this.#random,
      );
      this.counters.retries++;
      this.#onRetry?.(
        failure.status === undefined
          ? { path: label, attempt: attempt + 1, delayMs }
          : { path: label, status: failure.status, attempt: attempt + 1, delayMs },
      );
      await this.#sleep(delayMs, signal);
    }
  }
}

async function readJson<T>(res: Response): Promise<T> {
  // A body that breaks while reading throws here and is retried like any network error.
  const text = await res.text();
  if (text.trim() === '') return {} as T;
  return JSON.parse(text) as T;
}

function parseContentLength(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

function combineSignals(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return AbortSignal.any([a, b]);
}

/** 'ECONNRESET', 'socket hang up', …: undici wraps the socket error as `cause` of "fetch failed". */
function networkReason(e: unknown): string {
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return `network error ${cause.code}`;
  if (cause && typeof cause.message === 'string') return `network error: ${cause.message}`;
  return e instanceof Error ? `network error: ${e.message}` : 'network error';
}
