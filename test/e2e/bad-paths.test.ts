// Every command that takes DIR, given a bad one (a file, a folder under a missing or file parent, a folder it may
// not use): a usage error (2) or a local error (5) that names the path and what to do, never a bug report (70),
// and nothing done: no download planned, no folder created.
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { CLI, gphotos, signedIn, type CliEnv } from '../helpers/cli.js';

let emulator: Emulator;
let cli: CliEnv;
let root: string;
beforeAll(async () => {
  emulator = await startEmulator({ items: 20, seed: 5 });
  cli = await signedIn(emulator);
  root = join(cli.home, 'paths');
  await mkdir(root);
  await writeFile(join(root, 'a-file.jpg'), 'not a folder');
  await mkdir(join(root, 'locked'));
  await chmod(join(root, 'locked'), 0o000);
  // The unreadable case needs a user the folder's mode applies to: root reads everything.
  if (process.getuid?.() === 0) await expectReachableByOthers(CLI);
  await chmod(cli.home, 0o755);
  await chmod(root, 0o755);
});
afterAll(async () => {
  await chmod(join(root, 'locked'), 0o755);
  await emulator.stop();
  await cli.cleanup();
});

/** uid 65534 must reach the built CLI: a checkout inside a 0700 folder (what `mktemp -d` makes) would fail every case. */
async function expectReachableByOthers(file: string): Promise<void> {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) throw new Error(`${dir} (mode ${(mode & 0o777).toString(8)}) is closed to other users, so these tests cannot run gphotos as uid 65534: chmod o+x it (mktemp -d makes 0700 folders).`);
  }
}

/** gphotos as a user other than root when the tests run as root (setpriv, util-linux), so file modes bind. */
function asUser(args: string[]) {
  if (process.getuid?.() !== 0) return gphotos(args, cli.env);
  const cmd = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args];
  return execa('setpriv', cmd, { reject: false, env: cli.env, extendEnv: false, cwd: root });
}

const COMMANDS: { name: string; args: (dir: string) => string[]; creates: boolean }[] = [
  { name: 'sync', args: (d) => ['sync', d, '--tz', 'UTC'], creates: true },
  { name: 'sync --dry-run', args: (d) => ['sync', d, '--dry-run', '--json', '--tz', 'UTC'], creates: true },
  { name: 'pick', args: (d) => ['pick', d, '--no-browser', '--poll-timeout', '1'], creates: true },
  { name: 'import', args: (d) => ['import', d, join(root, 'no-takeout.zip')], creates: true },
  { name: 'watch', args: (d) => ['watch', d, '--max-cycles', '1'], creates: true },
  { name: 'adopt', args: (d) => ['adopt', d, root], creates: true },
  { name: 'rebuild', args: (d) => ['rebuild', d], creates: false },
  { name: 'verify', args: (d) => ['verify', d], creates: false },
  { name: 'verify --fix', args: (d) => ['verify', d, '--fix'], creates: false },
  { name: 'status', args: (d) => ['status', d], creates: false },
];

describe.each(COMMANDS)('$name with a bad DIR', (c) => {
  it('a file: exit 2, "is a file, not a folder", nothing planned', async () => {
    const before = emulator.stats().apiRequestsToday;
    const r = await gphotos(c.args(join(root, 'a-file.jpg')), cli.env);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(String(r.stderr)).toContain('a-file.jpg is a file, not a folder.');
    // Nothing planned: with --json, stdout holds only the error event (docs/json.md).
    if (c.args('x').includes('--json')) {
      expect(JSON.parse(String(r.stdout))).toMatchObject({ v: 1, event: 'error', kind: 'usage', message: `${join(root, 'a-file.jpg')} is a file, not a folder.`, exitCode: 2 });
    } else expect(String(r.stdout)).toBe('');
    expect(emulator.stats().apiRequestsToday).toBe(before); // refused before listing anything
  });

  it('under a missing parent: exit 2, and nothing is created', async () => {
    const dir = join(root, 'no-such-parent', 'Photos');
    const r = await gphotos(c.args(dir), cli.env);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(String(r.stderr)).toContain(c.creates ? `its parent folder ${join(root, 'no-such-parent')} does not exist` : `${dir} does not exist.`);
    expect(String(r.stderr)).not.toContain('internal error');
    expect(await readdir(root)).not.toContain('no-such-parent');
  });

  it('under a file: exit 2, "part of this path is a file"', async () => {
    const r = await gphotos(c.args(join(root, 'a-file.jpg', 'Photos')), cli.env);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(String(r.stderr)).toMatch(/part of this path is a file, not a folder|a-file\.jpg is a file, not a folder/);
  });

  it('a folder it may not use: exit 5, with the chmod that fixes it', async () => {
    const r = await asUser(c.args(join(root, 'locked')));
    expect(r.exitCode, String(r.stderr)).toBe(5);
    expect(String(r.stderr)).toMatch(/Cannot (read|write to) .*locked \(EACCES\)/);
    expect(String(r.stderr)).toContain('chmod u+rwx');
  });
});
