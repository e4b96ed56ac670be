// `npm run bench:verify`: `gphotos status` (no network) and `gphotos verify --deep` on a generated archive of
// many small files, against `sha256sum` over the same files in the same run. Not a timed test: it prints figures.
// Env: BENCH_FILES (default 100000), BENCH_KEEP=1 keeps the temp dir, BENCH_DIR=<archive> measures an archive kept
// by an earlier run instead of generating one, BENCH_CLI=<launcher> measures another build (e.g. a copy of the
// previous dist/ with its bin/), BENCH_ROUNDS (default 3).
// Baseline: `sha256sum` run as by `xargs -0 sha256sum`, one process at a time over batches of 2000 names: that is
// "sha256sum's throughput". Two processes at once are printed too, for information.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const CLI = process.env.BENCH_CLI ?? resolve(import.meta.dirname, '../../bin/gphotos.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const say = (s = ''): void => void process.stdout.write(`${s}\n`);

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
}

async function generate(root: string): Promise<{ paths: string[]; bytes: number }> {
  const items: Record<string, object> = {};
  const paths: string[] = [];
  let bytes = 0;
  const pool = randomBytes(1 << 20);
  for (let i = 0; i < FILES; i++) {
    const y = 2015 + (i % 11);
    const m = String((Math.floor(i / 11) % 12) + 1).padStart(2, '0');
    const path = `${y}/${m}/IMG_${String(i).padStart(6, '0')}.jpg`;
    if (i % 11 === 0 || i < 132) await mkdir(join(root, String(y), m), { recursive: true });
    const size = 1024 + ((i * 2654435761) % 7168); // 1–8 KiB
    const at = (i * 7919) % (pool.length - size);
    const body = pool.subarray(at, at + size);
    await writeFile(join(root, path), body);
    const captureTime = new Date(Date.UTC(y, Number(m) - 1, 1 + (i % 28), 12)).toISOString().replace('.000Z', 'Z');
    items[`library:id${i}`] = {
      key: `library:id${i}`, refs: [{ source: 'library', id: `id${i}` }], path, size, sha256: createHash('sha256').update(body).digest('hex'),
      captureTime, localTime: captureTime.slice(0, 19), timeSource: 'api', mimeType: 'image/jpeg', filename: path.split('/')[2],
      quality: 'api-copy', fetchedAt: captureTime, mtimeStamped: false,
    };
    paths.push(path);
    bytes += size;
  }
  await mkdir(join(root, '.gphotos'), { recursive: true });
  await writeFile(join(root, '.gphotos/manifest.json'), JSON.stringify({ schema: 1, createdAt: new Date().toISOString(), items, sources: {} }));
  return { paths, bytes };
}

async function gphotos(args: string[]): Promise<{ ms: number; stdout: string }> {
  const r = await timed(() => run(process.execPath, [CLI, ...args], { maxBuffer: 1 << 30 }).catch((e: { stdout: string }) => ({ stdout: e.stdout })));
  return { ms: r.ms, stdout: r.value.stdout };
}

async function sha256sum(root: string, paths: string[], parallel: number): Promise<number> {
  // Batches of 2000 names per process, `parallel` processes at once: xargs -P style, without a shell.
  const batches: string[][] = [];
  for (let i = 0; i < paths.length; i += 2000) batches.push(paths.slice(i, i + 2000));
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        await run('sha256sum', batch, { cwd: root, maxBuffer: 1 << 26 });
      }
    }),
  );
  return performance.now() - t;
}

async function existing(root: string): Promise<{ paths: string[]; bytes: number }> {
  const m = JSON.parse(await readFile(join(root, '.gphotos/manifest.json'), 'utf8')) as { items: Record<string, { path: string; size: number }> };
  const items = Object.values(m.items);
  return { paths: items.map((i) => i.path), bytes: items.reduce((n, i) => n + i.size, 0) };
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const work = await mkdtemp(join(tmpdir(), 'gphotos-bench-verify-'));
try {
  const root = process.env.BENCH_DIR ?? join(work, 'Photos');
  const gen = await timed(() => (process.env.BENCH_DIR === undefined ? generate(root) : existing(root)));
  const mb = gen.value.bytes / 1e6;
  say(`archive: ${gen.value.paths.length} files, ${mb.toFixed(1)} MB in ${root} (${process.env.BENCH_DIR === undefined ? 'generated' : 'read'} in ${(gen.ms / 1000).toFixed(1)} s)`);
  say(`cli: ${CLI}; load average (1/5/15 min): ${load()} on ${String((await import('node:os')).availableParallelism())} cores`);

  await gphotos(['status', root, '--json']); // warm the page cache and the dentry cache
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const status = await gphotos(['status', root, '--json']);
    const counts = (JSON.parse(status.stdout) as { counts: Record<string, unknown> }).counts;
    if (counts.present !== counts.items) say(`  status found drift: present ${String(counts.present)}/${String(counts.items)}`);
    times.push(status.ms);
  }
  say(`status (warm, no network):   ${times.map((t) => (t / 1000).toFixed(2)).join(' / ')} s, best ${(Math.min(...times) / 1000).toFixed(2)} s   target < 3 s`);

  const quick = await gphotos(['verify', root, '--json']);
  say(`verify (sizes):              ${(quick.ms / 1000).toFixed(2)} s`);

  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const p1 = await sha256sum(root, gen.value.paths, 1);
    const deep = await gphotos(['verify', root, '--deep', '--json']);
    const p2 = await sha256sum(root, gen.value.paths, 2);
    const j = JSON.parse(deep.stdout) as { complete: boolean; mbPerSec?: number };
    const ours = mb / (deep.ms / 1000);
    const one = mb / (p1 / 1000);
    const two = mb / (p2 / 1000);
    ratios.push(ours / one);
    say(
      `round ${round}: verify --deep ${(deep.ms / 1000).toFixed(2)} s wall = ${ours.toFixed(1)} MB/s (complete ${String(j.complete)}); ` +
        `sha256sum 1 proc ${(p1 / 1000).toFixed(2)} s = ${one.toFixed(1)} MB/s, 2 procs ${(p2 / 1000).toFixed(2)} s = ${two.toFixed(1)} MB/s; ` +
        `ratio vs 1 proc ${((ours / one) * 100).toFixed(0)} % (target >= 90 %), vs 2 procs ${((ours / two) * 100).toFixed(0)} %`,
    );
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  say(`verify --deep / sha256sum (1 proc), median of ${ROUNDS}: ${((sorted[Math.floor(sorted.length / 2)] ?? 0) * 100).toFixed(0)} %; load average now ${load()}`);
} finally {
  if (process.env.BENCH_KEEP !== '1') await rm(work, { recursive: true, force: true });
  else say(`kept ${work}`);
}
