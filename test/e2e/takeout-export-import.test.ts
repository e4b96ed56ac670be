// One consistent fake Google: `gphotos emulator --takeout-out` writes a Takeout of the library the API serves,
// and today's `gphotos import` of it (the built CLI) brings in every item but the trashed ones.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { assertBuilt, gphotos, summaryOf } from '../helpers/cli.js';
import { manifestItems } from '../helpers/takeout-fixture.js';

const env = { ...(process.env as Record<string, string>), NODE_ENV: 'production' };
/**
 * Items import misses today (issue 11, "Names stay distinct"), as NFC: the Takeout holds both 'café.jpg' (NFC)
 * and 'café.jpg' (NFD); import NFC-normalises entry paths, so the two are one path and one twin (which one
 * depends on the entry order) is never imported nor counted as failed. Empty this list when import keeps them apart.
 */
const KNOWN_MISSING = ['caf\u00e9.jpg'];

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
    expect(summary).toMatchObject({ trashed: 2, failed: 0, badSidecars: 0, imported: e.library.items.length - KNOWN_MISSING.length });

    const stored = await manifestItems(archive);
    const ids = new Set(stored.flatMap((i) => i.refs.map((ref) => ref.id)));
    const missing = e.library.items.filter((it) => !ids.has(`https://photos.google.com/photo/${it.id}`)).map((it) => it.filename.normalize('NFC'));
    expect(missing).toEqual(KNOWN_MISSING);
    expect(stored.every((i) => i.quality === 'original')).toBe(true);
  });
});
