// `gphotos adopt` end to end: files another tool downloaded (three foreign layouts) are matched to the emulator's
// items over real HTTP, recorded, and never downloaded again.
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveFiles, gphotos, summaryOf } from '../helpers/cli.js';
import { syncedArchive } from './helpers/synced-archive.js';

interface AdoptJson {
  adopted: { from: string; path: string; key: string }[];
  alreadyArchived: string[];
  ambiguous: { from: string; detail: string }[];
  unmatched: string[];
  failed: unknown[];
}
const parse = (stdout: unknown): AdoptJson => JSON.parse(String(stdout)) as AdoptJson;

describe('adopt', () => {
  const fx = syncedArchive({ items: 50, seed: 17 }, 'Truth'); // fx.archive: the truth the peers' copies come from
  const downloadable = (): number => summaryOf(fx.syncStdout).downloaded as number;

  /** Copies of the truth's files (mtimes kept, as the peers keep them) at `where(path)`; returns how many. */
  async function foreign(root: string, where: (path: string) => string | undefined): Promise<number> {
    let n = 0;
    for (const p of fx.files) {
      const to = where(p);
      if (to === undefined) continue;
      await mkdir(join(root, to, '..'), { recursive: true });
      await cp(join(fx.archive, p), join(root, to), { preserveTimestamps: true });
      n++;
    }
    return n;
  }

  async function adoptThenSync(name: string, where: (path: string) => string | undefined): Promise<void> {
    const from = join(fx.cli.home, `${name}-download`);
    const copied = await foreign(from, where);
    const archive = join(fx.cli.home, `${name}-archive`);
    const r = await gphotos(['adopt', archive, from, '--tz', 'UTC', '--json'], fx.cli.env);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const j = parse(r.stdout);
    expect(j.adopted).toHaveLength(copied);
    expect(j.unmatched).toEqual([]);
    expect(await archiveFiles(from)).toEqual([]); // moved into the layout
    const s = summaryOf((await gphotos(['sync', archive, '--tz', 'UTC', '--json'], fx.cli.env)).stdout);
    expect(s).toMatchObject({ downloaded: downloadable() - copied, failed: 0 });
    expect(await archiveFiles(archive)).toEqual(fx.files);
    expect((await gphotos(['verify', archive, '--deep'], fx.cli.env)).exitCode).toBe(0);
  }

  it('a flat folder (the original script)', async () => {
    const seen = new Set<string>();
    await adoptThenSync('flat', (p) => {
      const name = basename(p).replace(/~\d+(?=\.)/, '');
      if (seen.has(name.toLowerCase())) return undefined; // a flat folder holds one file per name
      seen.add(name.toLowerCase());
      return name;
    });
  });

  it('sync --adopt FROM records the folder first, then downloads only the rest', async () => {
    const from = join(fx.cli.home, 'flag-download');
    const copied = await foreign(from, (p) => (p.startsWith('2019/') || p.startsWith('2020/') ? `media/${p}` : undefined));
    expect(copied).toBeGreaterThan(0);
    const archive = join(fx.cli.home, 'flag-archive');
    const r = await gphotos(['sync', archive, '--tz', 'UTC', '--json', '--adopt', from], fx.cli.env);
    expect(r.exitCode).toBe(0);
    const adopted = String(r.stdout)
      .split('\n')
      .filter((l) => l.includes('"event":"adopted"'))
      .map((l) => JSON.parse(l) as { adopted: number; unmatched: number });
    expect(adopted).toEqual([expect.objectContaining({ adopted: copied, unmatched: 0 })]);
    expect(summaryOf(r.stdout)).toMatchObject({ downloaded: downloadable() - copied, failed: 0 });
    expect(await archiveFiles(archive)).toEqual(fx.files);
  });

  it("gphotos-sync's photos/YYYY/MM", async () => {
    await adoptThenSync('gphotos-sync', (p) => `photos/${p}`);
  });

  it("rclone's media/by-month/YYYY/YYYY-MM", async () => {
    await adoptThenSync('rclone', (p) => {
      const [y, m] = p.split('/');
      return `media/by-month/${y}/${y}-${m}/${basename(p)}`;
    });
  });

  it('--in-place records files where they are inside the archive, and refuses a folder outside it', async () => {
    const archive = join(fx.cli.home, 'inplace-archive');
    const copied = await foreign(join(archive, 'incoming'), (p) => `photos/${p}`);
    const outside = await gphotos(['adopt', archive, fx.archive, '--in-place'], fx.cli.env);
    expect(outside.exitCode).toBe(2);
    expect(String(outside.stderr)).toContain('--in-place needs');
    const r = await gphotos(['adopt', archive, join(archive, 'incoming'), '--in-place', '--tz', 'UTC', '--json'], fx.cli.env);
    expect(r.exitCode).toBe(0);
    const j = parse(r.stdout);
    expect(j.adopted).toHaveLength(copied);
    expect(j.adopted.every((a) => a.path === `incoming/photos/${a.path.slice('incoming/photos/'.length)}` && existsSync(join(archive, a.path)))).toBe(true);
    expect(summaryOf((await gphotos(['sync', archive, '--tz', 'UTC', '--json'], fx.cli.env)).stdout)).toMatchObject({ downloaded: downloadable() - copied });
  });

  it('reports two copies of one photo as ambiguous, moves neither, and sync fetches it', async () => {
    const from = join(fx.cli.home, 'dupes');
    const one = fx.files.find((p) => p.endsWith('.jpg') || p.endsWith('.JPG'))!;
    await foreign(from, (p) => (p === one ? `a/${basename(p)}` : undefined));
    await foreign(from, (p) => (p === one ? `b/${basename(p)}` : undefined));
    const archive = join(fx.cli.home, 'dupes-archive');
    const r = await gphotos(['adopt', archive, from, '--tz', 'UTC', '--json'], fx.cli.env);
    expect(r.exitCode).toBe(1);
    expect(parse(r.stdout).ambiguous.map((a) => a.from).sort()).toEqual([join(from, 'a', basename(one)), join(from, 'b', basename(one))]);
    expect(await archiveFiles(from)).toHaveLength(2);
    const s = summaryOf((await gphotos(['sync', archive, '--tz', 'UTC', '--json'], fx.cli.env)).stdout);
    expect(s.downloaded).toBe(downloadable());
    expect(await readFile(join(archive, one))).toEqual(await readFile(join(fx.archive, one)));
  });
});
