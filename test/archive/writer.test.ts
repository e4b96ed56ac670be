import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepParts } from '../../src/archive/part-sweep.js';
import { writeAtomically } from '../../src/archive/writer.js';
import { LocalError, RemoteError } from '../../src/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gphotos-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    await new Promise((r) => setImmediate(r));
    yield Buffer.from(p);
  }
}

async function* failingAfter(first: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(first);
  await new Promise((r) => setImmediate(r));
  throw new Error('socket reset');
}

async function* stalling(first: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(first);
  await new Promise(() => undefined); // never resolves: a stalled download
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function listAll(d: string): Promise<string[]> {
  return (await readdir(d, { recursive: true })).map(String).sort();
}

describe('writeAtomically', () => {
  it('creates parent folders, returns size and sha256, stamps mtime and leaves no .part', async () => {
    const target = join(dir, '2019/03/IMG_1.jpg');
    const mtime = new Date('2019-03-09T12:42:00Z');
    const r = await writeAtomically(target, chunks('hello ', 'world'), { expectedSize: 11, mtime });
    expect(r).toEqual({ size: 11, sha256: sha('hello world') });
    const st = await stat(target); // before reading: relatime would bump an atime older than mtime
    expect(st.mtimeMs).toBe(mtime.getTime());
    expect(st.atimeMs).toBe(mtime.getTime());
    expect(await readFile(target, 'utf8')).toBe('hello world');
    expect(await listAll(dir)).toEqual(['2019', '2019/03', '2019/03/IMG_1.jpg']);
  });

  it('calls beforeRename with the result while only the .part exists', async () => {
    const target = join(dir, 'a.jpg');
    const seen: string[][] = [];
    await writeAtomically(target, chunks('abc'), {
      beforeRename: async (r) => {
        expect(r).toEqual({ size: 3, sha256: sha('abc') });
        seen.push(await listAll(dir));
      },
    });
    expect(seen).toEqual([['a.jpg.gphotos.part']]);
  });

  it.each([
    ['short', 12],
    ['long', 5],
  ])('a %s body is a retryable RemoteError and leaves nothing behind', async (_label, expectedSize) => {
    const target = join(dir, 'a.jpg');
    const err = await writeAtomically(target, chunks('hello ', 'world'), { expectedSize }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).retryable).toBe(true);
    expect(await listAll(dir)).toEqual([]);
  });

  it('removes the .part when the body fails, and when beforeRename fails', async () => {
    await expect(writeAtomically(join(dir, 'a.jpg'), failingAfter('x'))).rejects.toThrow('socket reset');
    await expect(
      writeAtomically(join(dir, 'b.jpg'), chunks('x'), { beforeRename: () => Promise.reject(new Error('manifest full')) }),
    ).rejects.toThrow('manifest full');
    expect(await listAll(dir)).toEqual([]);
  });

  it('an abort stops a stalled body promptly and removes the .part', async () => {
    const ac = new AbortController();
    const p = writeAtomically(join(dir, 'a.jpg'), stalling('partial'), { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('user pressed Ctrl-C')), 20);
    await expect(p).rejects.toThrow('user pressed Ctrl-C');
    expect(await listAll(dir)).toEqual([]);
  });

  it('an already-aborted signal writes nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(writeAtomically(join(dir, 'a.jpg'), chunks('x'), { signal: ac.signal })).rejects.toThrow();
    expect(await listAll(dir)).toEqual([]);
  });

  it('never overwrites an existing file (or symlink) unless replace is set', async () => {
    const target = join(dir, 'a.jpg');
    await writeFile(target, 'users own');
    await expect(writeAtomically(target, chunks('ours'))).rejects.toThrow(LocalError);
    expect(await readFile(target, 'utf8')).toBe('users own');
    await symlink('/nonexistent', join(dir, 'link.jpg'));
    await expect(writeAtomically(join(dir, 'link.jpg'), chunks('ours'))).rejects.toThrow(/Refusing to overwrite/);
    expect(await listAll(dir)).toEqual(['a.jpg', 'link.jpg']);
    await writeAtomically(target, chunks('upgraded'), { replace: true });
    expect(await readFile(target, 'utf8')).toBe('upgraded');
  });

  it('refuses the rename when a file appears at the target during the download', async () => {
    const target = join(dir, 'a.jpg');
    const err = await writeAtomically(target, chunks('ours'), {
      beforeRename: () => writeFile(target, 'appeared meanwhile'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalError);
    expect(await readFile(target, 'utf8')).toBe('appeared meanwhile');
    expect(await listAll(dir)).toEqual(['a.jpg']);
  });

  it('refuses to share an existing .part', async () => {
    await writeFile(join(dir, 'a.jpg.gphotos.part'), 'someone else');
    await expect(writeAtomically(join(dir, 'a.jpg'), chunks('x'))).rejects.toThrow(/already exists/);
    expect(await readFile(join(dir, 'a.jpg.gphotos.part'), 'utf8')).toBe('someone else');
  });
});

describe('sweepParts', () => {
  it("removes stale .gphotos.part files in the tree, not in .gphotos, not symlinks, not a user's own .part", async () => {
    await mkdir(join(dir, '2019/03'), { recursive: true });
    await mkdir(join(dir, '.gphotos'), { recursive: true });
    await mkdir(join(dir, 'albums/Trip'), { recursive: true });
    await writeFile(join(dir, '2019/03/IMG_1.jpg.gphotos.part'), 'x');
    await writeFile(join(dir, '2019/03/IMG_1.jpg'), 'x');
    await writeFile(join(dir, '2019/03/movie.mkv.part'), 'a browser download of the user');
    await writeFile(join(dir, 'top.jpg.gphotos.part'), 'x');
    await mkdir(join(dir, '2017/02'), { recursive: true });
    await writeFile(join(dir, '2017/02/.._x.jpg.gphotos.part'), 'x'); // the remote name '../x.jpg', made safe, starts with a dot
    await writeFile(join(dir, '.gphotos/keep.gphotos.part'), 'x');
    await symlink('../../2019/03/IMG_1.jpg', join(dir, 'albums/Trip/link.gphotos.part'));
    expect(await sweepParts(dir)).toEqual(['2017/02/.._x.jpg.gphotos.part', '2019/03/IMG_1.jpg.gphotos.part', 'top.jpg.gphotos.part']);
    expect(await listAll(dir)).toEqual(
      [
        '.gphotos',
        '2017',
        '2017/02',
        '.gphotos/keep.gphotos.part',
        '2019',
        '2019/03',
        '2019/03/IMG_1.jpg',
        '2019/03/movie.mkv.part',
        'albums',
        'albums/Trip',
        'albums/Trip/link.gphotos.part',
      ].sort(),
    );
    expect(await sweepParts(dir)).toEqual([]);
  });
});
