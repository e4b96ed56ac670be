// `gphotos emulator` as a user runs it: start it, take the printed environment, sign in and sync with it, stop it.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, assertBuilt, gphotos } from '../helpers/cli.js';

describe('gphotos emulator', () => {
  let home: string;
  beforeAll(async () => {
    assertBuilt();
    home = await mkdtemp(join(tmpdir(), 'gphotos-emu-cli-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('prints environment lines that a real login and sync can use, and stops on SIGTERM', async () => {
    const child = execa(process.execPath, [CLI, 'emulator', '--items', '30', '--seed', '4'], { reject: false, buffer: false });
    const env: Record<string, string> = {};
    let printed = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no environment printed: ${printed}`)), 15_000);
      child.stdout.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        if (printed.includes('Press Ctrl-C')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    for (const m of printed.matchAll(/^export (GPHOTOS_\w+)=(.*)$/gm)) env[m[1]!] = m[2]!.replace(/^'|'$/g, '');
    expect(Object.keys(env).sort()).toEqual(
      ['GPHOTOS_CLIENT_SECRET', 'GPHOTOS_CONFIG_DIR', 'GPHOTOS_LIBRARY_URL', 'GPHOTOS_OAUTH_AUTH_URL', 'GPHOTOS_OAUTH_REVOKE_URL', 'GPHOTOS_OAUTH_TOKEN_URL', 'GPHOTOS_PICKER_URL'].sort(),
    );
    for (const url of Object.entries(env).filter(([k]) => k.endsWith('_URL')).map(([, v]) => v)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    const userEnv = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      ...env,
      GPHOTOS_CONFIG_DIR: join(home, 'config'),
      BROWSER: `${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'dist/demo/browser.js'))}`,
    };
    expect((await gphotos(['auth', 'login'], userEnv)).exitCode).toBe(0);
    const sync = await gphotos(['sync', join(home, 'Photos'), '--tz', 'UTC', '--quiet'], userEnv);
    expect(sync.exitCode).toBe(0);
    const years = (await readdir(join(home, 'Photos'))).filter((d) => /^\d{4}$/.test(d));
    expect(years.length).toBeGreaterThan(3);

    child.kill('SIGTERM');
    const ended = await child;
    expect(ended.exitCode).toBe(0);
  });
});
