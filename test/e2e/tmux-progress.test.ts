// In a real terminal (tmux) at 50 and 150 columns, sync, pick, import, verify --deep --fix and watch each show one tidy
// progress line: captured mid-run, the screen has at most one progress line, on the last row, shorter than the
// width; at the end no progress line is left (no residue of a wrapped redraw) and the summary is there.
// capture-pane -J joins wrapped rows, so a redraw that wrapped would show as a line longer than the width.
import { rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import { CLI, archiveFiles, gphotos, signedIn, type CliEnv } from '../helpers/cli.js';

const SOCKET = `gphotos-test-${process.pid}`;
const PROGRESS = /\d+\/\d+ (items|entries|files)|\[[#-]{5,}\]|listing… \d+ items|^cycle \d+ (\[[#-]+\] )?\d+(\/\d+)? downloaded/;

let emulator: Emulator;
let cli: CliEnv;
let takeout: string[];
beforeAll(async () => {
  const tmux = await execa('tmux', ['-V'], { reject: false });
  if (tmux.exitCode !== 0) throw new Error('tmux is missing: run scripts/ensure-test-tools.sh (Debian/Ubuntu: apt-get install tmux).');
  emulator = await startEmulator({ items: 240, seed: 4 });
  cli = await signedIn(emulator);
  const out = join(cli.home, 'Downloads');
  const w = await gphotos(['emulator', '--items', '1200', '--seed', '4', '--takeout-out', out, '--no-serve'], cli.env);
  expect(w.exitCode, String(w.stderr)).toBe(0);
  takeout = [...String(w.stdout).matchAll(/^ {2}(\S+\.zip)$/gm)].map((m) => m[1]!);
});
afterAll(async () => {
  await execa('tmux', ['-L', SOCKET, 'kill-server'], { reject: false });
  await emulator?.stop();
  await cli?.cleanup();
});

interface Captured {
  /** The screens captured while the command ran (rows joined where they wrapped). */
  mid: string[][];
  final: string[];
  exitCode: number;
}

/** Run `gphotos ARGS` in a tmux pane WIDTH columns wide (cwd: the test home), capturing the screen as it runs. */
async function inTmux(width: number, args: string[], resizeTo?: number): Promise<Captured> {
  const script = join(cli.home, `run-${width}.sh`);
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const exports = Object.entries(cli.env).filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)).map(([k, v]) => `export ${k}=${q(v)}`);
  await writeFile(script, [...exports, `cd ${q(cli.home)}`, `${q(process.execPath)} ${q(CLI)} ${args.map(q).join(' ')}`, 'echo "__EXIT__ $?"', 'exec sleep 600', ''].join('\n'));
  const session = `w${width}`;
  await execa('tmux', ['-L', SOCKET, 'kill-session', '-t', session], { reject: false });
  await execa('tmux', ['-L', SOCKET, '-f', '/dev/null', 'new-session', '-d', '-s', session, '-x', String(width), '-y', '60', `sh ${q(script)}`]);
  const capture = async (): Promise<string[]> =>
    String((await execa('tmux', ['-L', SOCKET, 'capture-pane', '-p', '-J', '-S', '-', '-t', session])).stdout).split('\n');
  const mid: string[][] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const screen = await capture();
    const exit = screen.map((l) => /^__EXIT__ (\d+)/.exec(l)).find((m) => m !== null);
    if (exit) {
      await execa('tmux', ['-L', SOCKET, 'kill-session', '-t', session], { reject: false });
      return { mid, final: screen.slice(0, screen.findIndex((l) => l.startsWith('__EXIT__'))), exitCode: Number(exit[1]) };
    }
    mid.push(screen);
    if (resizeTo !== undefined && screen.some((l) => PROGRESS.test(l) && l.length > resizeTo!)) {
      await execa('tmux', ['-L', SOCKET, 'resize-window', '-t', session, '-x', String(resizeTo)]);
      resizeTo = undefined;
    }
    if (Date.now() > deadline) throw new Error(`no end after 60 s:\n${screen.join('\n')}`);
    await sleep(40);
  }
}

function expectTidy(c: Captured, width: number, summary: RegExp): void {
  const shown = c.mid.filter((s) => s.some((l) => PROGRESS.test(l)));
  expect(shown.length, `no mid-run capture showed the progress line; at the end:\n${c.final.join('\n')}`).toBeGreaterThan(0);
  for (const screen of shown) {
    const rows = screen.filter((l) => l.trim() !== '');
    const progress = rows.filter((l) => PROGRESS.test(l));
    expect(progress, screen.join('\n')).toHaveLength(1);
    expect(rows.at(-1)).toBe(progress[0]);
    expect(progress[0]!.length, progress[0]).toBeLessThan(width);
    // A count never passes its total.
    for (const [, done, total] of progress[0]!.matchAll(/(\d+)\/(\d+) /g)) expect(Number(done)).toBeLessThanOrEqual(Number(total));
  }
  expect(c.final.filter((l) => PROGRESS.test(l)), c.final.join('\n')).toEqual([]);
  expect(c.final.join('\n')).toMatch(summary);
}

describe('under tmux, a window made narrower mid-run', () => {
  it('leaves no rows of the wider line behind (a terminal reflows it into several)', { timeout: 90_000 }, async () => {
    emulator.faults.latencyMs = 25;
    try {
      const c = await inTmux(150, ['sync', 'Resized', '--tz', 'UTC', '--transfers', '4'], 50);
      expect(c.exitCode, c.final.join('\n')).toBe(0);
      const after = c.mid.slice(c.mid.findIndex((s) => s.some((l) => PROGRESS.test(l) && l.length > 50)) + 2);
      expect(after.some((s) => s.some((l) => PROGRESS.test(l) && l.length < 50)), 'no capture after the resize').toBe(true);
      expect(c.final.filter((l) => PROGRESS.test(l)), c.final.join('\n')).toEqual([]);
      expect(c.final.join('\n')).toMatch(/^Synced Resized in /m);
    } finally {
      emulator.faults.latencyMs = 0;
    }
  });
});

describe.each([50, 150])('under tmux at %i columns', (width) => {
  const archive = `P${width}`;

  it('sync shows one tidy progress line and ends on its summary', { timeout: 90_000 }, async () => {
    emulator.faults.latencyMs = 25;
    try {
      const c = await inTmux(width, ['sync', archive, '--tz', 'UTC', '--transfers', '4']);
      expect(c.exitCode, c.final.join('\n')).toBe(0);
      expectTidy(c, width, new RegExp(`^Synced ${archive} in .*\\n  downloaded +\\d+`, 'm'));
    } finally {
      emulator.faults.latencyMs = 0;
    }
  });

  it('pick shows one tidy progress line and ends on its summary', { timeout: 90_000 }, async () => {
    Object.assign(emulator.picker, { autoPick: emulator.items.slice(0, 120).map((i) => i.id), pollsBeforeDone: 1, pollIntervalSec: 0.05 });
    emulator.faults.latencyMs = 25;
    try {
      const c = await inTmux(width, ['pick', `K${width}`, '--tz', 'UTC', '--no-browser', '--transfers', '4']);
      expect(c.exitCode, c.final.join('\n')).toBe(0);
      expectTidy(c, width, new RegExp(`^(Synced|Picked).* K${width} `, 'm'));
    } finally {
      emulator.faults.latencyMs = 0;
    }
  });

  it('watch shows one tidy progress line per cycle and ends on its cycle line', { timeout: 90_000 }, async () => {
    emulator.faults.latencyMs = 25;
    try {
      const c = await inTmux(width, ['watch', `W${width}`, '--tz', 'UTC', '--max-cycles', '1', '--no-local-watch', '--transfers', '4']);
      expect(c.exitCode, c.final.join('\n')).toBe(0);
      expectTidy(c, width, /^cycle 1 done in .*: 240 listed, 23\d downloaded .*\nstopped after 1 cycle /m);
    } finally {
      emulator.faults.latencyMs = 0;
    }
  });

  it('import shows one tidy progress line and ends on its summary', { timeout: 90_000 }, async () => {
    const c = await inTmux(width, ['import', `I${width}`, ...takeout, '--tz', 'UTC', '--transfers', '1']);
    expect(c.exitCode, c.final.join('\n')).toBe(0);
    expectTidy(c, width, new RegExp(`^Imported into I${width} in .*\\n  imported +1\\d{3} `, 'm'));
  });

  it('verify --deep --fix shows one tidy progress line (hashing, then fetching) and ends on its result', { timeout: 90_000 }, async () => {
    const root = join(cli.home, archive);
    const photos = (await archiveFiles(root)).filter((f) => f.endsWith('.jpg') || f.endsWith('.JPG')).slice(0, 40);
    for (const [i, f] of photos.entries()) await (i % 2 === 0 ? rm(join(root, f)) : truncate(join(root, f), 10));
    emulator.faults.latencyMs = 150;
    try {
      const c = await inTmux(width, ['verify', archive, '--deep', '--fix']);
      expect(c.exitCode, c.final.join('\n')).toBe(0);
      expectTidy(c, width, /^Fetched 40 files again; 0 still damaged\.$/m);
    } finally {
      emulator.faults.latencyMs = 0;
    }
  });
});
