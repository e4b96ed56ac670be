// The corpus of real file/sidecar names (fixtures/takeout-corpus.ts) as a real Takeout: a folder, a .zip and a
// .tgz, each whole and in entries order, and split in two parts (sidecars apart from their photos) in reverse
// order with the parts given the other way round. Every form must give every media file the sidecar (and date)
// the corpus expects, and the six catalogs must be the same.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { makeMp4 } from '../../src/emulator/media/mp4.js';
import { buildCatalog, type Catalog } from '../../src/sources/takeout/catalog.js';
import { DEFAULT_LIMITS, type IndexResult } from '../../src/sources/takeout/input.js';
import { isVideoName, localTimeFromName } from '../../src/sources/takeout/names.js';
import { openInput } from '../../src/sources/takeout/open-input.js';
import { GP, sidecarJson, tempDir, writeTgz, writeTree, writeZip, type FixtureFile } from '../helpers/takeout-fixture.js';
import { CORPUS, type Expected } from './fixtures/takeout-corpus.js';

interface Case {
  path: string;
  expected: Expected;
  source: string;
  nameDate?: string;
  trashed: boolean;
}

const JPEG = makeJpeg({ width: 16, height: 16, seed: 7 });
const MP4 = makeMp4({ creationTime: new Date('2018-01-01T00:00:00Z'), seed: 7 });
const SEC0 = 1_550_000_000;

function corpusFiles(): { media: FixtureFile[]; sidecars: FixtureFile[]; cases: Case[]; takenSec: Map<string, number> } {
  const media: FixtureFile[] = [];
  const sidecars: FixtureFile[] = [];
  const cases: Case[] = [];
  const takenSec = new Map<string, number>();
  CORPUS.forEach((g, gi) => {
    const dir = `${GP}/g${gi}/${g.folder ?? 'Photos from 2019'}`;
    for (const [name, title] of Object.entries(g.sidecars)) {
      const sec = SEC0 + takenSec.size * 3600;
      takenSec.set(`${dir}/${name}`, sec);
      sidecars.push({ path: `${dir}/${name}`, data: sidecarJson({ title, takenSec: sec }) });
    }
    const names = new Set([...Object.keys(g.media), ...Object.keys(g.content ?? {})]);
    for (const name of names) {
      const kind = g.content?.[name] ?? (isVideoName(name) ? 'mp4' : 'jpeg');
      // A distinct size for every file: no two corpus files look like copies of one another.
      const pad = Buffer.alloc(media.length + 1, 0x20);
      const data = kind === 'text' ? `notes ${media.length}` : Buffer.concat([kind === 'mp4' ? MP4 : JPEG, pad]);
      media.push({ path: `${dir}/${name}`, data });
      const expected = g.media[name];
      if (expected === undefined) continue;
      const nameDate = g.nameDates?.[name];
      cases.push({ path: `${dir}/${name}`, expected, source: g.source, trashed: g.trashed?.includes(name) === true, ...(nameDate === undefined ? {} : { nameDate }) });
    }
  });
  return { media, sidecars, cases, takenSec };
}

const { media, sidecars, cases, takenSec } = corpusFiles();
let tmp: { dir: string; cleanup: () => Promise<void> };
const catalogs = new Map<string, Catalog>();

async function catalogOf(paths: string[]): Promise<Catalog> {
  const indexes: IndexResult[] = [];
  for (const p of paths) {
    const { input } = await openInput(p, DEFAULT_LIMITS);
    indexes.push(await input.index((problem) => expect.fail(`${problem.reason}: ${problem.detail}`)));
    await input.close();
  }
  return buildCatalog(indexes);
}

beforeAll(async () => {
  tmp = await tempDir('gphotos-corpus-');
  const whole = [...media, ...sidecars];
  const parts = [[...media].reverse(), [...sidecars].reverse()];
  await writeTree(join(tmp.dir, 'dir'), whole);
  await writeTree(join(tmp.dir, 'dir-1'), parts[0] ?? []);
  await writeTree(join(tmp.dir, 'dir-2'), parts[1] ?? []);
  await writeZip(join(tmp.dir, 'whole.zip'), whole);
  await writeZip(join(tmp.dir, 'p1.zip'), parts[0] ?? [], { deflate: true });
  await writeZip(join(tmp.dir, 'p2.zip'), parts[1] ?? [], { deflate: true });
  await writeTgz(join(tmp.dir, 'whole.tgz'), whole);
  await writeTgz(join(tmp.dir, 'p1.tgz'), parts[0] ?? []);
  await writeTgz(join(tmp.dir, 'p2.tgz'), parts[1] ?? []);
  const forms: Record<string, string[]> = {
    'folder, whole': ['dir'], 'folder, split': ['dir-2', 'dir-1'],
    'zip, whole': ['whole.zip'], 'zip, split': ['p2.zip', 'p1.zip'],
    'tgz, whole': ['whole.tgz'], 'tgz, split': ['p2.tgz', 'p1.tgz'],
  };
  for (const [form, paths] of Object.entries(forms)) catalogs.set(form, await catalogOf(paths.map((p) => join(tmp.dir, p))));
}, 60_000);

afterAll(async () => {
  await tmp.cleanup();
});

/** What a catalog says, without which input an entry came from. */
function view(c: Catalog) {
  return {
    items: c.items.map((i) => [i.entry.path, i.variant, i.sidecar?.title, i.sidecar?.takenSec, i.trashed, i.id ?? '']),
    skipped: c.skipped.map((s) => [s.path, s.reason, s.detail]),
    problems: c.problems,
    sidecars: c.sidecars,
  };
}

describe('the Takeout corpus', () => {
  it(`holds at least 100 cases, each citing where its names were seen (${cases.length} cases)`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    for (const c of cases) expect(c.source).toMatch(/\S/);
  });

  for (const form of ['folder, whole', 'folder, split', 'zip, whole', 'zip, split', 'tgz, whole', 'tgz, split']) {
    it(`gives every media file its sidecar and date: ${form}`, () => {
      const c = catalogs.get(form);
      if (c === undefined) throw new Error(`no catalog for ${form}`);
      const items = new Map(c.items.map((i) => [i.entry.path, i]));
      const skipped = new Map(c.skipped.map((s) => [s.path, s]));
      const got = cases.map((k) => {
        const item = items.get(k.path);
        if (item === undefined) return { path: k.path, sidecar: skipped.get(k.path)?.reason ?? 'missing' };
        // Kept without a sidecar (nothing is lost to a guess), the ambiguity said.
        if (item.ambiguousSidecar !== undefined) return { path: k.path, sidecar: item.sidecar === undefined ? 'ambiguous' : 'ambiguous with a sidecar?!' };
        // The sidecar's time (UTC) when there is one, else the time the name carries.
        const sec = item.sidecar?.takenSec;
        const date = sec === undefined ? localTimeFromName(item.name) : new Date(sec * 1000).toISOString().slice(0, 19);
        const checked = sec !== undefined || k.nameDate !== undefined; // files the corpus gives a date for
        return { path: k.path, sidecar: item.sidecar === undefined ? 'none' : item.sidecar.title, ...(checked ? { date } : {}), trashed: item.trashed };
      });
      const want = cases.map((k) => {
        const dir = k.path.slice(0, k.path.lastIndexOf('/'));
        if (k.expected === 'ambiguous') return { path: k.path, sidecar: 'ambiguous' };
        if (k.expected === 'none') return { path: k.path, sidecar: 'none', ...(k.nameDate === undefined ? {} : { date: k.nameDate }), trashed: k.trashed };
        const sec = takenSec.get(`${dir}/${k.expected}`);
        const title = sidecars.find((s) => s.path === `${dir}/${k.expected}`);
        if (sec === undefined || title === undefined) throw new Error(`corpus: ${k.path} expects ${k.expected}, which the group does not hold (${k.source})`);
        return { path: k.path, sidecar: (JSON.parse(String(title.data)) as { title: string }).title, date: new Date(sec * 1000).toISOString().slice(0, 19), trashed: k.trashed };
      });
      expect(got).toEqual(want);
    });
  }

  it('gives the same catalog in every form and order', () => {
    const [first, ...rest] = [...catalogs.values()].map(view);
    for (const v of rest) expect(v).toEqual(first);
  });

  it('accounts for every media file: an item or a skip with a reason, the text file is neither', () => {
    const c = catalogs.get('zip, whole');
    if (c === undefined) throw new Error('no catalog');
    const mediaPaths = media.filter((m) => !m.path.endsWith('/notes')).map((m) => m.path).sort();
    expect([...c.items.map((i) => i.entry.path), ...c.skipped.map((s) => s.path)].sort()).toEqual(mediaPaths);
    // The two contested photos are archived without a sidecar, each with the reason.
    expect(c.skipped).toEqual([]);
    const contested = c.items.filter((i) => i.ambiguousSidecar !== undefined);
    expect(contested.map((i) => i.name)).toHaveLength(2);
    expect(contested[0]?.ambiguousSidecar).toMatch(/Google Photos Edito\.json could each be its sidecar/);
  });
});

describe('catalog accounting', () => {
  it('names media that two inputs both hold, or that an input refused, as skipped with a reason', async () => {
    const { dir, cleanup } = await tempDir('gphotos-account-');
    try {
      const y = `${GP}/Photos from 2019`;
      const files: FixtureFile[] = [
        { path: `${y}/A.jpg`, data: JPEG },
        { path: `${y}/A.jpg.json`, data: sidecarJson({ title: 'A.jpg', takenSec: SEC0 }) },
        { path: `${y}/bomb.jpg`, data: Buffer.alloc(4 << 20) },
        { path: '../evil.jpg', data: JPEG },
      ];
      await writeZip(join(dir, 'a.zip'), files, { deflate: true });
      await writeTree(join(dir, 'x'), files.slice(0, 2));
      const problems: string[] = [];
      const indexes: IndexResult[] = [];
      for (const p of ['a.zip', 'x']) {
        const { input } = await openInput(join(dir, p), DEFAULT_LIMITS);
        indexes.push(await input.index((pr) => problems.push(pr.reason)));
        await input.close();
      }
      const c = buildCatalog(indexes);
      expect(problems.sort()).toEqual(['bomb', 'unsafe-path']);
      expect(c.items.map((i) => [i.input, i.entry.path, i.sidecar?.takenSec])).toEqual([[0, `${y}/A.jpg`, SEC0]]);
      expect(c.skipped.map((s) => [s.input, s.path, s.reason])).toEqual([
        [0, '../evil.jpg', 'unsafe-path'], [1, `${y}/A.jpg`, 'same-path'], [0, `${y}/bomb.jpg`, 'bomb'],
      ]);
    } finally {
      await cleanup();
    }
  });
});
