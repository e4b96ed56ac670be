// `gphotos config DIR [--layout T] [--tz Z] [--xmp on|off] [--json]`: show or change the settings the archive was set up with.
import type { Argv, CommandModule } from 'yargs';
import { acquireLock } from '../../archive/lock.js';
import { readSettings, writeSettings, type ArchiveSettings } from '../archive-settings.js';
import { resolve } from 'node:path';
import { accountLabel, namesAccount, type Account } from '../../auth/account.js';
import { loginCommand } from '../../config/paths.js';
import { UsageError } from '../../errors.js';
import { jsonLine } from '../render/json.js';
import { renderConfigText } from '../render/result-text.js';
import { archiveDirPositional, jsonOption, type ArchiveArgs, type JsonArgs } from '../shared-options.js';

interface ConfigArgs extends ArchiveArgs, JsonArgs {
  layout?: string;
  tz?: string;
  xmp?: 'on' | 'off';
  account?: string;
}

export const configCommand: CommandModule<object, ConfigArgs> = {
  command: 'config <dir>',
  describe: "Show or change the archive's settings (layout, time zone, XMP sidecars) that every command uses",
  builder: (y: Argv) =>
    y
      .positional('dir', archiveDirPositional('existing'))
      .option('layout', { type: 'string', describe: 'New folder template for items filed from now on ({yyyy}, {mm}, {dd})' })
      .option('tz', { type: 'string', describe: 'New time zone for capture times without an offset' })
      .option('xmp', { choices: ['on', 'off'] as const, describe: 'XMP sidecars beside files written from now on (`gphotos xmp DIR` writes the missing ones)' })
      .option('account', { type: 'string', describe: 'Bind the archive to this Google account (email or id): the one signed in now (in --profile)' })
      .options(jsonOption('Print the settings as JSON')) as unknown as Argv<ConfigArgs>,
  handler: async (args) => {
    const archiveDir = resolve(args.dir);
    const change: ArchiveSettings = {};
    if (args.layout !== undefined) change.layout = args.layout;
    if (args.tz !== undefined) change.tz = args.tz;
    if (args.xmp !== undefined) change.xmp = args.xmp;
    if (args.account !== undefined) change.account = await signedInAs(args.account);
    let settings = (await readSettings(archiveDir)) ?? {};
    if (Object.keys(change).length > 0) {
      // Not under a running sync, which read the old values when it started.
      const lock = await acquireLock(archiveDir, { command: 'config' });
      try {
        settings = { ...((await readSettings(archiveDir)) ?? {}), ...change };
        await writeSettings(archiveDir, settings);
      } finally {
        await lock.release();
      }
    }
    if (args.json) {
      process.stdout.write(jsonLine({ event: 'config', ...settings }));
      return;
    }
    process.stdout.write(renderConfigText(settings, change.layout !== undefined));
  },
};

/**
 * The account of the saved login, which must be the one the user named: re-binding takes a login that proves the
 * account (a mistyped address must not bind the archive to nobody), and needs no network.
 */
async function signedInAs(given: string): Promise<Account> {
  const { authStatus } = await import('../../auth/status.js');
  const s = await authStatus({ env: process.env });
  const login = loginCommand(process.env);
  if (s.account === undefined) {
    throw new UsageError(`The ${s.profile} profile has ${s.loggedIn ? 'a login made before gphotos recorded accounts' : 'no login'}, so the archive cannot be bound to ${given}.`, {
      hint: `Run \`${login}\` signing in as ${given}, then this command again.`,
    });
  }
  if (!namesAccount(s.account, given)) {
    throw new UsageError(`The ${s.profile} profile is signed in as ${accountLabel(s.account)}, not ${given}.`, {
      hint: `Run \`${login}\` signing in as ${given} (or name the profile that is, with --profile), then this command again.`,
    });
  }
  return s.account;
}
