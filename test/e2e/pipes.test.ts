// `gphotos … | head -1` (and `| true`, whose reader is gone before the first line): every command that prints
// ends quietly, with exit 141 once its output was cut short, and leaves the archive unlocked, without partial
// files, and with a manifest that still verifies.
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/emulator/media/jpeg.js';
import { CLI, gphotos } from '../helpers/cli.js';
import { GP, sidecarJson, writeZip } from '../helpers/takeout-fixture.js';
import { syncedArchive } from './helpers/synced-archive.js';

const fx = syncedArchive({ items: 1000, seed: 3 });

interface Piped {
  exitCode: number;
  firstLine: string;
  stderr: string;
}

/** Run gphotos with its stdout piped into `reader` by bash; the exit code is gphotos' own (PIPESTATUS). */
async function piped(args: string[], reader: 'head -1' | 'true', env = fx.cli.env): Promise<Piped> {
  const script = `"$0" "$@" | ${reader}; echo "gphotos-exit=\${PIPESTATUS[0]}" >&2`;
  const r = await execa('bash', ['-c', script, process.execPath, CLI, ...args], { reject: false, env, extendEnv: false, timeout: 60_000 });
  const stderr = String(r.stderr);
  const m = /gphotos-exit=(\d+)\n?$/.exec(stderr);
  if (m === null) throw new Error(`no exit status in: ${stderr}`);
  return { exitCode: Number(m[1]), firstLine: String(r.stdout).split('\n')[0] ?? '', stderr: stderr.slice(0, m.index) };
}

async function leftovers(archive: string): Promise<string[]> {
  const all = await readdir(archive, { recursive: true });
  return all.filter((p) => p === join('.gphotos', 'lock') || p.endsWith('.gphotos.part') || p.includes('.gphotos.part'));
}

async function expectClean(r: Piped, archive: string | undefined, codes: number[]): Promise<void> {
  expect(r.stderr).not.toMatch(/Error|EPIPE|^\s+at /m);
  expect(codes).toContain(r.exitCode);
  if (archive === undefined) return;
  expect(await leftovers(archive)).toEqual([]);
  // The manifest opens, every file it records is there with its size, and the items a run cut short had already
  // recorded have their XMP sidecars (written after the stop).
  const verify = await gphotos(['verify', archive, '--json'], fx.cli.env);
  expect(verify.exitCode, String(verify.stdout)).toBe(0);
  expect(JSON.parse(String(verify.stdout))).toMatchObject({ damaged: [] });
}

let copies = 0;
async function copyOfArchive(): Promise<string> {
  const dir = join(fx.cli.home, `copy-${++copies}`);
  await cp(fx.archive, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

describe('sync into a pipe', () => {
  it('sync | head -1: the download stops at once, exit 141, no lock, no .part, the manifest verifies', async () => {
    const archive = join(fx.cli.home, 'fresh');
    const r = await piped(['sync', archive, '--tz', 'UTC'], 'head -1');
    expect(r.firstLine).toMatch(/^Google lists 1000 items/);
    await expectClean(r, archive, [141]);
    // Stopped early: most of the library is still to fetch, and the next run fetches it.
    expect((await readdir(archive, { recursive: true })).length).toBeLessThan(fx.files.length);
    const again = await gphotos(['sync', archive, '--tz', 'UTC', '--quiet'], fx.cli.env);
    expect(again.exitCode).toBe(0);
  });

  it('sync --dry-run --json | head -1 (145 kB of plan): exit 141 without a stack trace; nothing is written', async () => {
    const archive = join(fx.cli.home, 'dry');
    const r = await piped(['sync', archive, '--dry-run', '--json', '--tz', 'UTC'], 'head -1');
    expect(JSON.parse(r.firstLine)).toMatchObject({ event: 'listing' });
    await expectClean(r, undefined, [141]);
    expect(await readdir(archive, { recursive: true }).catch(() => [])).not.toContain('2019');
  });
});

describe('every other command that prints', () => {
  const cases: { name: string; args: (archive: string) => string[]; normal: number[]; archive: boolean }[] = [
    { name: 'sync (nothing to do)', args: (a) => ['sync', a, '--tz', 'UTC'], normal: [0], archive: true },
    { name: 'status', args: (a) => ['status', a], normal: [0, 1], archive: true },
    { name: 'status --json', args: (a) => ['status', a, '--json'], normal: [0, 1], archive: true },
    { name: 'verify --deep', args: (a) => ['verify', a, '--deep'], normal: [0], archive: true },
    { name: 'rebuild --force', args: (a) => ['rebuild', a, '--force', '--tz', 'UTC'], normal: [0, 1], archive: true },
    { name: 'adopt', args: (a) => ['adopt', a, join(fx.cli.home, 'empty'), '--tz', 'UTC'], normal: [0], archive: true },
    { name: 'auth status', args: () => ['auth', 'status'], normal: [0], archive: false },
    { name: 'auth status --check --json', args: () => ['auth', 'status', '--check', '--json'], normal: [0], archive: false },
    { name: 'xmp', args: (a) => ['xmp', a], normal: [0], archive: true },
    { name: 'config', args: (a) => ['config', a], normal: [0], archive: true },
    { name: 'report', args: (a) => ['report', a, '--out', join(fx.cli.home, 'report.html')], normal: [0], archive: true },
    { name: 'doctor', args: (a) => ['doctor', a], normal: [0], archive: true },
    { name: 'watch --max-cycles 1', args: (a) => ['watch', a, '--max-cycles', '1', '--no-local-watch', '--tz', 'UTC'], normal: [0], archive: true },
    { name: 'completion', args: () => ['completion'], normal: [0], archive: false },
    { name: '--help', args: () => ['--help'], normal: [0], archive: false },
  ];
  for (const c of cases) {
    for (const reader of ['head -1', 'true'] as const) {
      it(`${c.name} | ${reader}`, async () => {
        const archive = await copyOfArchive();
        await mkdir(join(fx.cli.home, 'empty'), { recursive: true });
        const r = await piped(c.args(archive), reader);
        // `| true` has left before the first line: the write fails, so the exit code must say so.
        await expectClean(r, c.archive ? archive : undefined, reader === 'true' ? [141] : [...c.normal, 141]);
        if (reader === 'head -1') expect(r.firstLine).not.toBe('');
      });
    }
  }

  it('import | head -1 and | true: no stack trace, exit 0 or 141, no lock or .part left', async () => {
    const zip = join(fx.cli.home, 'takeout-20260101T000000Z-001.zip');
    const files = [];
    for (let i = 0; i < 60; i++) {
      files.push({ path: `${GP}/Photos from 2019/IMG_${i}.jpg`, data: makeJpeg({ width: 32, height: 32, seed: 100 + i }) });
      files.push({ path: `${GP}/Photos from 2019/IMG_${i}.jpg.supplemental-metadata.json`, data: sidecarJson({ title: `IMG_${i}.jpg`, takenSec: 1_552_135_320 + i }) });
    }
    await writeZip(zip, files);
    for (const reader of ['head -1', 'true'] as const) {
      const archive = join(fx.cli.home, `imported-${reader === 'true' ? 'true' : 'head'}`);
      const r = await piped(['import', archive, zip, '--tz', 'UTC'], reader);
      await expectClean(r, archive, [0, 141]);
    }
  });

  it('pick | head -1: no stack trace, exit 0 or 141, no lock or .part left, the session deleted', async () => {
    Object.assign(fx.emulator.picker, { autoPick: fx.emulator.items.slice(0, 40).map((i) => i.id), pollsBeforeDone: 1, pollIntervalSec: 0.05 });
    const archive = join(fx.cli.home, 'picked');
    const r = await piped(['pick', archive, '--no-browser', '--tz', 'UTC'], 'head -1');
    await expectClean({ ...r, stderr: r.stderr.replace(/^.*(picker|Pick your photos|Waiting).*\n/gm, '') }, archive, [0, 141]);
    expect(fx.emulator.pickerSessions().filter((s) => !s.deleted)).toEqual([]);
  });
});

describe('gphotos emulator | head -1', () => {
  it('prints its first line, keeps serving, and stops on Ctrl-C without a stack trace', async () => {
    const child = spawn('bash', ['-c', '"$0" "$@" | head -1', process.execPath, CLI, 'emulator', '--items', '5'], { detached: true, env: fx.cli.env });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => ((out += d.toString()), out.includes('\n') && resolve())));
    expect(out).toMatch(/^gphotos emulator listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const port = /127\.0\.0\.1:(\d+)/.exec(out)?.[1];
    const health = await fetch(`http://127.0.0.1:${port}/library/v1/mediaItems?pageSize=1`).catch(() => undefined);
    expect(health).toBeDefined(); // still serving after its reader left
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(err).not.toMatch(/Error|EPIPE|^\s+at /m);
  });
});
