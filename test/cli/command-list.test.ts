// `gphotos --help` lists the commands from src/cli/command-list.ts without loading their modules: each line must
// say what the command's own module says, and the built CLI must still run a command given after a global flag.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { COMMAND_LINES } from '../../src/cli/command-list.js';
import { assertBuilt, CLI, ROOT } from '../helpers/cli.js';

const modules = readdirSync(join(ROOT, 'src/cli/commands')).filter((f) => f.endsWith('.ts'));

describe('command-list', () => {
  it('has the command and description of every command module', async () => {
    const found: Record<string, { command: unknown; describe: unknown }> = {};
    for (const file of modules) {
      const mod = (await import(join(ROOT, 'src/cli/commands', file))) as Record<string, unknown>;
      const exported = mod[`${file.replace(/\.ts$/, '')}Command`] as { command?: unknown; describe?: unknown } | undefined;
      expect(exported, `${file} exports ${file.replace(/\.ts$/, '')}Command`).toBeDefined();
      found[file.replace(/\.ts$/, '')] = { command: exported?.command, describe: exported?.describe };
    }
    const lines = Object.fromEntries(Object.entries(COMMAND_LINES).map(([k, v]) => [k, { command: v.command, describe: v.describe }]));
    expect(lines).toEqual(found);
  });

  it('--help lists every command; a command after a global flag still runs with its own options', async () => {
    assertBuilt();
    const help = await execa(process.execPath, [CLI, '--help'], { reject: false });
    expect(help.exitCode).toBe(0);
    for (const line of Object.values(COMMAND_LINES)) expect(help.stdout).toContain(`gphotos ${line.command}`);
    const status = await execa(process.execPath, [CLI, '--verbose', 'status', '--help'], { reject: false });
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain('--remote');
  });
});
