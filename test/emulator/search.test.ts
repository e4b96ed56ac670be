// mediaItems.search: every rule of reference §1.4, valid and invalid, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import type { LibraryItem } from '../../src/emulator/library-data.js';
import { startEmulator } from '../../src/emulator/server.js';
import { search, searchAll } from './helpers.js';

let e: Emulator;
let token: string;
let items: LibraryItem[];

beforeAll(async () => {
  e = await startEmulator({ items: 200, seed: 5 });
  token = e.issueAccessToken();
  items = e.items as LibraryItem[];
});
afterAll(async () => {
  await e.stop();
});

const dated = (pred: (y: number, m: number, d: number) => boolean): string[] =>
  items
    .filter((it) => it.hasCaptureDate && !it.archived)
    .filter((it) => {
      const [y, m, d] = (it.exifDateTimeOriginal?.replace(/:/g, '-') ?? it.creationTime).slice(0, 10).split('-').map(Number);
      return pred(y!, m!, d!);
    })
    .map((it) => it.id)
    .sort();

const ids = (list: Array<{ id: string }>): string[] => list.map((i) => i.id).sort();

async function expect400(body: unknown, fragment?: RegExp): Promise<void> {
  const res = await search(e, token, body);
  expect(res.status).toBe(400);
  expect(res.body.error?.status).toBe('INVALID_ARGUMENT');
  if (fragment) expect(res.body.error?.message).toMatch(fragment);
}

describe('mediaItems.search', () => {
  it('without filters returns every item (archived too), newest first, 25 per page by default', async () => {
    const first = await search(e, token, {});
    expect(first.body.mediaItems).toHaveLength(25);
    const all = await searchAll(e, token, {});
    expect(ids(all)).toEqual(items.map((i) => i.id).sort());
    const times = all.map((i) => i.mediaMetadata.creationTime);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('clamps pageSize to 100 and rejects negative sizes', async () => {
    expect((await search(e, token, { pageSize: 500 })).body.mediaItems).toHaveLength(100);
    await expect400({ pageSize: -5 });
  });

  it('refuses albumId together with filters', async () => {
    await expect400({ albumId: 'AF1QipAnything00000', filters: { mediaTypeFilter: { mediaTypes: ['PHOTO'] } } }, /albumId/);
  });

  it('matches whole days, months, years and the same day every year (EXIF local date)', async () => {
    const month = await searchAll(e, token, { filters: { dateFilter: { dates: [{ year: 2019, month: 3 }] } } });
    expect(ids(month)).toEqual(dated((y, m) => y === 2019 && m === 3));
    expect(month.filter((i) => i.filename === 'IMG_1234.JPG')).toHaveLength(2);

    const year = await searchAll(e, token, { filters: { dateFilter: { dates: [{ year: 2021 }] } } });
    expect(ids(year)).toEqual(dated((y) => y === 2021));

    // creationTime 2021-03-31T20:30:00Z, EXIF 2021:04:01 05:30:00 +09:00: found on its local date.
    const day = await searchAll(e, token, { filters: { dateFilter: { dates: [{ year: 2021, month: 4, day: 1 }] } } });
    const pxl = day.find((i) => i.filename === 'PXL_20210401_053000000.jpg');
    expect(pxl?.mediaMetadata.creationTime).toBe('2021-03-31T20:30:00Z');

    const everyYear = await searchAll(e, token, { filters: { dateFilter: { dates: [{ month: 3, day: 9 }] } } });
    expect(ids(everyYear)).toEqual(dated((_y, m, d) => m === 3 && d === 9));
  });

  it('ranges are inclusive and may combine with dates (ORed)', async () => {
    const range = { startDate: { year: 2019, month: 3, day: 9 }, endDate: { year: 2019, month: 3, day: 21 } };
    const found = await searchAll(e, token, { filters: { dateFilter: { ranges: [range] } } });
    expect(found.filter((i) => i.filename === 'IMG_1234.JPG')).toHaveLength(2); // on both bounds
    expect(ids(found)).toEqual(dated((y, m, d) => y === 2019 && m === 3 && d >= 9 && d <= 21));
    const months = await searchAll(e, token, {
      filters: { dateFilter: { ranges: [{ startDate: { year: 2016, month: 11 }, endDate: { year: 2017, month: 2 } }], dates: [{ year: 2020 }] } },
    });
    expect(ids(months)).toEqual(dated((y, m) => (y === 2016 && m >= 11) || (y === 2017 && m <= 2) || y === 2020));
  });

  it('never matches items without capture-date metadata', async () => {
    const noExif = items.find((i) => i.filename === 'scan-no-exif-1.jpg')!;
    const found = await searchAll(e, token, { filters: { dateFilter: { dates: [{ year: 2022, month: 9, day: 14 }] } } });
    expect(found.map((i) => i.id)).not.toContain(noExif.id);
    const unfiltered = await searchAll(e, token, {});
    expect(unfiltered.map((i) => i.id)).toContain(noExif.id);
  });

  it('enforces the Date wildcard rules and the 5-dates/5-ranges limits', async () => {
    await expect400({ filters: { dateFilter: { dates: [{ year: 0, month: 0, day: 0 }] } } });
    await expect400({ filters: { dateFilter: { dates: [{ year: 2020, month: 0, day: 5 }] } } });
    await expect400({ filters: { dateFilter: { dates: [{ year: 0, month: 5, day: 0 }] } } });
    await expect400({ filters: { dateFilter: { dates: [{ year: 2020, month: 13 }] } } });
    await expect400({ filters: { dateFilter: { dates: [{ year: 2020, month: 1, day: 32 }] } } });
    const six = Array.from({ length: 6 }, (_, i) => ({ year: 2015 + i }));
    await expect400({ filters: { dateFilter: { dates: six } } }, /5 dates/);
    await expect400({ filters: { dateFilter: { ranges: six.map((d) => ({ startDate: d, endDate: d })) } } }, /5 date ranges/);
    expect((await search(e, token, { filters: { dateFilter: { dates: six.slice(0, 5) } } })).status).toBe(200);
    await expect400({ filters: { dateFilter: { ranges: [{ startDate: { year: 2019, month: 1, day: 1 }, endDate: { year: 2019, month: 2 } }] } } }, /same format/);
    await expect400({ filters: { dateFilter: { ranges: [{ startDate: { year: 2019 } }] } } });
  });

  it('filters by exactly one media type', async () => {
    const videos = await searchAll(e, token, { filters: { mediaTypeFilter: { mediaTypes: ['VIDEO'] } } });
    expect(ids(videos)).toEqual(items.filter((i) => i.kind === 'video' && !i.archived).map((i) => i.id).sort());
    const photos = await searchAll(e, token, { filters: { mediaTypeFilter: { mediaTypes: ['PHOTO'] } } });
    expect(photos.every((i) => i.mimeType === 'image/jpeg')).toBe(true);
    await expect400({ filters: { mediaTypeFilter: { mediaTypes: ['PHOTO', 'VIDEO'] } } }, /one media type/);
    await expect400({ filters: { mediaTypeFilter: { mediaTypes: ['GIF'] } } });
  });

  it('ANDs filter kinds: photos of a month', async () => {
    const both = await searchAll(e, token, { filters: { dateFilter: { dates: [{ year: 2020, month: 1 }] }, mediaTypeFilter: { mediaTypes: ['VIDEO'] } } });
    expect(both.map((i) => i.filename)).toContain('VID_20200101_000001.mp4');
    expect(both.every((i) => i.mimeType === 'video/mp4')).toBe(true);
  });

  it('orderBy needs a dateFilter, allows only archive flags beside it, and orders oldest first', async () => {
    await expect400({ orderBy: 'MediaMetadata.creation_time' }, /dateFilter/);
    await expect400({ orderBy: 'MediaMetadata.creation_time', filters: { dateFilter: { dates: [{ year: 2019 }] }, mediaTypeFilter: { mediaTypes: ['PHOTO'] } } });
    await expect400({ orderBy: 'creationTime', filters: { dateFilter: { dates: [{ year: 2019 }] } } });
    const asc = await searchAll(e, token, { orderBy: 'MediaMetadata.creation_time', filters: { dateFilter: { dates: [{ year: 2019 }] }, includeArchivedMedia: true } });
    const times = asc.map((i) => i.mediaMetadata.creationTime);
    expect(times).toEqual([...times].sort());
    const desc = await searchAll(e, token, { orderBy: 'MediaMetadata.creation_time desc', filters: { dateFilter: { dates: [{ year: 2019 }] } } });
    expect(desc.map((i) => i.mediaMetadata.creationTime)).toEqual([...desc.map((i) => i.mediaMetadata.creationTime)].sort().reverse());
  });

  it('hides archived items from filtered searches unless includeArchivedMedia', async () => {
    const archived = items.find((i) => i.archived)!;
    const filters = { dateFilter: { dates: [{ year: 2019, month: 11 }] } };
    expect((await searchAll(e, token, { filters })).map((i) => i.id)).not.toContain(archived.id);
    expect((await searchAll(e, token, { filters: { ...filters, includeArchivedMedia: true } })).map((i) => i.id)).toContain(archived.id);
  });

  it('featureFilter FAVORITES returns favourites only', async () => {
    const favs = await searchAll(e, token, { filters: { featureFilter: { includedFeatures: ['FAVORITES'] } } });
    expect(ids(favs)).toEqual(items.filter((i) => i.favorite && !i.archived).map((i) => i.id).sort());
    expect(favs.map((i) => i.filename)).toContain('favourite.jpg');
    await expect400({ filters: { featureFilter: { includedFeatures: ['SHINY'] } } });
  });

  it('validates and applies contentFilter', async () => {
    const inc = await searchAll(e, token, { filters: { contentFilter: { includedContentCategories: ['PETS', 'FOOD'] } } });
    expect(ids(inc)).toEqual(items.filter((i) => !i.archived && i.categories.some((c) => c === 'PETS' || c === 'FOOD')).map((i) => i.id).sort());
    const exc = await searchAll(e, token, { filters: { contentFilter: { excludedContentCategories: ['PETS'] } } });
    expect(exc.length).toBe(items.filter((i) => !i.archived && !i.categories.includes('PETS')).length);
    await expect400({ filters: { contentFilter: { includedContentCategories: ['PETS'], excludedContentCategories: ['PETS'] } } }, /both/);
    await expect400({ filters: { contentFilter: { includedContentCategories: ['KITTENS'] } } });
    const eleven = ['LANDSCAPES', 'RECEIPTS', 'CITYSCAPES', 'LANDMARKS', 'SELFIES', 'PEOPLE', 'PETS', 'WEDDINGS', 'BIRTHDAYS', 'DOCUMENTS', 'TRAVEL'];
    await expect400({ filters: { contentFilter: { includedContentCategories: eleven } } });
  });

  it('rejects unknown fields and malformed JSON; tolerates excludeNonAppCreatedData', async () => {
    await expect400({ filter: {} }, /Unknown name "filter"/);
    const res = await fetch(`${e.urls.library}/v1/mediaItems:search`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{nope' });
    expect(res.status).toBe(400);
    expect((await search(e, token, { filters: { excludeNonAppCreatedData: true } })).status).toBe(200);
  });

  it('hides future-dated items from filtered searches only', async () => {
    const local = await startEmulator({ items: 5 });
    try {
      const t = local.issueAccessToken();
      const future = local.addItem({ creationTime: '2999-01-01T00:00:00Z', filename: 'future.jpg' });
      const all = await searchAll(local, t, {});
      expect(all.map((i) => i.id)).toContain(future.id);
      const filtered = await searchAll(local, t, { filters: { mediaTypeFilter: { mediaTypes: ['PHOTO'] } } });
      expect(filtered.map((i) => i.id)).not.toContain(future.id);
    } finally {
      await local.stop();
    }
  });
});
