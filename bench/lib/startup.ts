// Start-up cost of a command: wall time from spawn to exit of child processes, run alternately (A B C A B C …) so
// that a noisy neighbour hits every command alike, reported as medians.
import { spawn } from 'node:child_process';

export interface StartupCase {
  label: string;
  cmd: string;
  args: readonly string[];
  env?: Record<string, string>;
  /** Exit codes that count as a normal run (status exits 1 on drift). */
  okCodes?: readonly number[];
}

export interface StartupResult {
  label: string;
  medianMs: number;
  runsMs: number[];
}

function once(c: StartupCase): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(c.cmd, c.args, { stdio: ['ignore', 'ignore', 'pipe'], ...(c.env === undefined ? {} : { env: c.env }) });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (!(c.okCodes ?? [0]).includes(code ?? -1)) reject(new Error(`${c.label}: exit ${String(code)}: ${stderr.slice(0, 400)}`));
      else resolve(ms);
    });
  });
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** One warm-up run of each (page cache), then `rounds` alternating rounds. */
export async function startupTimes(cases: readonly StartupCase[], rounds = 10): Promise<StartupResult[]> {
  for (const c of cases) await once(c);
  const runs = cases.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) for (const [i, c] of cases.entries()) runs[i]!.push(await once(c));
  return cases.map((c, i) => ({ label: c.label, medianMs: median(runs[i]!), runsMs: runs[i]! }));
}

/** The 1-, 5- and 15-minute load averages, as `uptime` prints them. */
export async function loadAverage(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile('/proc/loadavg', 'utf8').catch(() => '');
  return text.split(' ').slice(0, 3).join(', ') || 'unknown';
}
