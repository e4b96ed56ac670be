// The files gphotos keeps in .gphotos/ are opened without following links or blocking on FIFOs (state-files.ts).
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/archive/lock.js';
import { sweepParts } from '../../src/archive/part-sweep.js';
import { openForAppend, readRegularFile, stateDir } from '../../src/archive/state-files.js';
import { QuotaLedger } from '../../src/watch/quota-ledger.js';
import { rejection } from '../helpers/rejection.js';

let home: string;
let archive: string;
let secret: string;
const SECRET = 'not gphotos data\n';

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'gphotos-state-'));
  archive = join(home, 'archive');
  secret = join(home, 'secret.txt');
  await mkdir(join(archive, '.gphotos'), { recursive: true });
  await writeFile(secret, SECRET);
});
afterEach(() => rm(home, { recursive: true, force: true }));

describe('state-files', () => {
  it('refuses a symlink, a FIFO and a folder where a file is expected, naming the path and what it is', async () => {
    const link = join(archive, '.gphotos/a');
    await symlink(secret, link);
    const fifo = join(archive, '.gphotos/b');
    execFileSync('mkfifo', [fifo]);
    const dir = join(archive, '.gphotos/c');
    await mkdir(dir);
    expect((await rejection(readRegularFile(link))).message).toBe(`Refusing ${link}: it is a symlink, where gphotos keeps a regular file.`);
    expect((await rejection(openForAppend(link))).message).toContain('it is a symlink');
    expect((await rejection(readRegularFile(fifo))).message).toContain('it is a FIFO (named pipe)');
    expect((await rejection(openForAppend(fifo))).message).toContain('it is a FIFO (named pipe)');
    expect((await rejection(readRegularFile(dir))).message).toContain('it is a folder');
    expect(await readFile(secret, 'utf8')).toBe(SECRET);
    expect(await readRegularFile(join(archive, '.gphotos/missing'))).toBeUndefined();
  });

  it('.gphotos must be a real folder: a link to one elsewhere is refused, a missing one created only when asked', async () => {
    await rm(join(archive, '.gphotos'), { recursive: true });
    expect(await stateDir(archive, false)).toBeUndefined();
    expect(await stateDir(archive, true)).toBe(join(archive, '.gphotos'));
    await rm(join(archive, '.gphotos'), { recursive: true });
    await mkdir(join(home, 'elsewhere'));
    await symlink(join(home, 'elsewhere'), join(archive, '.gphotos'));
    const e = await rejection(acquireLock(archive, { command: 'test' }));
    expect(e.message).toContain('it is a symlink, where gphotos keeps a real folder');
    expect(await readdir(join(home, 'elsewhere'))).toEqual([]);
  });

  it('the quota ledger refuses a symlinked quota.json and never writes through it', async () => {
    await symlink(secret, join(archive, '.gphotos/quota.json'));
    expect((await rejection(QuotaLedger.load(archive, new Date()))).message).toContain('quota.json: it is a symlink');
    await rm(join(archive, '.gphotos/quota.json'));
    const ledger = await QuotaLedger.load(archive, new Date());
    ledger.add(new Date(), 3, 4);
    await symlink(secret, join(archive, '.gphotos/quota.json'));
    await ledger.save(); // replaces the link by a file of its own: the rename never follows
    expect(await readFile(secret, 'utf8')).toBe(SECRET);
    expect(JSON.parse(await readFile(join(archive, '.gphotos/quota.json'), 'utf8'))).toMatchObject({ apiCalls: 3, byteCalls: 4 });
  });

  it('the stale-lock takeover warns, and a heartbeat never touches a file a planted lock link points to', async () => {
    await writeFile(join(archive, '.gphotos/lock'), JSON.stringify({ pid: 999_999_999, hostname: hostname(), startedAt: 'x', command: 'sync' }) + '\n');
    const warned: string[] = [];
    const lock = await acquireLock(archive, { command: 'test', warn: (m) => warned.push(m) });
    expect(warned).toEqual([expect.stringMatching(/^Took over a stale lock .*pid 999999999.*that process is gone/)]);
    await lock.release();
  });

  it('the part sweep removes its own regular files and reports, without following or removing, anything else of that name', async () => {
    await mkdir(join(archive, '2020/01/x.jpg.gphotos.part'), { recursive: true });
    await symlink(secret, join(archive, '2020/01/y.jpg.gphotos.part'));
    execFileSync('mkfifo', [join(archive, '2020/01/z.jpg.gphotos.part')]);
    await writeFile(join(archive, '2020/01/w.jpg.gphotos.part'), 'stale');
    const refused: string[] = [];
    expect(await sweepParts(archive, (rel, why) => refused.push(`${rel}: ${why.split(',')[0]!}`))).toEqual(['2020/01/w.jpg.gphotos.part']);
    expect(refused).toEqual([
      '2020/01/x.jpg.gphotos.part: it is a folder',
      '2020/01/y.jpg.gphotos.part: it is a symlink',
      '2020/01/z.jpg.gphotos.part: it is a FIFO (named pipe)',
    ]);
    expect(await readFile(secret, 'utf8')).toBe(SECRET);
  });
});

describe('shared archives', () => {
  it('taking the lock warns when the archive or .gphotos/ is writable by group or others, and not otherwise', async () => {
    await chmod(archive, 0o755);
    await chmod(join(archive, '.gphotos'), 0o755);
    const quiet: string[] = [];
    await (await acquireLock(archive, { command: 'test', warn: (m) => quiet.push(m) })).release();
    expect(quiet).toEqual([]);
    await chmod(archive, 0o777);
    await chmod(join(archive, '.gphotos'), 0o775);
    const warned: string[] = [];
    await (await acquireLock(archive, { command: 'test', warn: (m) => warned.push(m) })).release();
    expect(warned).toEqual([
      expect.stringMatching(new RegExp(`^${archive} is writable by its group \\(gid \\d+\\) and all users \\(mode 777\\).*chmod go-w ${archive}`)),
      expect.stringMatching(new RegExp(`^${archive}/.gphotos is writable by its group \\(gid \\d+\\) \\(mode 775\\)`)),
    ]);
  });
});
