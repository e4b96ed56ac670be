// `npm run bench:verify`: `gphotos status` (no network) and `gphotos verify --deep` on a generated archive of
// many small files, against `sha256sum` over the same files in the same run. Not a timed test: it prints figures.
// Env: BENCH_FILES (default 100000), BENCH_KEEP=1 keeps the temp dir.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const CLI = resolve(import.meta.dirname, '../../../../bin/gphotos.js');
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

const work = await mkdtemp(join(tmpdir(), 'gphotos-bench-verify-'));
try {
  const root = join(work, 'Photos');
  const gen = await timed(() => generate(root));
  const mb = gen.value.bytes / 1e6;
  say(`archive: ${FILES} files, ${mb.toFixed(1)} MB in ${root} (generated in ${(gen.ms / 1000).toFixed(1)} s)`);

  await gphotos(['status', root, '--json']); // warm the page cache and the dentry cache
  const status = await gphotos(['status', root, '--json']);
  const counts = (JSON.parse(status.stdout) as { counts: Record<string, unknown> }).counts;
  say(`status (warm, no network):   ${(status.ms / 1000).toFixed(2)} s   present ${String(counts.present)}/${String(counts.items)}   target < 3 s`);

  const quick = await gphotos(['verify', root, '--json']);
  say(`verify (sizes):              ${(quick.ms / 1000).toFixed(2)} s`);

  for (let round = 1; round <= 2; round++) {
    const deep = await gphotos(['verify', root, '--deep', '--json']);
    const j = JSON.parse(deep.stdout) as { complete: boolean; mbPerSec?: number };
    const p1 = await sha256sum(root, gen.value.paths, 1);
    const p2 = await sha256sum(root, gen.value.paths, 2);
    const best = Math.min(p1, p2);
    const ours = mb / (deep.ms / 1000);
    const theirs = mb / (best / 1000);
    say(
      `round ${round}: verify --deep ${(deep.ms / 1000).toFixed(2)} s wall = ${ours.toFixed(1)} MB/s (hash phase ${j.mbPerSec ?? '?'} MB/s, complete ${String(j.complete)}); ` +
        `sha256sum ${(p1 / 1000).toFixed(2)} s (1 proc) / ${(p2 / 1000).toFixed(2)} s (2 procs) = ${theirs.toFixed(1)} MB/s best; ratio ${((ours / theirs) * 100).toFixed(0)} % (target >= 90 %)`,
    );
  }
} finally {
  if (process.env.BENCH_KEEP !== '1') await rm(work, { recursive: true, force: true });
  else say(`kept ${work}`);
}
