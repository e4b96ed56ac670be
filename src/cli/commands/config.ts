// `gphotos config DIR [--layout T] [--tz Z] [--xmp on|off] [--json]`: show or change the settings the archive was set up with.
import type { Argv, CommandModule } from 'yargs';
import { acquireLock } from '../../archive/lock.js';
import { readSettings, SETTING_NAMES, writeSettings, type ArchiveSettings } from '../archive-settings.js';
import { resolve } from 'node:path';
import { jsonLine } from '../render/json.js';

interface ConfigArgs {
  dir: string;
  layout?: string;
  tz?: string;
  xmp?: 'on' | 'off';
  json: boolean;
}

export const configCommand: CommandModule<object, ConfigArgs> = {
  command: 'config <dir>',
  describe: "Show or change the archive's settings (layout, time zone, XMP sidecars) that every command uses",
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'The archive folder' })
      .option('layout', { type: 'string', describe: 'New folder template for items filed from now on ({yyyy}, {mm}, {dd})' })
      .option('tz', { type: 'string', describe: 'New time zone for capture times without an offset' })
      .option('xmp', { choices: ['on', 'off'] as const, describe: 'XMP sidecars beside files written from now on (`gphotos xmp DIR` writes the missing ones)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the settings as JSON' }) as unknown as Argv<ConfigArgs>,
  handler: async (args) => {
    const archiveDir = resolve(args.dir);
    const change: ArchiveSettings = {};
    if (args.layout !== undefined) change.layout = args.layout;
    if (args.tz !== undefined) change.tz = args.tz;
    if (args.xmp !== undefined) change.xmp = args.xmp;
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
    for (const k of SETTING_NAMES) process.stdout.write(`${k.padEnd(7)} ${settings[k] ?? '(not set yet: the next sync, pick, import or watch stores its value)'}\n`);
    if (change.layout !== undefined) process.stdout.write('Items already archived stay where they are; new ones use the new layout.\n');
  },
};
