// HTTP plumbing shared by every emulated Google API (Library now, Picker later): google.rpc error
// envelopes, JSON replies and body reading.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** google.rpc.Code names and their HTTP mapping (google/rpc/code.proto). */
export const RPC_CODES = {
  INVALID_ARGUMENT: { http: 400, code: 3 },
  FAILED_PRECONDITION: { http: 400, code: 9 },
  OUT_OF_RANGE: { http: 400, code: 11 },
  UNAUTHENTICATED: { http: 401, code: 16 },
  PERMISSION_DENIED: { http: 403, code: 7 },
  NOT_FOUND: { http: 404, code: 5 },
  ALREADY_EXISTS: { http: 409, code: 6 },
  RESOURCE_EXHAUSTED: { http: 429, code: 8 },
  INTERNAL: { http: 500, code: 13 },
  UNAVAILABLE: { http: 503, code: 14 },
} as const;
export type RpcStatus = keyof typeof RPC_CODES;

/** A request the handler refuses; the server turns it into the google.rpc envelope. */
export class RpcError extends Error {
  constructor(
    readonly status: RpcStatus,
    message: string,
    readonly details?: unknown[],
    readonly headers: Record<string, string> = {},
    /** The legacy `errors` list some Google errors still carry next to `status`. */
    readonly legacyErrors?: unknown[],
  ) {
    super(message);
  }
}

export function rpcBody(status: RpcStatus, message: string, details?: unknown[], legacyErrors?: unknown[]): object {
  const error: Record<string, unknown> = { code: RPC_CODES[status].http, message };
  if (legacyErrors) error['errors'] = legacyErrors;
  error['status'] = status;
  if (details && details.length > 0) error['details'] = details;
  return { error };
}

export function sendJson(res: ServerResponse, httpStatus: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(httpStatus, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendRpcError(res: ServerResponse, err: RpcError): void {
  sendJson(res, RPC_CODES[err.status].http, rpcBody(err.status, err.message, err.details, err.legacyErrors), err.headers);
}

export function sendText(res: ServerResponse, httpStatus: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(httpStatus, {
    'content-type': 'text/plain; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

const MAX_BODY = 1 << 20;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new RpcError('INVALID_ARGUMENT', 'Request payload too large.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Query parameters every discovery-based Google API accepts; they never make a request invalid. */
export const STANDARD_QUERY_PARAMS = new Set([
  '$.xgafv', 'access_token', 'alt', 'callback', 'fields', 'key', 'oauth_token', 'prettyPrint', 'quotaUser',
  'uploadType', 'upload_protocol',
]);

/** Google rejects unknown query parameters; doing the same catches client typos early. */
export function checkQueryParams(query: URLSearchParams, allowed: readonly string[]): void {
  for (const name of query.keys()) {
    if (!STANDARD_QUERY_PARAMS.has(name) && !allowed.includes(name)) {
      throw new RpcError('INVALID_ARGUMENT', `Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`);
    }
  }
}

/** int32 query/body values as Google parses them: absent → undefined, garbage → INVALID_ARGUMENT. */
export function parseInt32(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n > 2147483647 || n < -2147483648) {
    throw new RpcError('INVALID_ARGUMENT', `Invalid value at '${field}' (TYPE_INT32), ${JSON.stringify(value)}`);
  }
  return n;
}

/** Google's page-size handling: 0/absent → default, above max → max, negative → INVALID_ARGUMENT. */
export function pageSizeOf(value: unknown, field: string, def: number, max: number): number {
  const n = parseInt32(value, field);
  if (n === undefined || n === 0) return def;
  if (n < 0) throw new RpcError('INVALID_ARGUMENT', `Invalid ${field}: must not be negative.`);
  return Math.min(n, max);
}
