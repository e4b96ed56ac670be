// SIGKILL at any instant, then the same run again: every item is archived once, byte for byte, with no .part left
// and a manifest that opens. The killed run is a child process (the built engine over a slow memory source),
// killed right after its plan and after its n-th download, in both access modes.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySource } from '../helpers/memory-source.js';
import { tempDir } from '../helpers/takeout-fixture.js';
import { compileKillRunner } from './fixtures/compile.js';
import { KILL_ITEMS, killItems } from './fixtures/kill-items.js';
import { expectComplete, manifestOf, partFiles, sync } from './run.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let runner: string;
beforeAll(async () => {
  tmp = await tempDir('gphotos-engine-kill-');
  runner = await compileKillRunner(tmp.dir);
});
afterAll(async () => {
  await tmp.cleanup();
});

/** Runs the child until it has printed `downloads` downloads (-1: its plan), then SIGKILLs it. Returns what it printed. */
async function runAndKill(archive: string, access: 'random' | 'stream', downloads: number): Promise<{ downloaded: number; finished: boolean; stderr: string }> {
  const child = spawn(process.execPath, [runner, archive, access], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let downloaded = 0;
  let finished = false;
  for await (const line of createInterface({ input: child.stdout })) {
    const e = JSON.parse(line) as { event: string };
    if (e.event === 'downloaded') downloaded++;
    if (e.event === 'done') finished = true;
    if ((e.event === 'plan' && downloads < 0) || (e.event === 'downloaded' && downloaded === downloads)) {
      child.kill('SIGKILL');
      break;
    }
  }
  await exited;
  return { downloaded, finished, stderr };
}

describe.each(['random', 'stream'] as const)('SIGKILL of a sync over a %s source', (access) => {
  it.each([-1, 1, 9, 30])('killed after download %i, the re-run completes byte for byte', async (n) => {
    const archive = join(tmp.dir, `${access}-${n}`);
    const killed = await runAndKill(archive, access, n);
    expect(killed.stderr).toBe('');
    expect(killed.finished, 'the child finished before it was killed: the test did not interrupt anything').toBe(false);
    expect(killed.downloaded).toBe(Math.max(0, n));
    // The manifest opens after the kill and holds at least what was reported done.
    expect((await manifestOf(archive)).length).toBeGreaterThanOrEqual(Math.max(0, n));

    // Transfers cut short leave their .part files; the next run removes each and says so.
    const parts = await partFiles(archive);
    const items = killItems();
    const again = await sync(archive, memorySource({ access, items }));
    const swept = again.events.filter((e) => e.event === 'warning' && e.message.startsWith('removed a partial download'));
    expect(swept).toHaveLength(parts.length);
    expect(again.outcome.summary.failed).toBe(0);
    expect(again.outcome.summary.downloaded + again.outcome.summary.alreadyPresent).toBe(KILL_ITEMS);
    await expectComplete(archive, items);
  });
});
