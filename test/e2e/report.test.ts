// `gphotos report` end to end: the built CLI writes the page of a demo archive, headless Chromium opens it from disk.
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type Browser } from '../helpers/chromium.js';
import { archiveFiles, assertBuilt, gphotos, ROOT, summaryOf } from '../helpers/cli.js';
import { INJECTION, writeDemoArchive } from '../report/demo-archive.js';

const env = { ...(process.env as Record<string, string>), NODE_ENV: 'production' };
/** Every preview of the open month has loaded (a broken or blocked image has naturalWidth 0). */
const IMAGES_LOADED = `[...document.querySelectorAll('#month img')].every((i) => i.complete && i.naturalWidth > 0)`;

describe('report', () => {
  let home: string;
  let archive: string;
  let out: string;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const errors: string[] = [];

  /** Evaluated in the page (as text: this project's TypeScript has no DOM types). */
  const inPage = <T = unknown>(expression: string): Promise<T> => page.evaluate<T>(expression);
  // Not page.waitForFunction(string): Playwright polls a string predicate with eval() inside the page, which the
  // report's Content-Security-Policy rightly refuses whenever the first check is false. evaluate() is not eval.
  const until = (expression: string): Promise<void> => expect.poll(() => inPage<boolean>(expression), { timeout: 10_000 }).toBe(true);

  beforeAll(async () => {
    assertBuilt();
    home = await mkdtemp(join(tmpdir(), 'gphotos-report-'));
    archive = join(home, 'My Photos');
    await writeDemoArchive(archive);
    await mkdir(join(home, 'reports'));
    out = join(home, 'reports', 'archive.html');
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('writes the page beside, not inside, the archive and prints a summary event', async () => {
    const before = await archiveFiles(archive);
    // Named as a user in the parent folder would (the page shows the name as given).
    const r = await gphotos(['report', 'My Photos', '--out', join('reports', 'archive.html'), '--json'], env, { cwd: home });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(summaryOf(r.stdout)).toMatchObject({ out, items: 6, months: 4, holes: 1, albums: 3, health: { present: 6, missing: 0 } });
    expect((await stat(out)).size).toBe((summaryOf(r.stdout) as { bytes: number }).bytes);
    expect(await archiveFiles(archive)).toEqual(before);
  });

  it('opens from disk: one bar per month with its count, the hole marked, and health with what to run next', async () => {
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('body[data-ready="1"]');
    const bars = await inPage<[string, string, boolean][]>(`[...document.querySelectorAll('#timeline g.month')].map((g) => [g.getAttribute('data-month'), g.getAttribute('data-count'), g.classList.contains('hole')])`);
    expect(bars).toEqual([['2024-01', '3', false], ['2024-02', '0', true], ['2024-03', '2', false], ['2024-04', '1', false]]);
    expect(await page.locator('#timeline g.hole .seg-hole').count()).toBe(1);
    // Stacked by origin: January holds one original, one Library and one Picker copy.
    expect(await inPage(`[...document.querySelectorAll('#timeline g[data-month="2024-01"] .seg')].map((x) => x.getAttribute('class'))`)).toEqual(['seg seg-original', 'seg seg-picker', 'seg seg-library']);
    const health = await page.textContent('#health');
    expect(health).toContain(`gphotos status 'My Photos' --remote`);
    expect(health).toContain(`gphotos import 'My Photos' TAKEOUT…`); // the hole
    expect(await page.textContent('#archive')).toBe('My Photos');
  });

  it('a click on a month shows its previews, loaded from the archive by relative path', async () => {
    await page.click('#timeline g[data-month="2024-01"]');
    await page.waitForSelector('#month .card');
    expect(await page.locator('#month .card').count()).toBe(3);
    await until(IMAGES_LOADED);
    const imgs = await inPage(`[...document.querySelectorAll('#month img')].map((i) => [i.getAttribute('src'), i.naturalWidth, i.getAttribute('loading')])`);
    expect(imgs).toEqual([['../My%20Photos/2024/01/IMG_0001.jpg', 64, 'lazy'], ['../My%20Photos/2024/01/IMG_0002.jpg', 64, 'lazy']]);
    expect(await page.locator('#month .video-icon').count()).toBe(1);
    const first = page.locator('#month .card').first();
    const shown = {
      date: await first.locator('.date').textContent(), caption: await first.locator('.caption').textContent(),
      albums: await first.locator('.badge.album').allTextContents(), open: await first.locator('a.open').getAttribute('href'),
    };
    expect(shown).toEqual({ date: '2024-01-05 10:00', caption: 'New year walk', albums: ['Winter', 'Family'], open: '../My%20Photos/2024/01/IMG_0001.jpg' });
    // A screenshot to look at on every run; GPHOTOS_UPDATE_SCREENSHOTS=1 refreshes the one docs/report.md shows
    // (every run would otherwise leave that tracked file modified: the page shows when it was generated).
    const shot = process.env.GPHOTOS_UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/images/report.png') : join(tmpdir(), 'gphotos-report-e2e.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
  });

  it('shows an injected caption and album title as text, and a name with # and ? still loads', async () => {
    await page.click('#timeline g[data-month="2024-03"]');
    await until(`document.querySelectorAll('#month .card').length === 2`);
    await until(IMAGES_LOADED);
    expect(await page.locator('#month .caption').allTextContents()).toEqual([INJECTION]);
    expect(await page.locator('#month .badge.album').allTextContents()).toEqual([INJECTION, 'Family']);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await inPage(`[...document.querySelectorAll('#month img')].map((i) => i.getAttribute('src'))`)).toContain('../My%20Photos/2024/03/IMG_0005%20%231%3F.jpg');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('an album filters the timeline and the month', async () => {
    await page.click('#albums button:has-text("Family (2)")');
    await until(`document.querySelectorAll('#month .card').length === 1`);
    expect(await page.locator('#month .card .name').allTextContents()).toEqual(['IMG_0005 #1?.jpg']);
    expect(await inPage(`[...document.querySelectorAll('#timeline g.month')].map((g) => g.querySelectorAll('.seg-album').length)`)).toEqual([1, 0, 1, 0]);
  });

  it('by default writes ./gphotos-report.html, and refuses to when the current folder is in the archive', async () => {
    const ok = await gphotos(['report', archive], env, { cwd: home });
    expect(ok.exitCode, String(ok.stderr)).toBe(0);
    expect(String(ok.stdout)).toContain(`Wrote ${join(home, 'gphotos-report.html')}`);
    expect(await readFile(join(home, 'gphotos-report.html'), 'utf8')).toContain('"root":"My%20Photos/"');
    const inside = await gphotos(['report', '.'], env, { cwd: join(archive, '2024') });
    expect(inside.exitCode).toBe(2);
    expect(String(inside.stderr)).toContain('would be written inside the archive');
    expect(String(inside.stderr)).toContain('--out');
    expect(await archiveFiles(archive)).not.toContain('2024/gphotos-report.html');
  });

  it('says what is wrong with a folder that is no archive, a missing --out folder, a link or .gphotos/', async () => {
    const empty = join(home, 'empty');
    await mkdir(empty);
    const cases: [string[], number, string][] = [
      [['report', empty, '--out', join(home, 'x.html')], 5, 'is not a gphotos archive'],
      [['report', join(home, 'nope')], 2, 'does not exist'],
      [['report', archive, '--out', join(home, 'missing', 'r.html')], 2, `the folder ${join(home, 'missing')} does not exist`],
      [['report', archive, '--out', join(home, 'link.html')], 2, 'is a symbolic link'],
      [['report', archive, '--out', join(archive, '.gphotos', 'r.html')], 2, ".gphotos/ folder"],
      [['report', archive, '--out', join(home, 'reports')], 2, 'is a folder'],
    ];
    await writeFile(join(home, 'target.html'), 'mine');
    await symlink(join(home, 'target.html'), join(home, 'link.html'));
    for (const [args, code, message] of cases) {
      const r = await gphotos(args, env);
      expect([r.exitCode, String(r.stderr)], args.join(' ')).toEqual([code, expect.stringContaining(message)]);
    }
    expect(await readFile(join(home, 'target.html'), 'utf8')).toBe('mine');
  });
});
