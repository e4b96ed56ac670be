// `npm run bench:report`: `gphotos report` on a generated archive of 100,000 items (real little JPEGs, captions,
// albums, three sources, holes), then headless Chromium opens the page from disk and opens one month.
// Prints: generation time, page size, and the browser's load and month-open times (performance timing).
// Not a timed test. Env: BENCH_FILES (default 100000), BENCH_KEEP=1 keeps the temp dir.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { makeJpeg } from '../src/emulator/media/jpeg.js';
import { launchChromium } from '../test/helpers/chromium.js';

const run = promisify(execFile);
const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const CLI = resolve(process.env.GPHOTOS_ROOT ?? process.cwd(), 'bin/gphotos.js');
const say = (s = ''): void => void process.stdout.write(`${s}\n`);
const SOURCES = ['takeout', 'library', 'picker'] as const;

/** 20 years of months, every 7th month left empty (a hole); one JPEG's bytes for every photo, an MP4 name for 1 in 20. */
async function generate(root: string): Promise<{ months: number }> {
  const body = makeJpeg({ width: 160, height: 120, seed: 7, dateTimeOriginal: '2020:01:01 12:00:00' });
  const months: string[] = [];
  for (let k = 0; k < 240; k++) if (k % 7 !== 3) months.push(`${2005 + Math.floor(k / 12)}/${String((k % 12) + 1).padStart(2, '0')}`);
  for (const m of months) await mkdir(join(root, m), { recursive: true });
  const items: Record<string, object> = {};
  const pending: Promise<void>[] = [];
  for (let i = 0; i < FILES; i++) {
    const month = months[i % months.length]!;
    const video = i % 20 === 0;
    const path = `${month}/IMG_${String(i).padStart(6, '0')}.${video ? 'mp4' : 'jpg'}`;
    pending.push(writeFile(join(root, path), body));
    if (pending.length >= 256) await Promise.all(pending.splice(0));
    const day = String(1 + (i % 28)).padStart(2, '0');
    const localTime = `${month.replace('/', '-')}-${day}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
    const source = SOURCES[i % 3]!;
    items[`${source}:id${i}`] = {
      key: `${source}:id${i}`, refs: [{ source, id: `id${i}` }], path, size: body.length, sha256: '0'.repeat(64),
      captureTime: `${localTime}Z`, localTime, timeSource: 'exif', mimeType: video ? 'video/mp4' : 'image/jpeg', filename: path.slice(8),
      quality: source === 'takeout' ? 'original' : 'api-copy', fetchedAt: '2025-01-01T00:00:00Z', mtimeStamped: false,
      ...(i % 3 === 0 ? { description: `Caption number ${i}, somewhere nice` } : {}),
      ...(i % 5 === 0 ? { albums: [`Album ${i % 200}`] } : {}),
    };
  }
  await Promise.all(pending);
  await mkdir(join(root, '.gphotos'), { recursive: true });
  await writeFile(join(root, '.gphotos/manifest.json'), JSON.stringify({ schema: 1, createdAt: new Date().toISOString(), items, sources: {} }));
  return { months: months.length };
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'gphotos-bench-report-'));
  try {
    const archive = join(tmp, 'Photos');
    const out = join(tmp, 'report.html');
    const g0 = performance.now();
    const { months } = await generate(archive);
    say(`generated ${FILES} items over ${months} months in ${((performance.now() - g0) / 1000).toFixed(1)} s`);

    const t0 = performance.now();
    const r = await run(process.execPath, [CLI, 'report', archive, '--out', out, '--json'], { maxBuffer: 1 << 26 });
    const genMs = performance.now() - t0;
    const summary = (JSON.parse(r.stdout.trim()) as { summary: { items: number; months: number; holes: number; elapsedMs: number } }).summary;
    const size = (await stat(out)).size;
    say(`gphotos report: ${(genMs / 1000).toFixed(2)} s wall (${summary.elapsedMs} ms inside), ${summary.items} items, ${summary.months} months, ${summary.holes} holes`);
    say(`page: ${(size / 1e6).toFixed(2)} MB (${(size / summary.items).toFixed(0)} bytes per item)`);

    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(pathToFileURL(out).href);
      await page.waitForSelector('body[data-ready="1"]');
      const nav = await page.evaluate<{ dcl: number; load: number; ready: number }>(
        `(() => { const n = performance.getEntriesByType('navigation')[0]; return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, ready: performance.now() }; })()`,
      );
      // The busiest month: parse its block, build its first page of cards, and let layout happen.
      const open = await page.evaluate<{ ms: number; cards: number }>(`new Promise((done) => {
        const g = [...document.querySelectorAll('#timeline g.month')].sort((a, b) => b.getAttribute('data-count') - a.getAttribute('data-count'))[0];
        const t = performance.now();
        g.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        requestAnimationFrame(() => setTimeout(() => done({ ms: performance.now() - t, cards: document.querySelectorAll('#month .card').length }), 0));
      })`);
      say(`chromium: DOMContentLoaded ${nav.dcl.toFixed(0)} ms, load ${nav.load.toFixed(0)} ms, timeline drawn at ${nav.ready.toFixed(0)} ms`);
      say(`open the busiest month: ${open.ms.toFixed(0)} ms to ${open.cards} cards on screen`);
    } finally {
      await browser.close();
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') say(`kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
  }
}

await main();
