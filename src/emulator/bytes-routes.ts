// The byte host standing in for lh3.googleusercontent.com. Errors are plain text like the real host,
// not google.rpc JSON. Choices where Google is undocumented:
// - expired baseUrl → 403; forged/unknown baseUrl → 404; item since removed → 404;
// - `=dv` on a video that is not READY → 404 with a body naming the status (retry after mediaItems.get says READY);
// - `=dv` on a photo → 400; unknown parameters → 400;
// - media-bytes daily quota → plain `429 Too Many Requests` without Retry-After (it lasts until the day resets).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext, Mount } from './context.js';
import { chance, countRoute } from './context.js';
import type { LibraryItem } from './library-data.js';
import type { Variant } from './media-store.js';
import { sendText } from './rpc.js';

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

const MAX_DIMENSION = 16383;
/** What a bare baseUrl (no parameters) serves: a preview-sized image. */
const DEFAULT_PREVIEW = 512;

/** Parses the part after '=' (e.g. 'd', 'dv', 'w200-h100-c', 'w200-h100-d'). */
export function parseVariant(params: string | undefined): Variant {
  if (params === undefined || params === '') return { kind: 'scaled', w: DEFAULT_PREVIEW, h: DEFAULT_PREVIEW, crop: false, keepExif: false };
  if (params === 'd') return { kind: 'download' };
  if (params === 'dv') return { kind: 'video' };
  let w: number | undefined;
  let h: number | undefined;
  let crop = false;
  let keepExif = false;
  for (const part of params.split('-')) {
    const dim = /^([wh])(\d{1,5})$/.exec(part);
    if (dim) {
      const n = Number(dim[2]);
      if (n < 0 || n > MAX_DIMENSION) throw new HttpError(400, `Size ${part} out of range [1, ${MAX_DIMENSION}].`);
      if (dim[1] === 'w') w = n;
      else h = n;
    } else if (part === 'c') crop = true;
    else if (part === 'd') keepExif = true;
    else throw new HttpError(400, `Unsupported baseUrl parameter "${part}".`);
  }
  if (w === undefined && h === undefined) throw new HttpError(400, `Unsupported baseUrl parameters "${params}".`);
  // A 0 or missing side means "no limit on that side".
  return { kind: 'scaled', w: w || MAX_DIMENSION, h: h || MAX_DIMENSION, crop, keepExif };
}

function resolveItem(ctx: EmulatorContext, token: string): LibraryItem {
  const check = ctx.baseUrls.verify(token);
  if (!check.ok) {
    if (check.reason === 'expired') throw new HttpError(403, 'This baseUrl has expired (they last 60 minutes). Fetch the media item again for a fresh baseUrl.');
    throw new HttpError(404, 'Not Found');
  }
  const item = ctx.itemById(check.itemId);
  if (!item) throw new HttpError(404, 'Not Found');
  return item;
}

function bytesFor(ctx: EmulatorContext, item: LibraryItem, variant: Variant): Buffer {
  if (variant.kind === 'video') {
    if (item.kind !== 'video') throw new HttpError(400, '=dv is only valid for videos; use =d for photos.');
    if (item.videoStatus !== 'READY') {
      throw new HttpError(404, `Video is not ready (status ${item.videoStatus ?? 'UNSPECIFIED'}); wait until mediaItems.get reports READY.`);
    }
  }
  return ctx.media.bytes(item, variant);
}

/** Range: bytes=a-b | a- | -n (one range). Undefined when absent or unparsable (serve it all). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Sends `body` honouring HEAD, Range and the reset/truncate fault knobs. */
export function sendBytes(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, body: Buffer, mimeType: string): void {
  const range = parseRange(req.headers.range, body.length);
  const headers: Record<string, string | number> = {
    'content-type': mimeType,
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=86400, no-transform',
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${body.length}`, 'content-length': 0 });
    res.end();
    return;
  }
  const slice = range ? body.subarray(range.start, range.end + 1) : body;
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${body.length}`;
  headers['content-length'] = slice.length;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const reset = chance(ctx, ctx.faults.rateReset);
  const truncate = !reset && chance(ctx, ctx.faults.rateTruncate);
  if ((reset || truncate) && slice.length > 1) {
    res.write(slice.subarray(0, Math.floor(slice.length / 2)), () => {
      const socket = res.socket;
      if (!socket) return;
      // Reset: abortive close (RST). Truncate: orderly close (FIN) after too few bytes.
      if (reset) socket.resetAndDestroy();
      else socket.end();
    });
    return;
  }
  res.end(slice);
}

export function bytesMount(ctx: EmulatorContext): Mount {
  return {
    prefix: '/lh',
    handle(req, res, path) {
      countRoute(ctx, 'bytes');
      try {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Method Not Allowed', { allow: 'GET, HEAD' });
        const m = /^\/lr\/([^=/]+)(?:=(.*))?$/.exec(path);
        if (!m?.[1]) throw new HttpError(404, 'Not Found');
        // The media-bytes budget counts every fetch (HEAD included), as the real quota does.
        if (ctx.counters.bytesToday >= ctx.quota.bytesPerDay) throw new HttpError(429, 'Too Many Requests');
        ctx.counters.bytesToday++;
        if (chance(ctx, ctx.faults.rate429)) throw new HttpError(429, 'Too Many Requests', { 'retry-after': String(ctx.faults.retryAfterSec) });
        if (chance(ctx, ctx.faults.rate5xx)) {
          throw ctx.random() < 0.5 ? new HttpError(500, 'Internal Server Error') : new HttpError(503, 'Service Unavailable');
        }
        const item = resolveItem(ctx, m[1]);
        const variant = parseVariant(m[2]);
        const body = bytesFor(ctx, item, variant);
        sendBytes(ctx, req, res, body, variant.kind === 'video' ? item.mimeType : 'image/jpeg');
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        sendText(res, err.status, `${err.status} ${err.message}\n`, err.headers);
      }
      return Promise.resolve();
    },
  };
}
