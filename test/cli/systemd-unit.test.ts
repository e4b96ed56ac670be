// docs/watch.md's operations recipes, as a user would follow them: the install step gives a working
// ~/.local/bin/gphotos, its systemd units pass `systemd-analyze verify` (the tool must be installed: apt-get install
// systemd), and the restart rules match docs/exit-codes.md: no restart on the codes that need a person.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT } from '../helpers/cli.js';

const doc = await readFile(join(ROOT, 'docs/watch.md'), 'utf8');
const exitDoc = await readFile(join(ROOT, 'docs/exit-codes.md'), 'utf8');
const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** Each ```ini block the doc introduces with `~/.config/systemd/user/NAME`:, by NAME. */
function unitsOfDoc(): Map<string, string> {
  const units = new Map<string, string>();
  for (const m of doc.matchAll(/`~\/\.config\/systemd\/user\/([\w.-]+)`:\s*\n+```ini\n([\s\S]*?)```/g)) units.set(m[1]!, m[2]!);
  return units;
}

function setting(unit: string, key: string): string[] {
  return [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]!.trim());
}

/** Codes whose scheduler column says they need a person. */
function codesNeedingAPerson(): number[] {
  return [...exitDoc.matchAll(/^\| (\d+) \|.*\| ([^|]*) \|$/gm)].filter((m) => /stop: needs a person/.test(m[2]!)).map((m) => Number(m[1]));
}
function retryCodes(): number[] {
  return [...exitDoc.matchAll(/^\| (\d+) \|.*\| ([^|]*) \|$/gm)].filter((m) => /^retry/.test(m[2]!)).map((m) => Number(m[1]));
}
const codes = (s: string): number[] => s.split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b);

let tmp: string;
let home: string;
beforeAll(async () => {
  assertBuilt();
  tmp = await mkdtemp(join(tmpdir(), 'gphotos-install-'));
  home = join(tmp, 'home');
  await mkdir(home);
  // The doc's steps, with the tarball in a temp dir instead of the checkout and ~ a temp home (npm keeps the
  // user's cache, so the dependencies come from it when they can).
  await execa('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: ROOT });
  await execa('npm', ['install', '-g', '--prefix', join(home, '.local'), '--prefer-offline', '--no-audit', '--no-fund', join(tmp, `gphotos-${version}.tgz`)], { cwd: tmp });
}, 180_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('install step', () => {
  it('is the one the doc shows, and gives a working ~/.local/bin/gphotos', async () => {
    expect(doc).toContain('npm pack ');
    expect(doc).toContain(`npm install -g --prefix ~/.local ./gphotos-${version}.tgz`);
    const help = await execa(join(home, '.local/bin/gphotos'), ['--help'], { reject: false, env: { PATH: process.env.PATH ?? '', HOME: home }, extendEnv: false });
    expect(help.exitCode, String(help.stderr)).toBe(0);
    expect(String(help.stdout)).toContain('gphotos <command> [options]');
    expect(String(help.stdout)).toMatch(/gphotos sync <dir>/);
    const v = await execa(join(home, '.local/bin/gphotos'), ['--version'], { env: { PATH: process.env.PATH ?? '', HOME: home }, extendEnv: false });
    expect(String(v.stdout).trim()).toBe(version);
  });
});

describe("docs/watch.md's systemd units", () => {
  const units = unitsOfDoc();

  it('are the watch service, and a sync service with its timer', () => {
    expect([...units.keys()].sort()).toEqual(['gphotos-sync.service', 'gphotos-sync.timer', 'gphotos-watch.service']);
  });

  it('pass systemd-analyze verify, with %h the home gphotos was installed into', async () => {
    const dir = join(tmp, 'units');
    const runtime = join(tmp, 'run');
    await mkdir(dir);
    await mkdir(runtime, { mode: 0o700 });
    for (const [name, text] of units) await writeFile(join(dir, name), text);
    // No skip when the tool is missing: execa rejects (ENOENT) and the test fails, so CI must install systemd.
    const r = await execa('systemd-analyze', ['--user', 'verify', ...[...units.keys()].map((n) => join(dir, n))], {
      reject: false,
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_RUNTIME_DIR: runtime },
      extendEnv: false,
    });
    if (r.failed && r.exitCode === undefined) throw new Error(`systemd-analyze could not run (${r.message}); install it: apt-get install -y systemd`);
    expect(String(r.stderr)).toBe(''); // unknown keys and bad values are only warnings
    expect(r.exitCode).toBe(0);
  });

  it('do not restart the watch on the exit codes docs/exit-codes.md says need a person, and do restart otherwise', () => {
    const watch = units.get('gphotos-watch.service')!;
    expect(codesNeedingAPerson()).toEqual([2, 3, 5, 70]);
    expect(setting(watch, 'Restart')).toEqual(['on-failure']);
    expect(setting(watch, 'RestartPreventExitStatus').flatMap(codes)).toEqual(codesNeedingAPerson());
    expect(setting(watch, 'ExecStart')[0]).toMatch(/^%h\/\.local\/bin\/gphotos watch /);
  });

  it("the timer's sync counts only retryable codes as success, never one that needs a person", () => {
    const sync = units.get('gphotos-sync.service')!;
    const ok = setting(sync, 'SuccessExitStatus').flatMap(codes);
    expect(ok.length).toBeGreaterThan(0);
    for (const c of ok) expect(retryCodes()).toContain(c);
    for (const c of codesNeedingAPerson()) expect(ok).not.toContain(c);
    expect(setting(sync, 'ExecStart')[0]).toMatch(/^%h\/\.local\/bin\/gphotos sync .*--quiet$/);
    expect(setting(units.get('gphotos-sync.timer')!, 'OnCalendar')).toEqual(['hourly']);
  });
});
