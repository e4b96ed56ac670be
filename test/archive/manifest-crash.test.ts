// Kill a writer with SIGKILL at random instants (mid-batch, mid-compaction, mid-open) and prove that every
// put it saw acknowledged survives and the manifest still opens.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import { itemFor } from './fixtures/manifest-item.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
// Compiled inside the repo so the child resolves lowdb from node_modules; only the child and what it imports
// are compiled, so other work-in-progress files cannot break the test.
const outDir = join(repo, 'node_modules/.cache/gphotos-archive-crash');
let dir: string;

beforeAll(async () => {
  execFileSync(process.execPath, [
    join(repo, 'node_modules/typescript/bin/tsc'),
    ...['--outDir', outDir, '--rootDir', repo, '--module', 'NodeNext', '--moduleResolution', 'NodeNext'],
    ...['--target', 'ES2022', '--skipLibCheck', '--types', 'node'],
    join(here, 'fixtures/manifest-crash-child.ts'),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'gphotos-crash-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Kill `killAfterMs` after spawn (lands in startup and open/replay) or after the store reported open. */
function runAndKill(first: number, killAfterMs: number, fromOpen: boolean): Promise<number[]> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(
      process.execPath,
      [join(outDir, 'test/archive/fixtures/manifest-crash-child.js'), dir, String(first), '300'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    let timer: NodeJS.Timeout | undefined;
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs));
    if (!fromOpen) arm();
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.startsWith('open\n')) arm();
    });
    child.on('exit', (_code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== 'SIGKILL') {
        reject(new Error(`child exited on its own: ${err}`));
        return;
      }
      resolveRun([...out.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1])));
    });
  });
}

it('never loses an acknowledged put when the writer is SIGKILLed at random instants', async () => {
  const acked: number[] = [];
  for (let round = 0; round < 12; round++) {
    // Every third kill counts from spawn (startup, open, replay); the rest land in group commits and
    // compactions (every 300 lines).
    const fromOpen = round % 3 !== 0;
    const killAfter = fromOpen ? Math.floor(Math.random() * 250) : 150 + Math.floor(Math.random() * 250);
    acked.push(...(await runAndKill(round * 1_000_000, killAfter, fromOpen)));
    // Reopen as the next run would (replay, cut a torn tail, compact on close).
    const s = await ManifestStore.open(dir);
    for (const i of acked) expect(s.get(itemFor(i).key)).toEqual(itemFor(i));
    await s.close();
  }
  expect(acked.length).toBeGreaterThan(500); // the kills did land mid-stream, not before any work
  const s = await ManifestStore.open(dir);
  expect(s.size).toBeGreaterThanOrEqual(acked.length);
  await s.close();
}, 120_000);
