// Every command line README.md and docs/*.md show is run (test/docs/doc-commands.ts says which and how): the built
// CLI as `gphotos` on PATH, HOME a temp dir holding an archive synced from the emulator and Takeout exports, so
// `~/Photos` and `~/Downloads/takeout-*.zip` are real. A line the parser refuses fails, whatever else it is marked.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { startEmulator } from '../../src/emulator/server.js';
import { CLI, gphotos, ROOT, signedIn, type CliEnv } from '../helpers/cli.js';
import { GP, sidecarJson, writeTree, writeZip } from '../helpers/takeout-fixture.js';
import { allDocCommands, extractCommands, type DocCommand } from './doc-commands.js';

/** What main.ts prints only when yargs refuses the command line (unknown option or command, missing argument). */
const PARSE_REFUSED = 'Run `gphotos --help` for usage.';
/** npm's own commands the docs use; `npm run X` and `npm test` must name a script of package.json. */
const NPM_BUILTINS = new Set(['install', 'ci', 'pack']);

let emulator: Emulator;
let cli: CliEnv;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = await startEmulator({ items: 30, seed: 4 });
  cli = await signedIn(emulator);
  home = join(cli.home, 'home');
  const bin = join(home, '.local/bin');
  await mkdir(bin, { recursive: true });
  await mkdir(join(home, 'tmp'), { recursive: true });
  await writeFile(join(bin, 'gphotos'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
  await chmod(join(bin, 'gphotos'), 0o755);
  env = { ...cli.env, HOME: home, PATH: `${bin}:${process.env.PATH ?? ''}` };
  // The Picker's user picks three photos in every session (as `gphotos emulator --pick 3` would).
  emulator.picker.autoPick = emulator.items.filter((i) => i.kind === 'photo').slice(0, 3).map((i) => i.id);
  Object.assign(emulator.picker, { pollsBeforeDone: 1, pollIntervalSec: 0.05 });

  const sync = await gphotos(['sync', join(home, 'Photos'), '--tz', 'UTC'], env);
  expect(sync.exitCode, String(sync.stderr)).toBe(0);
  const part = (n: number) => [
    { path: `${GP}/Photos from 2019/IMG_${n}.jpg`, data: makeJpeg({ width: 16, height: 16, seed: n }) },
    { path: `${GP}/Photos from 2019/IMG_${n}.jpg.supplemental-metadata.json`, data: sidecarJson({ title: `IMG_${n}.jpg`, takenSec: 1_552_135_320 + n, url: `https://photos.google.com/photo/${n}` }) },
  ];
  // The export docs/import.md names, in the working folder; another in ~/Downloads (where docs/emulator.md has the
  // emulator write its own, which never overwrites one).
  for (const [dir, stamp] of [[home, '20260101T000000Z'], [join(home, 'Downloads'), '20250601T000000Z']] as const) {
    await mkdir(dir, { recursive: true });
    await writeZip(join(dir, `takeout-${stamp}-001.zip`), part(1));
    await writeZip(join(dir, `takeout-${stamp}-002.zip`), part(2));
  }
  await writeTree(join(home, 'Downloads'), part(3));
  await writeTree(join(home, 'tgz'), part(4));
  await execa('tar', ['-czf', join(home, 'takeout-20260101T000000Z-003.tgz'), '-C', join(home, 'tgz'), 'Takeout']);
}, 120_000);
afterAll(async () => {
  await emulator.stop();
  await cli.cleanup();
});

/** Runs a doc line in the temp HOME; long-running ones are stopped with Ctrl-C once they have started. */
async function runLine(c: DocCommand): Promise<{ exitCode: number | undefined; stderr: string; stdout: string }> {
  const command = c.command.replaceAll('/tmp/', '$HOME/tmp/');
  const child = execa('bash', ['-o', 'pipefail', '-c', command], { env, extendEnv: false, cwd: home, reject: false, timeout: 90_000 });
  if (c.check.kind !== 'run') {
    // Started once it printed something (or exited), then a second more; a parse refusal comes at once.
    let started = false;
    const mark = () => void (started = true);
    child.stdout?.on('data', mark);
    child.stderr?.on('data', mark);
    const end = Date.now() + 30_000;
    while (!started && child.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
  }
  const r = await child;
  return { exitCode: r.exitCode, stderr: String(r.stderr), stdout: String(r.stdout) };
}

async function checkNpm(c: DocCommand): Promise<void> {
  const scripts = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const part of c.command.replace(/\s#\s.*$/, '').split('&&')) {
    const [npm, sub, name] = part.trim().split(/\s+/);
    expect(npm).toBe('npm');
    if (sub === 'run') expect(Object.keys(scripts), `${c.file}:${c.line}: npm run ${name}`).toContain(name);
    else if (sub === 'test') expect(scripts.test).toBeDefined();
    else expect(NPM_BUILTINS.has(sub!), `${c.file}:${c.line}: npm ${sub}`).toBe(true);
  }
}

describe('the extractor', () => {
  it('takes shell and cron lines from fences, leaves output, units and prose alone, and reads the marks', () => {
    const md = [
      'Run `gphotos sync DIR` inline (prose: not taken).',
      '```sh', '$ gphotos sync ~/Photos', 'gphotos auth login --client-secret x.json   # needs a Google account',
      'gphotos emulator --pick 3   # runs until Ctrl-C', 'gphotos verify ~/Photos --deep   # exit 1', 'export X=1', '```',
      '```text', 'gphotos import (first)   19.70 s', '```',
      '```ini', 'ExecStart=%h/.local/bin/gphotos watch %h/Photos', '```',
      '```cron', '0 * * * *  flock -n /tmp/l ~/.local/bin/gphotos sync ~/Photos --quiet', '```',
      '```', 'npm ci', 'gphotos watch ~/Photos', '```',
    ].join('\n');
    expect(extractCommands('x.md', md).map((c) => [c.line, c.command, c.check])).toEqual([
      [3, 'gphotos sync ~/Photos', { kind: 'run', exit: 0 }],
      [4, 'gphotos auth login --client-secret x.json   # needs a Google account', { kind: 'parse', why: 'needs a Google account' }],
      [5, 'gphotos emulator --pick 3   # runs until Ctrl-C', { kind: 'long' }],
      [6, 'gphotos verify ~/Photos --deep   # exit 1', { kind: 'run', exit: 1 }],
      [16, 'flock -n /tmp/l ~/.local/bin/gphotos sync ~/Photos --quiet', { kind: 'run', exit: 0 }],
      [19, 'npm ci', { kind: 'run', exit: 0 }],
      [20, 'gphotos watch ~/Photos', { kind: 'long' }],
    ]);
  });

  it('finds the command lines of README.md and docs/', () => {
    const all = allDocCommands(ROOT);
    expect(all.length).toBeGreaterThan(20);
    expect(all.map((c) => c.file)).toEqual(expect.arrayContaining(['README.md', 'docs/import.md', 'docs/watch.md']));
  });
});

describe('every command line in README.md and docs/', () => {
  for (const c of allDocCommands(ROOT)) {
    it(`${c.file}:${c.line}: ${c.text}`, async () => {
      if (/^npm\s/.test(c.command)) {
        // Installs, packs or runs the whole suite: checked against package.json, not run (the install is
        // what `npm test` itself and CI do).
        await checkNpm(c);
        return;
      }
      const r = await runLine(c);
      const where = `${c.file}:${c.line}: ${c.command}\n${r.stderr.slice(0, 2000)}`;
      expect(r.stderr, where).not.toContain(PARSE_REFUSED);
      if (c.check.kind === 'run') expect(r.exitCode, where).toBe(c.check.exit);
      else if (c.check.kind === 'long') expect([0, 130], where).toContain(r.exitCode);
    }, 120_000);
  }
});
