// `gphotos rebuild` end to end: sync from the emulator, lose the manifest, rebuild, sync again: nothing downloads.
// Here the XMP sidecars are lost too, so rebuild has only the files (rebuild from sidecars: test/e2e/xmp.test.ts).
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeFilename } from '../../src/core/names.js';
import { archiveFiles, gphotos, summaryOf } from '../helpers/cli.js';
import { syncedArchive } from './helpers/synced-archive.js';

interface Item { key: string; refs: unknown[]; path: string; filename: string; quality: string; sha256: string }
/** Remove every XMP sidecar: the archive as if made with --no-xmp. */
async function dropSidecars(dir: string): Promise<void> {
  for (const f of await readdir(dir, { recursive: true })) if (String(f).endsWith('.xmp')) await rm(join(dir, String(f)));
}

const manifestItems = async (dir: string): Promise<Item[]> =>
  Object.values((JSON.parse(await readFile(join(dir, '.gphotos/manifest.json'), 'utf8')) as { items: Record<string, Item> }).items);

describe('rebuild', () => {
  const fx = syncedArchive({ items: 60, seed: 21 });

  it('refuses to replace a readable manifest without --force', async () => {
    const r = await gphotos(['rebuild', fx.archive], fx.cli.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toContain('--force');
  });

  it('keeps the damaged manifest, records every file without refs, and the next sync links all and downloads nothing', async () => {
    const before = await manifestItems(fx.archive);
    await dropSidecars(fx.archive);
    await writeFile(join(fx.archive, '.gphotos/manifest.json'), '{"schema":1,"items":{"x":');
    expect((await gphotos(['sync', fx.archive, '--tz', 'UTC'], fx.cli.env)).exitCode).toBe(5);

    const r = await gphotos(['rebuild', fx.archive, '--tz', 'UTC', '--json'], fx.cli.env);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(String(r.stdout)) as { items: number; kept: string[] };
    expect(out.items).toBe(fx.files.length);
    expect(out.kept.some((k) => /manifest\.json\.damaged-/.test(k))).toBe(true);
    expect((await readdir(join(fx.archive, '.gphotos'))).some((n) => n.startsWith('manifest.json.damaged-'))).toBe(true);

    const rebuilt = await manifestItems(fx.archive);
    expect(rebuilt.every((m) => m.key.startsWith('local:') && m.refs.length === 0 && m.quality === 'api-copy')).toBe(true);
    const name = new Map(before.map((m) => [m.path, m.filename]));
    // Every original name survives ('~N' stripped) except those the sanitiser changed on the way to disk.
    const lost = rebuilt.filter((m) => name.get(m.path) !== m.filename).map((m) => name.get(m.path) ?? '');
    expect(lost.every((n) => safeFilename(n) !== n)).toBe(true);
    expect(rebuilt.find((m) => /~2\.[a-z]+$/i.test(m.path))?.filename).not.toMatch(/~2/);
    expect((await gphotos(['verify', fx.archive, '--deep'], fx.cli.env)).exitCode).toBe(0);

    const sync = await gphotos(['sync', fx.archive, '--tz', 'UTC', '--json'], fx.cli.env);
    expect(sync.exitCode).toBe(0);
    const s = summaryOf(sync.stdout);
    expect(s).toMatchObject({ downloaded: 0, byteCalls: 0, linked: fx.files.length });
    expect(await archiveFiles(fx.archive)).toEqual(fx.files);
    const relinked = await manifestItems(fx.archive);
    expect(relinked.every((m) => m.refs.length === 1)).toBe(true);
    const again = summaryOf((await gphotos(['sync', fx.archive, '--tz', 'UTC', '--json'], fx.cli.env)).stdout);
    expect(again).toMatchObject({ downloaded: 0, linked: 0 });
  });

  it('works when the manifest is simply gone', async () => {
    await rm(join(fx.archive, '.gphotos/manifest.json'));
    await dropSidecars(fx.archive);
    expect((await gphotos(['rebuild', fx.archive, '--tz', 'UTC'], fx.cli.env)).exitCode).toBe(0);
    const s = summaryOf((await gphotos(['sync', fx.archive, '--tz', 'UTC', '--json'], fx.cli.env)).stdout);
    expect(s).toMatchObject({ downloaded: 0, linked: fx.files.length });
  });
});
