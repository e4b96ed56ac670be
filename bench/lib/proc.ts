// Run a child process and measure it: wall time, exit code and peak RSS (VmHWM) of that one process.
// GNU time (-f %M) reads ru_maxrss from wait4(); without it we poll /proc/<pid>/status while the child runs.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface Measured {
  exitCode: number;
  wallMs: number;
  /** Peak resident set of the measured process, in MB (10^6 bytes); undefined when it could not be read. */
  peakRssMb: number | undefined;
  /** User + system CPU time of the measured process, in ms (from GNU time; undefined without it). */
  cpuMs?: number;
  /** Its system part alone (the kernel's share, which contention on a shared machine inflates most). */
  sysMs?: number;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/** `encoding: 'latin1'` keeps binary stdout byte-exact (Buffer.from(stdout, 'latin1') gives the bytes back). */
export async function measure(cmd: string, args: readonly string[], env: Record<string, string>, cwd?: string, encoding?: 'latin1'): Promise<Measured> {
  if (existsSync(GNU_TIME)) {
    const dir = await mkdtemp(join(tmpdir(), 'gphotos-bench-time-'));
    const out = join(dir, 'time.txt');
    try {
      const t0 = performance.now();
      const r = await execa(GNU_TIME, ['-f', '%U %S %M', '-o', out, cmd, ...args], { env, extendEnv: false, reject: false, ...(cwd ? { cwd } : {}), ...(encoding ? { encoding } : {}), stripFinalNewline: encoding === undefined, maxBuffer: 1 << 30 });
      const wallMs = performance.now() - t0;
      const text = await readFile(out, 'utf8').catch(() => '');
      const m = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(text.trim());
      const kb = Number(m?.[3]);
      const cpu = (Number(m?.[1]) + Number(m?.[2])) * 1000;
      return { exitCode: r.exitCode ?? -1, wallMs, peakRssMb: Number.isFinite(kb) ? (kb * 1024) / 1e6 : undefined, ...(Number.isFinite(cpu) ? { cpuMs: cpu, sysMs: Number(m?.[2]) * 1000 } : {}), stdout: String(r.stdout), stderr: String(r.stderr) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const t0 = performance.now();
  const child = execa(cmd, args, { env, extendEnv: false, reject: false, ...(cwd ? { cwd } : {}), ...(encoding ? { encoding } : {}), stripFinalNewline: encoding === undefined, maxBuffer: 1 << 30 });
  let peakKb = 0;
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    readFile(`/proc/${child.pid}/status`, 'utf8')
      .then((s) => {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0);
        if (kb > peakKb) peakKb = kb;
      })
      .catch(() => {});
  }, 50);
  const r = await child;
  clearInterval(poll);
  return { exitCode: r.exitCode ?? -1, wallMs: performance.now() - t0, peakRssMb: peakKb > 0 ? (peakKb * 1024) / 1e6 : undefined, stdout: String(r.stdout), stderr: String(r.stderr) };
}
