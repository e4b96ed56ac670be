// The loopback redirect target of the desktop OAuth flow (RFC 8252 §7.3): a one-shot HTTP server on 127.0.0.1
// that waits for Google to send the browser back with ?code=…&state=….
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalError } from '../errors.js';
import { AuthFlowError, PortInUseError } from './errors.js';

export interface LoopbackOptions {
  /** 0 (default) lets the system pick a free port. */
  port?: number;
  /** The state we put in the auth URL; a callback with any other state is refused. */
  state: string;
  /** How long to wait for the browser to come back. */
  timeoutMs: number;
}

export interface Loopback {
  readonly port: number;
  /** `http://127.0.0.1:PORT`: what the auth URL and the code exchange must both name. */
  readonly redirectUri: string;
  /** The authorization code of the one valid callback; rejects on denial, state mismatch or timeout. */
  waitForCode(): Promise<string>;
  close(): Promise<void>;
}

type Outcome = { code: string } | { error: Error };

export async function startLoopback(opts: LoopbackOptions): Promise<Loopback> {
  const port = opts.port ?? 0;
  // `accepted`: a terminal callback (or the timeout) has been taken, later callbacks get "already finished".
  // `settled`: the promise has its outcome; that happens once the browser's page is out (see settleAfter).
  let accepted = false;
  let settled = false;
  let resolveCode!: (code: string) => void;
  let rejectCode!: (e: Error) => void;
  const codePromise = new Promise<string>((res, rej) => {
    resolveCode = res;
    rejectCode = rej;
  });
  // The caller may not be awaiting yet when a failure arrives; it still sees it from waitForCode().
  codePromise.catch(() => undefined);

  const settle = (outcome: Outcome): void => {
    accepted = true;
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if ('code' in outcome) resolveCode(outcome.code);
    else rejectCode(outcome.error);
  };

  const timer = setTimeout(() => {
    settle({
      error: new AuthFlowError('login-timeout', `No answer from the browser within ${Math.round(opts.timeoutMs / 1000)} s.`, {
        hint: 'Run `gphotos auth login` again and finish signing in in the browser (use --no-browser and open the printed URL yourself if no browser opened).',
      }),
    });
  }, opts.timeoutMs);
  timer.unref();

  const server = createServer((req, res) => handle(req, res));

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/') return reply(res, 404, 'Not found', 'This is the gphotos sign-in helper.');
    if (accepted) return reply(res, 410, 'Already finished', 'This sign-in has already finished. You can close this window.');
    const q = url.searchParams;
    const code = q.get('code');
    const error = q.get('error');
    if (code === null && error === null) {
      // Not a callback (a prefetch, a curious user): keep waiting for the real one.
      return reply(res, 400, 'Not a sign-in callback', 'gphotos is waiting for Google to send you back here.');
    }
    if (q.get('state') !== opts.state) {
      reply(res, 400, 'Sign-in refused', 'This sign-in link does not belong to the running gphotos login (state mismatch). Close this window and run `gphotos auth login` again.');
      return settleAfter(res, {
        error: new AuthFlowError('state-mismatch', 'The browser came back with a different OAuth state than this login sent, so the callback was refused (a stale tab or a forged request).', {
          hint: 'Run `gphotos auth login` again and finish it in the tab it opens.',
        }),
      });
    }
    if (error !== null) {
      const denied = error === 'access_denied';
      reply(res, 200, denied ? 'Access not granted' : 'Sign-in failed', denied ? 'You did not grant gphotos access. You can close this window.' : 'Google reported an error. You can close this window; the terminal says more.');
      return settleAfter(res, {
        error: denied
          ? new AuthFlowError('consent-denied', 'Consent was denied on Google\'s consent screen, so gphotos got no access.', {
              hint: 'Run `gphotos auth login` again and click Allow (keep both Google Photos boxes ticked).',
            })
          : new AuthFlowError('oauth-error', `Google's consent screen returned an error (${/^[\w.-]{1,64}$/.test(error) ? error : 'unrecognised'}).`),
      });
    }
    reply(res, 200, 'Signed in', 'gphotos is signed in. You can close this window and return to the terminal.');
    settleAfter(res, { code: code ?? '' });
  }

  // Settle once the page has been handed to the socket, so closing the server cannot cut the browser's answer.
  function settleAfter(res: ServerResponse, outcome: Outcome): void {
    accepted = true;
    res.once('finish', () => settle(outcome));
    res.once('close', () => settle(outcome));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'EADDRINUSE') reject(new PortInUseError(port));
      else reject(new LocalError(`Cannot listen on 127.0.0.1:${port} for the login callback (${e.code ?? e.message}).`));
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;


  return {
    port: actualPort,
    redirectUri: `http://127.0.0.1:${actualPort}`,
    waitForCode: () => codePromise,
    close: async () => {
      settle({ error: new AuthFlowError('login-timeout', 'The login was stopped before the browser came back.') });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Browsers keep connections alive; drop idle ones now and any straggler shortly after.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
    },
  };
}

function reply(res: ServerResponse, status: number, title: string, text: string): void {
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>gphotos: ${esc(title)}</title></head><body style="font-family:sans-serif;margin:3em"><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(body);
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
