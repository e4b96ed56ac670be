// Run the built `gphotos` binary as a user would, against an emulator, with a private config dir.
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import type { Emulator } from '../../src/emulator/api.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'bin/gphotos.js');
const BROWSER = join(ROOT, 'dist/demo/browser.js');

export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/cli/main.js')) || !existsSync(BROWSER)) {
    throw new Error('dist/ is missing or stale: run `npm run build` (npm test does it first).');
  }
}

export interface CliEnv {
  env: Record<string, string>;
  configDir: string;
  home: string;
  cleanup: () => Promise<void>;
}

/** A config dir signed in to `emulator` through the real loopback flow (`gphotos auth login`). */
export async function signedIn(emulator: Emulator): Promise<CliEnv> {
  assertBuilt();
  const home = await mkdtemp(join(tmpdir(), 'gphotos-test-'));
  const configDir = join(home, 'config');
  const secret = join(home, 'client_secret.json');
  await writeFile(secret, JSON.stringify(emulator.clientSecretJson));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...emulator.env,
    GPHOTOS_CONFIG_DIR: configDir,
    BROWSER: `${JSON.stringify(process.execPath)} ${JSON.stringify(BROWSER)}`,
    NODE_ENV: 'production',
  };
  const login = await gphotos(['auth', 'login', '--client-secret', secret], env);
  if (login.exitCode !== 0) throw new Error(`login failed (${login.exitCode}): ${String(login.stderr)}`);
  return { env, configDir, home, cleanup: () => rm(home, { recursive: true, force: true }) };
}

export function gphotos(args: string[], env: Record<string, string>, opts: { cwd?: string } = {}) {
  return execa(process.execPath, [CLI, ...args], { reject: false, env, extendEnv: false, cwd: opts.cwd ?? ROOT });
}

/** NDJSON output of --json, parsed. */
export function events(stdout: unknown): Record<string, unknown>[] {
  return String(stdout)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function summaryOf(stdout: unknown): Record<string, unknown> {
  const all = events(stdout);
  const last = all[all.length - 1];
  if (!last || last.event !== 'summary') throw new Error(`last event is not a summary: ${String(stdout).slice(-500)}`);
  return last.summary as Record<string, unknown>;
}

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Every regular file under root (not .gphotos, not the XMP sidecars gphotos writes beside each file), relative '/'-paths. */
export async function archiveFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const rel = relative(root, join(e.parentPath, e.name)).split('\\').join('/');
    if (!rel.startsWith('.gphotos/') && !rel.endsWith('.xmp')) out.push(rel);
  }
  return out.sort();
}

/** sha256 -> paths holding those bytes. */
export async function hashIndex(root: string): Promise<Map<string, string[]>> {
  const index = new Map<string, string[]>();
  for (const rel of await archiveFiles(root)) {
    const h = sha256(await readFile(join(root, rel)));
    index.set(h, [...(index.get(h) ?? []), rel]);
  }
  return index;
}
