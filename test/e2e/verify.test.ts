// `gphotos verify` end to end: the built CLI on a real archive synced from the emulator over HTTP.
import { existsSync } from 'node:fs';
import { cp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gphotos, sha256 } from '../helpers/cli.js';
import { syncedArchive } from './helpers/synced-archive.js';

interface VerifyJson {
  complete: boolean;
  items: number;
  hashed: number;
  mbPerSec?: number;
  damaged: { kind: string; path: string }[];
  fix?: { movedAside: string[]; downloaded: number; cannot: { path: string; why: string }[] };
  remaining?: unknown[];
}

const parse = (stdout: unknown): VerifyJson => JSON.parse(String(stdout)) as VerifyJson;

describe('verify', () => {
  const fx = syncedArchive({ items: 40, seed: 3 });

  it('proves a fresh archive complete, by size and deeply by hash', async () => {
    const quick = await gphotos(['verify', fx.archive], fx.cli.env);
    expect(quick.exitCode).toBe(0);
    expect(String(quick.stdout)).toContain(`complete: ${fx.files.length} items verified`);
    const deep = await gphotos(['verify', fx.archive, '--deep', '--json'], fx.cli.env);
    expect(deep.exitCode).toBe(0);
    const j = parse(deep.stdout);
    expect(j).toMatchObject({ complete: true, items: fx.files.length, hashed: fx.files.length, damaged: [] });
    expect(j.mbPerSec).toBeGreaterThan(0);
  });

  it('names each damaged file: missing, size differs, hash differs (only --deep sees the last)', async () => {
    const [gone, cut, flipped] = [fx.files[1]!, fx.files[2]!, fx.files[3]!];
    await rm(join(fx.archive, gone));
    await truncate(join(fx.archive, cut), 10);
    const bytes = await readFile(join(fx.archive, flipped));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 3) ^ 0xff, bytes.length - 3);
    await writeFile(join(fx.archive, flipped), bytes);

    const quick = await gphotos(['verify', fx.archive, '--json'], fx.cli.env);
    expect(quick.exitCode).toBe(1);
    expect(parse(quick.stdout).damaged.map((d) => [d.kind, d.path]).sort()).toEqual([['missing', gone], ['size-differs', cut]].sort());

    const deep = await gphotos(['verify', fx.archive, '--deep'], fx.cli.env);
    expect(deep.exitCode).toBe(1);
    const out = String(deep.stdout);
    expect(out).toContain(`missing       ${gone}`);
    expect(out).toContain(`size differs  ${cut}`);
    expect(out).toContain(`hash differs  ${flipped}`);
    expect(out).toContain(`3 of ${fx.files.length} items damaged`);
  });

  it('--fix without a login says what it cannot fix and touches nothing', async () => {
    const env = { ...fx.cli.env, GPHOTOS_CONFIG_DIR: join(fx.cli.home, 'nobody') };
    const r = await gphotos(['verify', fx.archive, '--deep', '--fix', '--json'], env);
    expect(r.exitCode).toBe(1);
    const j = parse(r.stdout);
    expect(j.fix?.movedAside).toEqual([]);
    expect(j.fix?.cannot).toHaveLength(3);
    expect(j.fix?.cannot[0]?.why).toMatch(/cannot fetch it again/);
    expect(existsSync(join(fx.archive, fx.files[2]!))).toBe(true);
  });

  it('--fix keeps damaged bytes in .gphotos/damaged/ and fetches the files again', async () => {
    const [gone, cut, flipped] = [fx.files[1]!, fx.files[2]!, fx.files[3]!];
    const flippedBytes = await readFile(join(fx.archive, flipped));
    const r = await gphotos(['verify', fx.archive, '--deep', '--fix', '--json'], fx.cli.env);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const j = parse(r.stdout);
    expect(j.fix?.movedAside.sort()).toEqual([`.gphotos/damaged/${cut}`, `.gphotos/damaged/${flipped}`].sort());
    expect(j.fix?.downloaded).toBe(3);
    expect(j.remaining).toEqual([]);
    expect(sha256(await readFile(join(fx.archive, '.gphotos/damaged', flipped)))).toBe(sha256(flippedBytes));
    expect(existsSync(join(fx.archive, gone))).toBe(true);
    expect((await gphotos(['verify', fx.archive, '--deep'], fx.cli.env)).exitCode).toBe(0);
  });

  it('a corrupt manifest is named, with `gphotos rebuild` as the way out', async () => {
    const copy = join(fx.cli.home, 'Corrupt');
    await cp(fx.archive, copy, { recursive: true });
    await writeFile(join(copy, '.gphotos/manifest.json'), '{"schema":1,"items":');
    const r = await gphotos(['verify', copy], fx.cli.env);
    expect(r.exitCode).toBe(5);
    expect(String(r.stderr)).toContain(join(copy, '.gphotos/manifest.json'));
    expect(String(r.stderr)).toContain(`gphotos rebuild ${copy}`);
  });
});
