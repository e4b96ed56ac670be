// The gphotos CLI (built into dist/ by `npm run build`), signed in to an emulator through the real loopback flow.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import type { Emulator } from '../../src/emulator/api.js';

/** The repository root, found from the working directory (npm scripts run there). */
export const ROOT = resolve(process.env.GPHOTOS_ROOT ?? process.cwd());
export const CLI = join(ROOT, 'bin/gphotos.js');

export interface SignedIn {
  env: Record<string, string>;
  home: string;
  cleanup: () => Promise<void>;
}

export async function signedIn(emulator: Emulator): Promise<SignedIn> {
  const browser = join(ROOT, 'dist/demo/browser.js');
  if (!existsSync(join(ROOT, 'dist/cli/main.js')) || !existsSync(browser)) throw new Error('dist/ is missing: run `npm run build` first.');
  const home = await mkdtemp(join(tmpdir(), 'gphotos-bench-'));
  const secret = join(home, 'client_secret.json');
  await writeFile(secret, JSON.stringify(emulator.clientSecretJson));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ...emulator.env,
    GPHOTOS_CONFIG_DIR: join(home, 'config'),
    BROWSER: `${JSON.stringify(process.execPath)} ${JSON.stringify(browser)}`,
    NODE_ENV: 'production',
  };
  const login = await execa(process.execPath, [CLI, 'auth', 'login', '--client-secret', secret], { env, extendEnv: false, reject: false });
  if (login.exitCode !== 0) throw new Error(`gphotos auth login failed (${String(login.exitCode)}): ${String(login.stderr)}`);
  return { env, home, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** The last NDJSON line of `--json` output, which is the summary. */
export function summaryOf(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  const last = lines.at(-1);
  if (last === undefined) throw new Error('gphotos printed nothing');
  const parsed = JSON.parse(last) as { event?: string; summary?: Record<string, unknown> };
  if (parsed.event !== 'summary' || !parsed.summary) throw new Error(`last line is not the summary: ${last.slice(0, 300)}`);
  return parsed.summary;
}
