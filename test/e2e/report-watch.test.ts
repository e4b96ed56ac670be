// `gphotos watch --report FILE`: the page is written after the first cycle and refreshed after each that changed something.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { PageSummary } from '../../src/report/page-data.js';
import { CLI, events, gphotos, signedIn, type CliEnv } from '../helpers/cli.js';
import { execa } from 'execa';

async function itemsInReport(file: string): Promise<number | undefined> {
  const html = await readFile(file, 'utf8').catch(() => undefined);
  const json = html === undefined ? undefined : /<script type="application\/json" id="summary">(.*?)<\/script>/.exec(html)?.[1];
  return json === undefined ? undefined : (JSON.parse(json) as PageSummary).totals.items;
}

describe('watch --report', () => {
  let emulator: Emulator;
  let cli: CliEnv;
  beforeAll(async () => {
    emulator = await startEmulator({ items: 8, seed: 5 });
    cli = await signedIn(emulator);
  });
  afterAll(async () => {
    await emulator.stop();
    await cli.cleanup();
  });

  it('refuses a report in a missing folder before it syncs', async () => {
    const r = await gphotos(['watch', join(cli.home, 'A'), '--report', join(cli.home, 'no', 'r.html'), '--max-cycles', '1'], cli.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toContain('does not exist');
  });

  it('writes the page after the first cycle, refreshes it when a cycle downloads, and leaves it when nothing changed', { timeout: 90_000 }, async () => {
    const archive = join(cli.home, 'Photos');
    const report = join(cli.home, 'report.html');
    const child = execa(process.execPath, [CLI, 'watch', archive, '--report', report, '--interval', '2s', '--no-local-watch', '--max-cycles', '3', '--json', '--tz', 'UTC'],
      { reject: false, env: cli.env, extendEnv: false });
    let first: number | undefined;
    for (let i = 0; i < 400 && first === undefined; i++) {
      await new Promise((r) => setTimeout(r, 50));
      first = await itemsInReport(report);
    }
    expect(first).toBeGreaterThan(0);
    emulator.addItem({ filename: 'ARRIVED.jpg' });
    let second = first;
    for (let i = 0; i < 400 && second === first; i++) {
      await new Promise((r) => setTimeout(r, 50));
      second = await itemsInReport(report);
    }
    expect(second).toBe(first! + 1);
    const refreshed = (await stat(report)).mtimeMs;
    const r = await child;
    expect(r.exitCode).toBe(0);
    const cycles = events(r.stdout).filter((e) => e.event === 'cycle-finished');
    expect(cycles.map((e) => e.downloaded)).toEqual([first, 1, 0]);
    expect(events(r.stdout).filter((e) => e.event === 'warning')).toEqual([]);
    expect((await stat(report)).mtimeMs).toBe(refreshed); // the third cycle changed nothing
  });
});
