// `gphotos status` end to end: the built CLI on a real archive synced from the emulator over HTTP.
import { mkdir, readdir, rename, rm, stat, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gphotos } from '../helpers/cli.js';
import { syncedArchive } from './helpers/synced-archive.js';

interface StatusJson {
  findings: { kind: string; path?: string; key?: string; filename?: string; detail?: string }[];
  counts: Record<string, number | boolean>;
}
const parse = (stdout: unknown): StatusJson => JSON.parse(String(stdout)) as StatusJson;

async function stateOf(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const s = await stat(join(dir, name));
    out.push(`${name}:${s.size}:${s.mtimeMs}`);
  }
  return out.sort();
}

describe('status', () => {
  const fx = syncedArchive({ items: 40, seed: 9 });

  it('a fresh archive has no drift; --remote lists only the videos Google still processes', async () => {
    const r = await gphotos(['status', fx.archive], fx.cli.env);
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toContain('No drift.');
    const remote = await gphotos(['status', fx.archive, '--remote', '--json'], fx.cli.env);
    expect(remote.exitCode).toBe(0);
    const j = parse(remote.stdout);
    const pending = fx.emulator.items.filter((i) => i.videoStatus === 'PROCESSING').map((i) => i.filename).sort();
    expect(j.findings.map((f) => f.kind)).toEqual(pending.map(() => 'pending'));
    expect(j.findings.map((f) => f.filename).sort()).toEqual(pending);
    expect(j.counts).toMatchObject({ items: fx.files.length, present: fx.files.length, 'api-copy': fx.files.length, original: 0, remoteChecked: true });
  });

  it('reports each kind of drift exactly once, and never writes (even while the lock is held)', async () => {
    const [moved, gone, cut, touched] = [fx.files[0]!, fx.files[1]!, fx.files[2]!, fx.files[3]!];
    await mkdir(join(fx.archive, 'sorted'), { recursive: true });
    await rename(join(fx.archive, moved), join(fx.archive, 'sorted/keeper.jpg'));
    await rm(join(fx.archive, gone));
    await truncate(join(fx.archive, cut), 5);
    await utimes(join(fx.archive, touched), new Date(0), new Date(0));
    await writeFile(join(fx.archive, 'sorted/mine.jpg'), 'my own photo');
    await writeFile(join(fx.archive, '2019/03/IMG_9.jpg.part'), 'in flight');
    await mkdir(join(fx.archive, 'albums/Trip'), { recursive: true });
    await symlink(join('..', '..', fx.files[5]!), join(fx.archive, 'albums/Trip/x.jpg'));
    await writeFile(join(fx.archive, 'notes.txt'), 'not media');
    const added = fx.emulator.addItem({ filename: 'NEW_1.jpg', creationTime: '2024-05-05T05:05:05Z' });
    fx.emulator.removeItem(fx.emulator.items.find((i) => fx.files[6]!.endsWith(i.filename) && i.kind === 'photo')?.id ?? fx.emulator.items[30]!.id);
    await writeFile(join(fx.archive, '.gphotos/lock'), JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), command: 'sync' }) + '\n');

    const before = await stateOf(join(fx.archive, '.gphotos'));
    const r = await gphotos(['status', fx.archive, '--remote', '--json'], fx.cli.env);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(1);
    expect(await stateOf(join(fx.archive, '.gphotos'))).toEqual(before);
    const j = parse(r.stdout);
    const byKind = (k: string) => j.findings.filter((f) => f.kind === k);
    expect(byKind('moved').map((f) => [f.path, f.detail])).toEqual([['sorted/keeper.jpg', `archived at ${moved}`]]);
    expect(byKind('missing').map((f) => f.path)).toEqual([gone]);
    expect(byKind('changed').map((f) => f.path).sort()).toEqual([cut, touched].sort());
    expect(byKind('untracked').map((f) => f.path)).toEqual(['sorted/mine.jpg']);
    expect(byKind('remote-new').map((f) => f.key)).toEqual([`library:${added.id}`]);
    expect(byKind('remote-gone')).toHaveLength(1);
    const paths = j.findings.flatMap((f) => (f.path === undefined ? [] : [`${f.kind}:${f.path}`]));
    expect(new Set(paths).size).toBe(paths.length);
    await rm(join(fx.archive, '.gphotos/lock'));

    const text = await gphotos(['status', fx.archive], fx.cli.env);
    expect(text.exitCode).toBe(1);
    expect(String(text.stdout)).toMatch(/moved \(1\)[^\n]*\n {2}sorted\/keeper\.jpg {2}\(archived at /);
    expect(String(text.stdout)).toContain('remote not checked (--remote)');
  });

  it('a folder that is not an archive is an error (exit 5), and nothing is created', async () => {
    const empty = join(fx.cli.home, 'Empty');
    await mkdir(empty);
    const r = await gphotos(['status', empty], fx.cli.env);
    expect(r.exitCode).toBe(5);
    expect(String(r.stderr)).toContain('is not a gphotos archive');
    expect(await readdir(empty)).toEqual([]);
  });
});
