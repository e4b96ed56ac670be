// rclone as a peer against the emulator (see shared/reference/rclone-peer.md, variant B):
// rclone's API root is hardcoded to https://photoslibrary.googleapis.com/v1, so we give it
//   - a throwaway test CA and a server certificate for Google's host names (openssl, in a temp dir),
//   - a TLS front on 127.0.0.1 that maps Host → emulator prefix (photoslibrary → /library, oauth2 → /oauth,
//     lh3 → /lh, accounts → /oauth) and reverse-proxies to the emulator's plain HTTP port,
//   - a CONNECT proxy (HTTPS_PROXY) that tunnels every CONNECT to that TLS front, whatever host was asked for.
// The emulator's baseUrls are http://127.0.0.1:PORT/lh/..., so byte downloads go straight to the emulator
// (Go never proxies loopback).
import { Agent, createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Emulator } from '../../src/emulator/api.js';
import { measure, type Measured } from './proc.js';

export const HOSTS = ['photoslibrary.googleapis.com', 'oauth2.googleapis.com', 'accounts.google.com', 'lh3.googleusercontent.com'] as const;
const PREFIX: Record<string, string> = {
  'photoslibrary.googleapis.com': '/library',
  'oauth2.googleapis.com': '/oauth',
  'accounts.google.com': '/oauth',
  'lh3.googleusercontent.com': '/lh',
};

export type RcloneAvailability = { ok: true; version: string; installed: boolean } | { ok: false; reason: string };

/** rclone on PATH, installing the Debian package when missing (needs root and a reachable archive). */
export async function ensureRclone(log: (s: string) => void = () => {}): Promise<RcloneAvailability> {
  const version = async (): Promise<string | undefined> => {
    const r = await execa('rclone', ['version'], { reject: false });
    return r.exitCode === 0 ? String(r.stdout).split('\n')[0] : undefined;
  };
  const have = await version();
  if (have !== undefined) return { ok: true, version: have, installed: false };
  log('rclone is not installed: apt-get update -qq && apt-get install -y -qq rclone');
  const apt = await execa('bash', ['-c', 'apt-get update -qq && apt-get install -y -qq rclone'], { reject: false, all: true });
  if (apt.exitCode !== 0) return { ok: false, reason: `apt-get failed (exit ${String(apt.exitCode)}): ${String(apt.all).slice(-400)}` };
  const now = await version();
  return now === undefined ? { ok: false, reason: 'rclone still not runnable after apt-get install' } : { ok: true, version: now, installed: true };
}

export interface Certs {
  caPem: string;
  keyPem: string;
  certPem: string;
}

/** A throwaway CA and a server certificate whose SAN covers Google's hosts, localhost and 127.0.0.1. */
export async function makeCerts(dir: string): Promise<Certs> {
  await mkdir(dir, { recursive: true });
  const ossl = (args: string[]) => execa('openssl', args, { cwd: dir });
  await ossl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=gphotos bench throwaway CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', 'ca.key', '-out', 'ca.pem']);
  await ossl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${HOSTS[0]}`, '-keyout', 'server.key', '-out', 'server.csr']);
  const san = [...HOSTS.map((h) => `DNS:${h}`), 'DNS:localhost', 'IP:127.0.0.1'].join(',');
  await writeFile(join(dir, 'san.ext'), `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
  await ossl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', 'san.ext', '-out', 'server.pem']);
  return { caPem: join(dir, 'ca.pem'), keyPem: join(dir, 'server.key'), certPem: join(dir, 'server.pem') };
}

export interface Front {
  tlsPort: number;
  proxyPort: number;
  /** Requests the TLS front forwarded, per Host. */
  requestsByHost: Record<string, number>;
  /** CONNECT tunnels opened, per requested host:port. */
  tunnels: Record<string, number>;
  stop: () => Promise<void>;
}

export async function startFront(emulator: Emulator, certs: Certs): Promise<Front> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const requestsByHost: Record<string, number> = {};
  const tunnels: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };

  const tls = createHttpsServer({ key: await readFile(certs.keyPem), cert: await readFile(certs.certPem) }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    requestsByHost[host] = (requestsByHost[host] ?? 0) + 1;
    const prefix = PREFIX[host];
    if (prefix === undefined) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end(`421 this front does not serve ${host}\n`);
      return;
    }
    const up = httpRequest(
      { host: '127.0.0.1', port: emulator.port, method: req.method, path: `${prefix}${req.url ?? '/'}`, headers: { ...req.headers, host: `127.0.0.1:${emulator.port}` }, agent },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      },
    );
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`502 front: ${e.message}\n`);
    });
    req.pipe(up);
  });
  tls.on('connection', track);
  await listen(tls);
  const tlsPort = (tls.address() as AddressInfo).port;

  const proxy = createHttpServer((_req, res) => res.writeHead(405).end('CONNECT only\n'));
  proxy.on('connection', track);
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '?';
    tunnels[target] = (tunnels[target] ?? 0) + 1;
    const upstream = connect(tlsPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    const close = (): void => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', close);
    client.on('error', close);
  });
  await listen(proxy);
  const proxyPort = (proxy.address() as AddressInfo).port;

  return {
    tlsPort,
    proxyPort,
    requestsByHost,
    tunnels,
    stop: async () => {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await Promise.all([new Promise((r) => tls.close(r)), new Promise((r) => proxy.close(r))]);
    },
  };
}

function listen(server: { listen: (port: number, host: string, cb: () => void) => unknown; once: (ev: 'error', cb: (e: Error) => void) => unknown }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

export interface RclonePeer {
  /** Runs rclone with a fresh copy of the config (rclone may rewrite it) and measures it. */
  run: (args: readonly string[], encoding?: 'latin1') => Promise<Measured & { command: string }>;
  env: Record<string, string>;
  front: Front;
  stop: () => Promise<void>;
}

/** Everything rclone needs to talk to `emulator` as if it were Google: certs, TLS front, proxy, config. */
export async function startRclonePeer(emulator: Emulator, workDir: string): Promise<RclonePeer> {
  const certs = await makeCerts(join(workDir, 'certs'));
  const front = await startFront(emulator, certs);
  const token = JSON.stringify({ access_token: emulator.issueAccessToken(), token_type: 'Bearer', refresh_token: 'unused-refresh-token', expiry: '2099-01-01T00:00:00Z' });
  const conf = `[gp]\ntype = google photos\nread_only = true\ntoken = ${token}\n`;
  const confPath = join(workDir, 'rclone.conf');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: workDir,
    RCLONE_CONFIG: confPath,
    SSL_CERT_FILE: certs.caPem,
    HTTPS_PROXY: `http://127.0.0.1:${front.proxyPort}`,
    https_proxy: `http://127.0.0.1:${front.proxyPort}`,
    NO_PROXY: '',
    no_proxy: '',
  };
  return {
    env,
    front,
    run: async (args, encoding) => {
      await writeFile(confPath, conf, { mode: 0o600 });
      const r = await measure('rclone', args, env, undefined, encoding);
      return { ...r, command: `rclone ${args.map(shellQuote).join(' ')}` };
    },
    stop: () => front.stop(),
  };
}

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
