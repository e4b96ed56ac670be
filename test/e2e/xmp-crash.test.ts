// A run SIGKILLed after it recorded items but before their sidecars were all written: the next run repairs them
// by itself (from .gphotos/xmp-pending.json), without `verify --fix` or `gphotos xmp`. Read back with exiftool.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ManifestItem } from '../../src/core/types.js';
import { encodeText } from '../../src/core/xmp-values.js';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { exiftoolReadAll } from '../archive/xmp-fixtures.js';
import { CLI, assertBuilt, gphotos, summaryOf } from '../helpers/cli.js';
import { GP, manifestItems, sidecarJson, tempDir, writeZip, type FixtureFile } from '../helpers/takeout-fixture.js';

const env = { ...(process.env as Record<string, string>), NODE_ENV: 'production' };
const ITEMS = 200;

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(() => assertBuilt());
beforeEach(async () => {
  tmp = await tempDir('gphotos-e2e-xmp-crash-');
});
afterEach(async () => {
  await tmp.cleanup();
});

/** ITEMS photos; with `captions`, each sidecar also carries a caption and GPS (a later export of the same photos). */
async function takeout(name: string, captions: boolean): Promise<string> {
  const files: FixtureFile[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const file = `IMG_${String(i).padStart(4, '0')}.jpg`;
    const takenSec = 1_546_300_800 + i * 86_400;
    const dir = `${GP}/Photos from ${new Date(takenSec * 1000).getUTCFullYear()}`;
    files.push({ path: `${dir}/${file}`, data: makeJpeg({ width: 16, height: 16, seed: 3000 + i }) });
    const meta = captions ? { description: `Caption ${i} <&>`, geo: { latitude: 10 + i / 1000, longitude: -20 - i / 1000 } } : {};
    files.push({ path: `${dir}/${file}.supplemental-metadata.json`, data: sidecarJson({ title: file, takenSec, url: `https://photos.google.com/photo/c${i}`, ...meta }) });
  }
  const zip = join(tmp.dir, name);
  await writeZip(zip, files);
  return zip;
}

/** Run `gphotos import` and SIGKILL it as soon as `count` lines of `event` have been printed. */
async function killedImport(archive: string, zip: string, event: string, count: number): Promise<void> {
  const child = execa(process.execPath, [CLI, 'import', archive, zip, '--json', '--tz', 'UTC', '--transfers', '8'], { reject: false, env, extendEnv: false });
  let seen = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString().split('\n').filter((l) => l.includes(`"event":"${event}"`)).length;
    if (seen >= count) child.kill('SIGKILL');
  });
  const r = await child;
  expect(r.signal, 'the run was killed before it finished').toBe('SIGKILL');
}

/** Every manifest item has a sidecar holding what the manifest says, read by exiftool; verify agrees. */
async function expectCompleteSidecars(archive: string): Promise<ManifestItem[]> {
  const items = await manifestItems(archive);
  expect(items).toHaveLength(ITEMS);
  const tags = await exiftoolReadAll(items.map((m) => join(archive, `${m.path}.xmp`)));
  const wrong = items.filter((m, i) => {
    const t = tags[i] ?? {};
    return t['XMP-gphotos:Sha256'] !== m.sha256 || t['XMP-gphotos:Key'] !== encodeText(m.key) || (m.description !== undefined && t['XMP-dc:Description'] !== encodeText(m.description))
      || (m.gps !== undefined && Math.abs(Number(t['XMP-exif:GPSLatitude']) - m.gps.latitude) > 1e-6);
  });
  expect(wrong.map((m) => m.path), 'items whose sidecar is missing or stale').toEqual([]);
  const verify = await gphotos(['verify', archive], env);
  expect(verify.exitCode, String(verify.stdout) + String(verify.stderr)).toBe(0);
  const state = await readdir(join(archive, '.gphotos'));
  expect(state, 'the pending list is gone once every sidecar is written').not.toContain('xmp-pending.json');
  return items;
}

describe('sidecars after a killed run', () => {
  it('an import killed mid-way: the next import writes the sidecars of what the killed one recorded', async () => {
    const zip = await takeout('takeout-001.zip', true);
    const archive = join(tmp.dir, 'archive');
    await killedImport(archive, zip, 'imported', 60);
    const again = await gphotos(['import', archive, zip, '--json', '--tz', 'UTC'], env);
    expect(again.exitCode, String(again.stderr)).toBe(0);
    expect(summaryOf(again.stdout)).toMatchObject({ failed: 0 });
    const items = await expectCompleteSidecars(archive);
    expect(items.filter((m) => m.description === undefined)).toEqual([]);
  }, 120_000);

  it('a later export that adds captions, killed after its first records: re-running it refreshes every sidecar', async () => {
    const archive = join(tmp.dir, 'archive');
    const plain = await gphotos(['import', archive, await takeout('takeout-001.zip', false), '--json', '--tz', 'UTC'], env);
    expect(plain.exitCode, String(plain.stderr)).toBe(0);
    const later = await takeout('takeout-002.zip', true);
    await killedImport(archive, later, 'annotated', 1);
    // Some items got their caption recorded by the killed run: the plan has nothing left to do for them.
    const recorded = (await manifestItems(archive)).filter((m) => m.description !== undefined).length;
    expect(recorded).toBeGreaterThan(0);
    const again = await gphotos(['import', archive, later, '--json', '--tz', 'UTC'], env);
    expect(again.exitCode, String(again.stderr)).toBe(0);
    const items = await expectCompleteSidecars(archive);
    expect(items.filter((m) => m.description === undefined)).toEqual([]);
  }, 120_000);
});
