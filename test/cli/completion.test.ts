// `gphotos completion`: the script it prints, run by a real bash against the built CLI, completes command names
// and a command's options (main.ts loads only the named command's module, so this proves completion sees them all).
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, gphotos } from '../helpers/cli.js';

let bin: string;
let script: string;
const env = { ...(process.env as Record<string, string>), SHELL: '/bin/bash' };

beforeAll(async () => {
  assertBuilt();
  bin = await mkdtemp(join(tmpdir(), 'gphotos-completion-'));
  // The script calls `gphotos` from PATH, as an installed one would be.
  await writeFile(join(bin, 'gphotos'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
  await chmod(join(bin, 'gphotos'), 0o755);
  const r = await gphotos(['completion'], env);
  expect(r.exitCode).toBe(0);
  script = String(r.stdout);
});
afterAll(async () => {
  await rm(bin, { recursive: true, force: true });
});

/** What bash offers for the words typed so far (the last one being completed). */
async function complete(...words: string[]): Promise<string[]> {
  const file = join(bin, 'completion.bash');
  await writeFile(file, script);
  const program = `source ${JSON.stringify(file)}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _gphotos_yargs_completions; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await execa('bash', ['-c', program], { env: { ...env, PATH: `${bin}:${process.env.PATH ?? ''}` }, reject: false });
  expect(r.exitCode, String(r.stderr)).toBe(0);
  return String(r.stdout).split('\n').filter((l) => l !== '');
}

describe('gphotos completion', () => {
  it('prints a bash script that registers itself for gphotos, and a zsh one under zsh', async () => {
    expect(script).toContain('complete -o bashdefault -o default -F _gphotos_yargs_completions gphotos');
    const zsh = await gphotos(['completion'], { ...env, SHELL: '/usr/bin/zsh' });
    expect(zsh.exitCode).toBe(0);
    expect(String(zsh.stdout)).toMatch(/^#compdef gphotos/);
  });

  it('completes command names, each of them, although main.ts loads one command module at a time', async () => {
    expect(await complete('gphotos', 'sy')).toEqual(['sync']);
    expect(await complete('gphotos', 've')).toEqual(['verify']);
    expect(await complete('gphotos', 'com')).toEqual(['completion']);
    const all = await complete('gphotos', '');
    for (const c of ['sync', 'pick', 'import', 'verify', 'status', 'rebuild', 'xmp', 'adopt', 'watch', 'auth', 'config', 'emulator']) expect(all).toContain(c);
  });

  it("completes a command's own options", async () => {
    expect(await complete('gphotos', 'sync', '~/Photos', '--dry')).toEqual(['--dry-run']);
    expect(await complete('gphotos', 'import', '--max-e')).toEqual(['--max-entry-size']);
    expect(await complete('gphotos', 'verify', '--de')).toEqual(['--deep']);
  });
});
