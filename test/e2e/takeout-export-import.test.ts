// One consistent fake Google: `gphotos emulator --takeout-out` writes a Takeout of the library the API serves,
// and `gphotos import` of it (the built CLI) brings in every item but the trashed ones, each as an original.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { assertBuilt, gphotos, signedIn, summaryOf } from '../helpers/cli.js';
import { manifestItems } from '../helpers/takeout-fixture.js';

const env = { ...(process.env as Record<string, string>), NODE_ENV: 'production' };
/**
 * Library items import does not record under their own Takeout id (empty since sidecar matching keeps NFC and NFD
 * names apart: the NFD 'café.jpg' takes its own sidecar, not its NFC twin's).
 */
const KNOWN_WRONG_SIDECAR: string[] = [];

let home: string;
let e: Emulator; // the same seed and size as the CLI's: the same library
beforeAll(async () => {
  assertBuilt();
  home = await mkdtemp(join(tmpdir(), 'gphotos-e2e-takeout-export-'));
  e = await startEmulator({ items: 120, seed: 5 });
});
afterAll(async () => {
  await e.stop();
  await rm(home, { recursive: true, force: true });
});

describe('gphotos emulator --takeout-out, then gphotos import', () => {
  it('writes a split Takeout and exits; import takes every non-trashed item as an original', async () => {
    const out = join(home, 'Downloads');
    const w = await gphotos(['emulator', '--items', '120', '--seed', '5', '--takeout-out', out, '--takeout-part-mb', '0.5',
      '--takeout-sidecars', 'mixed', '--takeout-trashed', '2', '--no-serve'], env);
    expect(w.exitCode, String(w.stderr)).toBe(0);
    expect(String(w.stdout)).toMatch(/Takeout export of the same library \(122 items, 2 trashed\)/);
    expect(String(w.stdout)).not.toMatch(/listening/);
    const parts = [...String(w.stdout).matchAll(/^ {2}(\S+\.zip)$/gm)].map((m) => m[1]!);
    expect(parts.length).toBeGreaterThan(2);

    const archive = join(home, 'Photos');
    const r = await gphotos(['import', archive, ...parts, '--json', '--tz', 'UTC'], env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const summary = summaryOf(r.stdout);
    expect(summary).toMatchObject({ trashed: 2, failed: 0, badSidecars: 0, imported: e.library.items.length });

    const stored = await manifestItems(archive);
    const ids = new Set(stored.flatMap((i) => i.refs.map((ref) => ref.id)));
    const missing = e.library.items.filter((it) => !ids.has(`https://photos.google.com/photo/${it.id}`)).map((it) => it.filename);
    expect(missing).toEqual(KNOWN_WRONG_SIDECAR);
    expect(stored.every((i) => i.quality === 'original')).toBe(true);
    // The archived photo is the Takeout original: the GPS the API's =d strips is in its EXIF (read by exiftool).
    const withGps = e.library.items.find((it) => it.gps !== undefined && /^PXL_/.test(it.filename))!;
    const path = stored.find((i) => i.refs.some((ref) => ref.id === `https://photos.google.com/photo/${withGps.id}`))!.path;
    const tags = JSON.parse((await execa('exiftool', ['-j', '-n', '-Composite:GPSLatitude', join(archive, path)])).stdout) as { GPSLatitude?: number }[];
    expect(tags[0]?.GPSLatitude).toBeCloseTo(withGps.gps!.lat, 6);
  });

  it('after a sync of the same library, the import upgrades every API copy in place: one item per library item', async () => {
    const cli = await signedIn(e);
    try {
      const archive = join(cli.home, 'Photos');
      const sync = await gphotos(['sync', archive, '--tz', 'UTC', '--json'], cli.env);
      expect(sync.exitCode, String(sync.stderr)).toBe(0);
      const copies = (await manifestItems(archive)).length;
      const out = join(cli.home, 'Downloads');
      const w = await gphotos(['emulator', '--items', '120', '--seed', '5', '--takeout-out', out, '--no-serve'], env);
      expect(w.exitCode, String(w.stderr)).toBe(0);
      const parts = [...String(w.stdout).matchAll(/^ {2}(\S+\.zip)$/gm)].map((m) => m[1]!);
      const r = await gphotos(['import', archive, ...parts, '--json', '--tz', 'UTC'], cli.env);
      expect(r.exitCode, String(r.stderr)).toBe(0);
      // Videos Google had not finished processing were not synced: they arrive now, as new originals.
      expect(summaryOf(r.stdout), String(r.stdout).split("\n").filter((l) => l.includes("ambiguous")).join("\n")).toMatchObject({ upgraded: copies, imported: e.library.items.length - copies, ambiguous: 0, failed: 0 });
      const again = await gphotos(['sync', archive, '--json'], cli.env);
      expect(summaryOf(again.stdout)).toMatchObject({ downloaded: 0, drift: { originalMissing: 0 } });
      const stored = await manifestItems(archive);
      expect(stored).toHaveLength(e.library.items.length);
      expect(stored.every((i) => i.quality === 'original')).toBe(true);
      for (const it of e.library.items) {
        expect(stored.filter((i) => i.refs.some((ref) => ref.source === 'library' && ref.id === it.id)), it.filename).toHaveLength(1);
      }
    } finally {
      await cli.cleanup();
    }
  }, 60_000);
});
