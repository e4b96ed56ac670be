// `.gphotos/` is a trust boundary: whatever is planted there (a symlink to elsewhere, a FIFO, a folder) must never
// make the built CLI write outside the archive, nor hang; each command refuses with exit 5 and names the path.
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, readFile, readdir, rename, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { journalLine } from '../../src/archive/journal-format.js';
import { ManifestStore } from '../../src/archive/manifest-store.js';
import { CLI, archiveFiles, events, gphotos, summaryOf } from '../helpers/cli.js';
import { syncedArchive } from './helpers/synced-archive.js';

/** Every file under `dir` with its bytes and mtime: what "unchanged" means. */
async function fingerprint(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const p = join(e.parentPath, e.name);
    const st = await lstat(p);
    out.push(`${p}:${st.mode}:${st.size}:${st.mtimeMs}:${st.isFile() ? (await readFile(p)).toString('base64') : ''}`);
  }
  return out.sort();
}

describe('a planted .gphotos entry never leads gphotos out of the archive', () => {
  const fx = syncedArchive({ items: 12, seed: 13 });
  let outside: string;
  let secret: string;
  const SECRET = 'the other user\'s file: must survive byte for byte\n'.repeat(20);
  const undo: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    outside = join(fx.cli.home, 'outside');
    secret = join(outside, 'secret.txt');
    await mkdir(outside, { recursive: true });
  });

  afterEach(async () => {
    for (const u of undo.splice(0).reverse()) await u();
    await writeFile(secret, SECRET);
  });

  /** Replace `.gphotos/<name>` by a symlink to `target`; restored after the test. */
  async function plantLink(name: string, target: string): Promise<string> {
    const at = join(fx.archive, '.gphotos', name);
    const kept = `${at}.kept-by-test`;
    const had = await lstat(at).then(() => true, () => false);
    if (had) await rename(at, kept);
    await symlink(target, at);
    undo.push(async () => {
      await rm(at, { force: true });
      if (had) await rename(kept, at);
    });
    return at;
  }

  async function expectRefused(args: string[], path: string): Promise<void> {
    const r = await gphotos(args, fx.cli.env);
    expect(r.exitCode, `${args.join(' ')}: ${String(r.stderr)}`).toBe(5);
    expect(String(r.stderr)).toContain(path);
    expect(String(r.stderr)).toMatch(/symlink|FIFO/);
    expect(String(r.stderr)).not.toContain('internal error');
  }

  it.each(['manifest.journal', 'manifest.json', 'lock'])('a symlinked .gphotos/%s: sync, status and verify refuse; the file it points to is unchanged', async (name) => {
    await writeFile(secret, SECRET);
    const at = await plantLink(name, secret);
    const before = await fingerprint(outside);
    await expectRefused(['sync', fx.archive, '--tz', 'UTC', '--json'], at);
    if (name !== 'lock') {
      await expectRefused(['status', fx.archive], at);
      await expectRefused(['verify', fx.archive], at);
    }
    expect(await fingerprint(outside)).toEqual(before);
    expect(await readFile(secret, 'utf8')).toBe(SECRET);
  });

  it('a dangling symlink as the journal or lock is refused too, and nothing is created where it points', async () => {
    for (const name of ['manifest.journal', 'lock']) {
      const target = join(outside, `created-${name}`);
      const at = await plantLink(name, target);
      await expectRefused(['sync', fx.archive, '--tz', 'UTC'], at);
      expect(await lstat(target).then(() => true, () => false)).toBe(false);
      for (const u of undo.splice(0).reverse()) await u();
    }
  });

  it('a symlinked .gphotos/ itself: every command refuses and the folder it points to is unchanged', async () => {
    const state = join(fx.archive, '.gphotos');
    const moved = join(outside, 'state');
    await rename(state, moved);
    await symlink(moved, state);
    undo.push(async () => {
      await rm(state);
      await rename(moved, state);
    });
    const before = await fingerprint(outside);
    for (const args of [['sync', fx.archive, '--tz', 'UTC'], ['status', fx.archive], ['verify', fx.archive], ['rebuild', fx.archive, '--force']]) {
      await expectRefused(args, state);
    }
    expect(await fingerprint(outside)).toEqual(before);
  });

  it('verify --fix never moves a damaged file through a symlinked .gphotos/damaged/', async () => {
    const victim = fx.files[0]!;
    await truncate(join(fx.archive, victim), 7);
    undo.push(async () => {
      const r = await gphotos(['verify', fx.archive, '--fix'], fx.cli.env); // puts the right bytes back
      expect(r.exitCode).toBe(0);
    });
    const trap = join(outside, 'trap');
    await mkdir(trap, { recursive: true });
    const at = await plantLink('damaged', trap);
    await expectRefused(['verify', fx.archive, '--fix'], at);
    expect(await readdir(trap)).toEqual([]);
    expect((await stat(join(fx.archive, victim))).size).toBe(7); // left where it was
    await rm(at);
  });

  it('a symlinked *.gphotos.part is neither followed nor removed: the sweep reports it and that one item fails', async () => {
    const victim = fx.files[1]!;
    await rm(join(fx.archive, victim));
    const part = join(fx.archive, `${victim}.gphotos.part`);
    await writeFile(secret, SECRET);
    await symlink(secret, part);
    undo.push(async () => {
      await rm(part, { force: true });
      const r = await gphotos(['sync', fx.archive, '--tz', 'UTC'], fx.cli.env);
      expect(r.exitCode).toBe(0);
    });
    const r = await gphotos(['sync', fx.archive, '--tz', 'UTC', '--json'], fx.cli.env);
    expect(r.exitCode).toBe(1);
    const warnings = events(r.stdout).filter((e) => e.event === 'warning').map((e) => String(e.message));
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`left ${victim}\\.gphotos\\.part in place: it is a symlink`)));
    expect(String(r.stdout)).toContain('neither follows nor removes it');
    expect(await readFile(secret, 'utf8')).toBe(SECRET);
    expect((await lstat(part)).isSymbolicLink()).toBe(true);
  });

  it('a FIFO as manifest.json, journal or lock: status and sync exit 5 at once instead of hanging', async () => {
    for (const name of ['manifest.json', 'manifest.journal', 'lock']) {
      const at = join(fx.archive, '.gphotos', name);
      const kept = `${at}.kept-by-test`;
      const had = await lstat(at).then(() => true, () => false);
      if (had) await rename(at, kept);
      execFileSync('mkfifo', [at]);
      try {
        // A hang would be killed by the 60 s timeout (and fail on the exit code); a refusal takes well under a second.
        for (const args of name === 'lock' ? [['sync', fx.archive, '--tz', 'UTC']] : [['status', fx.archive], ['sync', fx.archive, '--tz', 'UTC']]) {
          const r = await execa(process.execPath, [CLI, ...args], { reject: false, env: fx.cli.env, extendEnv: false, timeout: 60_000 });
          expect(r.timedOut, `${args[0]} with a FIFO at ${name}`).toBe(false);
          expect(r.exitCode).toBe(5);
          expect(String(r.stderr)).toContain(`${at}: it is a FIFO`);
        }
      } finally {
        await rm(at);
        if (had) await rename(kept, at);
      }
    }
  });
});

describe('a damaged journal stops sync instead of costing duplicate downloads', () => {
  const fx = syncedArchive({ items: 12, seed: 14 });

  it('the last 3 journal lines flipped (valid JSON): sync refuses, rebuild recovers, and nothing is downloaded twice', async () => {
    // Move 3 items from manifest.json into the journal, as an interrupted run leaves them, then damage those lines.
    const store = await ManifestStore.open(fx.archive);
    const moved = [...store.items()].slice(-3);
    for (const m of moved) await store.delete(m.key);
    await store.close(); // compacts: manifest.json without them, journal empty
    const lines = moved.map((m, i) => journalLine(i + 1, JSON.stringify({ op: 'put', item: m })));
    const journal = join(fx.archive, '.gphotos/manifest.journal');
    await writeFile(journal, lines.map((l) => l.replace('"size":', '"size":1')).join(''));
    const files = await archiveFiles(fx.archive);

    const r = await gphotos(['sync', fx.archive, '--tz', 'UTC'], fx.cli.env);
    expect(r.exitCode).toBe(5);
    expect(String(r.stderr)).toContain(`${journal} is damaged: 3 of its 3 complete lines are damaged`);
    expect(String(r.stderr)).toContain(`gphotos rebuild ${fx.archive}`);
    expect(await archiveFiles(fx.archive)).toEqual(files);

    expect((await gphotos(['rebuild', fx.archive], fx.cli.env)).exitCode).toBe(0);
    const again = await gphotos(['sync', fx.archive, '--tz', 'UTC', '--json'], fx.cli.env);
    expect(again.exitCode).toBe(0);
    expect(summaryOf(again.stdout)).toMatchObject({ downloaded: 0 });
    expect(await archiveFiles(fx.archive)).toEqual(files);
  });

  it('sync, rebuild and adopt each say so when they take over a stale lock', async () => {
    const stale = JSON.stringify({ pid: 999_999_999, hostname: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'sync' }) + '\n';
    const lock = join(fx.archive, '.gphotos/lock');
    await writeFile(lock, stale);
    const sync = await gphotos(['sync', fx.archive, '--tz', 'UTC', '--json'], fx.cli.env);
    expect(sync.exitCode).toBe(0);
    const warnings = events(sync.stdout).filter((e) => e.event === 'warning').map((e) => String(e.message));
    expect(warnings.some((m) => /^Took over a stale lock .*pid 999999999.*that process is gone/.test(m)), warnings.join('\n')).toBe(true);
    await writeFile(lock, stale);
    const rebuild = await gphotos(['rebuild', fx.archive, '--force'], fx.cli.env);
    expect(rebuild.exitCode).toBe(0);
    expect(String(rebuild.stderr)).toMatch(/^warning: Took over a stale lock .*pid 999999999/m);
    await writeFile(lock, stale);
    const adopt = await gphotos(['adopt', fx.archive, fx.archive, '--in-place'], fx.cli.env);
    expect(String(adopt.stderr)).toMatch(/^warning: Took over a stale lock .*pid 999999999/m);
  });
});
