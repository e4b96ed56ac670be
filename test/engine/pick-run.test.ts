// The pick workflow (engine/pick-run.ts) against the emulator over real HTTP: the events it says in order, what it
// archives, and that it deletes the picking session whatever happens.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { PickEvent } from '../../src/engine/pick-events.js';
import { runPick, type PickDeps } from '../../src/engine/pick-run.js';
import { GoogleApiClient } from '../../src/google/api-client.js';

const PICKER_SCOPE = 'https://www.googleapis.com/auth/photospicker.mediaitems.readonly';

let emulator: Emulator;
let root: string;
let deps: Omit<PickDeps, 'onEvent'>;

beforeAll(async () => {
  emulator = await startEmulator({ items: 40, seed: 5, picker: { pollIntervalSec: 0.02 } });
  const token = emulator.issueAccessToken([PICKER_SCOPE]);
  const tokens = { getAccessToken: () => Promise.resolve(token), refreshAccessToken: () => Promise.resolve(token) };
  deps = {
    client: new GoogleApiClient({ tokens, baseDelayMs: 1 }),
    baseUrl: emulator.urls.picker,
    accessToken: () => Promise.resolve(token),
    now: () => new Date(),
    sleep: (ms) => new Promise<void>((r) => setTimeout(r, ms)),
    signal: new AbortController().signal,
  };
  root = await mkdtemp(join(tmpdir(), 'gphotos-pick-run-'));
});
afterAll(async () => {
  await emulator.stop();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  Object.assign(emulator.picker, { autoPick: null, pollsBeforeDone: 1, timeoutSec: 20, sessionTtlSec: 3600 });
});

const options = (dir: string) => ({ archiveDir: join(root, dir), dryRun: false, layout: '{yyyy}/{mm}', tz: 'UTC', xmp: false, transfers: 4 });
const openSessions = (): number => emulator.pickerSessions().filter((s) => !s.deleted).length;
const photos = () => emulator.items.filter((i) => i.kind === 'photo' && /^(IMG|PXL|DSC)[_\d]+\.jpg$/i.test(i.filename));

describe('runPick', () => {
  it('announces the link, opens it, waits, then archives the pick through runSync and deletes the session', async () => {
    const picked = photos().slice(0, 3);
    emulator.picker.autoPick = picked.map((i) => i.id);
    const events: PickEvent[] = [];
    const opened: string[] = [];
    const outcome = await runPick({ ...options('a'), max: 5 }, {
      ...deps,
      openLink: (uri) => Promise.resolve(void opened.push(uri)),
      onEvent: (e) => events.push(e),
    });
    const kinds = events.map((e) => e.event);
    expect(kinds.slice(0, 2)).toEqual(['picker-session', 'picker-waiting']);
    expect(kinds).toContain('plan');
    const session = events[0] as Extract<PickEvent, { event: 'picker-session' }>;
    expect(opened).toEqual([session.pickerUri]);
    expect(outcome.summary).toMatchObject({ listed: 3, downloaded: 3, failed: 0 });
    expect(outcome.plan?.counts.download).toBe(3);
    expect(emulator.pickerSessions().at(-1)?.maxItemCount).toBe(5);
    expect(openSessions()).toBe(0);
  });

  it('a pick of nothing says so and ends with a summary of nothing done, planning nothing', async () => {
    emulator.picker.autoPick = [];
    const events: PickEvent[] = [];
    const outcome = await runPick(options('b'), { ...deps, openLink: () => Promise.resolve('no browser here'), onEvent: (e) => events.push(e) });
    expect(events.map((e) => e.event)).toEqual(['picker-session', 'warning', 'picker-waiting', 'listing', 'picker']);
    expect(events[1]).toEqual({ event: 'warning', message: 'no browser here' });
    expect(outcome.plan).toBeUndefined();
    expect(outcome.summary).toMatchObject({ listed: 0, downloaded: 0, elapsedMs: 0 });
    expect(outcome.summary.apiCalls).toBeGreaterThan(0);
    expect(openSessions()).toBe(0);
  });

  it('deletes the session when the wait fails', async () => {
    emulator.picker.timeoutSec = 0.1;
    await expect(runPick(options('c'), { ...deps, onEvent: () => {} })).rejects.toThrow(/timed out/);
    expect(openSessions()).toBe(0);
  });
});
