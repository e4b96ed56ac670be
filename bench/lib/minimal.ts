// Runs bench/minimal-client.ts (the baseline client) as its own process against an emulator, measured like gphotos.
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../../src/emulator/api.js';
import { measure, type Measured } from './proc.js';

const SCRIPT = fileURLToPath(new URL('../minimal-client.js', import.meta.url));

export interface MinimalRun extends Measured {
  files: number;
  bytes: number;
  failed: number;
  listMs: number;
}

export async function runMinimal(emulator: Emulator, out: string, concurrency = 32): Promise<MinimalRun> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', BENCH_MIN_TOKEN: emulator.issueAccessToken(), BENCH_MIN_CONCURRENCY: String(concurrency) };
  const r = await measure(process.execPath, [SCRIPT, emulator.urls.library, out], env);
  if (r.exitCode !== 0) throw new Error(`minimal client failed (exit ${r.exitCode}): ${r.stderr.slice(0, 600)}`);
  const s = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { files: number; bytes: number; failed: number; listMs: number };
  return { ...r, files: s.files, bytes: s.bytes, failed: s.failed, listMs: s.listMs };
}
