// HashPool: hashes on worker threads, classifies what it finds like lstat would, and speculates over a tree.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashPool } from '../../src/archive/hash-pool.js';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('HashPool', () => {
  let root: string;
  const big = Buffer.alloc(9 * 1024 * 1024 + 7, 'ab'); // larger than a worker's 4 MiB buffer: streamed
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gphotos-pool-'));
    await mkdir(join(root, '2019/03'), { recursive: true });
    await mkdir(join(root, '.gphotos'), { recursive: true });
    await writeFile(join(root, '2019/03/a.jpg'), 'hello');
    await writeFile(join(root, '2019/03/empty.jpg'), '');
    await writeFile(join(root, '2019/03/big.mp4'), big);
    await writeFile(join(root, '.gphotos/manifest.json'), '{}');
    await symlink('a.jpg', join(root, '2019/03/link.jpg'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('hashes files and reports missing paths, symlinks, folders and other sizes, in job order', async () => {
    const pool = new HashPool(2);
    try {
      const abs = (p: string): string => join(root, p);
      const out = await pool.run([
        { abs: abs('2019/03/a.jpg'), size: 5 },
        { abs: abs('2019/03/big.mp4') },
        { abs: abs('2019/03/empty.jpg'), size: 0 },
        { abs: abs('2019/03/gone.jpg') },
        { abs: abs('2019/03/link.jpg') },
        { abs: abs('2019/03') },
        { abs: abs('2019/03/a.jpg/under') },
        { abs: abs('2019/03/a.jpg'), size: 6 },
      ]);
      expect(out).toEqual([
        { kind: 'hashed', size: 5, sha256: sha('hello') },
        { kind: 'hashed', size: big.length, sha256: sha(big) },
        { kind: 'hashed', size: 0, sha256: sha('') },
        { kind: 'missing' },
        { kind: 'missing' },
        { kind: 'missing' },
        { kind: 'missing' },
        { kind: 'size', size: 5 },
      ]);
      // The same pool serves several runs, and many jobs across both workers.
      const many = await pool.run(Array.from({ length: 1000 }, () => ({ abs: abs('2019/03/a.jpg') })));
      expect(many.every((r) => r.kind === 'hashed' && r.sha256 === sha('hello'))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('speculates over a tree: every regular file once, skipped top folders and symlinks aside', async () => {
    const pool = new HashPool(2);
    try {
      const early = pool.speculate(root, ['.gphotos']);
      await new Promise((r) => setTimeout(r, 300));
      const found = await early.stop();
      expect([...found.keys()].sort()).toEqual(['2019/03/a.jpg', '2019/03/big.mp4', '2019/03/empty.jpg']);
      expect(found.get('2019/03/a.jpg')).toEqual({ size: 5, sha256: sha('hello') });
      expect(found.get('2019/03/big.mp4')).toEqual({ size: big.length, sha256: sha(big) });
      // After stop() the pool runs jobs as usual.
      expect(await pool.run([{ abs: join(root, '2019/03/a.jpg') }])).toEqual([{ kind: 'hashed', size: 5, sha256: sha('hello') }]);
    } finally {
      await pool.close();
    }
  });

  it('stops speculating at once when asked', async () => {
    const pool = new HashPool(1);
    try {
      const found = await pool.speculate(root, []).stop();
      // Whatever it completed is right; nothing half-read is reported.
      const want = new Map([['2019/03/a.jpg', sha('hello')], ['2019/03/empty.jpg', sha('')], ['2019/03/big.mp4', sha(big)], ['.gphotos/manifest.json', sha('{}')]]);
      for (const [path, h] of found) expect(h.sha256).toBe(want.get(path));
    } finally {
      await pool.close();
    }
  });

  it('rejects a run whose threads stop before the work is done, instead of waiting forever', async () => {
    const pool = new HashPool(1);
    const jobs = Array.from({ length: 50 }, () => ({ abs: join(root, '2019/03/big.mp4') }));
    const run = pool.run(jobs);
    await pool.close(); // terminates the thread mid-run
    await expect(run).rejects.toThrow(/hashing thread stopped/);
  });
});
