// The README promises `npm run demo` works on a fresh machine: run the built demo in a scratch folder.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt } from '../helpers/cli.js';

describe('npm run demo', () => {
  let cwd: string;
  beforeAll(async () => {
    assertBuilt();
    cwd = await mkdtemp(join(tmpdir(), 'gphotos-demo-'));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('signs in, syncs, picks, imports the Takeout export (upgrading API copies), verifies, and syncs again', async () => {
    const r = await execa(process.execPath, [join(ROOT, 'dist/demo/demo.js')], { cwd, env: { DEMO_ITEMS: '40' }, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Signed in as alice@example\.com\./);
    expect(r.stdout).toMatch(/first sync[\s\S]*downloaded\s+3\d \(/);
    expect(r.stdout).toMatch(/pick: [\s\S]*linked to other sources\s+3/);
    expect(r.stdout).toMatch(/import the Takeout[\s\S]*upgraded to original\s+[1-9]\d/);
    expect(r.stdout).toMatch(/verify: [\s\S]*: complete: \d+ items verified/);
    expect(r.stdout).toMatch(/sync again[\s\S]*downloaded\s+0 \(/);
    expect(r.stdout).not.toMatch(/exit code/);
    const months = await readdir(join(cwd, 'demo-archive'));
    expect(months.filter((d) => /^\d{4}$/.test(d)).length).toBeGreaterThan(3);
  });
});
