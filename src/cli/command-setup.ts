// What main.ts does before every command: check DIR (archive-dir.ts), then bind the archive's stored settings
// (archive-settings.ts) into the parsed options, check the shared options once (shared-options.ts), and note the
// global flags.
import { join } from 'node:path';
import { pathExists } from '../archive/durable-file.js';
import { validateProfileName } from '../config/paths.js';
import { finishAccount, noteArchive } from './account-binding.js';
import { archiveDirUse, checkArchiveDir } from './archive-dir.js';
import { givenSettings, readSettings, resolveSettings, writeSettings, type ArchiveSettings } from './archive-settings.js';
import { globalFlags } from './global-flags.js';
import { checkSharedOptions } from './shared-options.js';

/** Settings of an archive this command may create: written once it exists (see finishCommand). */
let pending: { dir: string; settings: ArchiveSettings } | undefined;

export async function setUpCommand(args: Record<string, unknown> & { _: (string | number)[] }, rawArgv: readonly string[]): Promise<void> {
  globalFlags.verbose = args.verbose === true;
  // --profile picks whose login every part of the run uses (config/paths.ts reads it from the environment).
  if (typeof args.profile === 'string') process.env.GPHOTOS_PROFILE = validateProfileName(args.profile);
  const command = String(args._[0]);
  await bindArchive(command, args, rawArgv);
  // `config`'s --layout and --tz are new values, checked as they are stored.
  if (command !== 'config') checkSharedOptions(args);
}

async function bindArchive(command: string, args: Record<string, unknown>, rawArgv: readonly string[]): Promise<void> {
  const use = archiveDirUse(command, args);
  if (use === undefined || typeof args.dir !== 'string') return;
  const dir = await checkArchiveDir(args.dir, use);
  if (command === 'config') return;
  // The account a login must be to work on this archive is checked once connected (account-binding.ts).
  noteArchive(dir, args.dir, ['sync', 'pick', 'watch'].includes(command) && args['dry-run'] !== true);
  const current: ArchiveSettings = {};
  if (typeof args.layout === 'string') current.layout = args.layout;
  if (typeof args.tz === 'string') current.tz = args.tz;
  if (typeof args.xmp === 'boolean') current.xmp = args.xmp ? 'on' : 'off';
  if (current.layout === undefined && current.tz === undefined) return;
  // Stored at the first run of a command that files items (it has both settings); never by a dry run.
  const store = use === 'create' && current.layout !== undefined && args['dry-run'] !== true;
  // A command that ends before making the archive (a pick of nothing, a refused login) leaves no trace of it; watch,
  // which runs for months, makes it at once anyway.
  const defer = store && command !== 'watch' && !(await pathExists(join(dir, '.gphotos')));
  const settings = await resolveSettings(dir, args.dir, current, givenSettings(rawArgv), store && !defer);
  if (defer) pending = { dir, settings };
  const { xmp, ...strings } = settings;
  Object.assign(args, strings);
  if (xmp !== undefined) args.xmp = xmp === 'on';
}

/** After the command, also after a failure: store the settings of an archive it created. */
export async function finishCommand(): Promise<void> {
  const p = pending;
  pending = undefined;
  if (p !== undefined && (await pathExists(join(p.dir, '.gphotos', 'manifest.json')))) {
    await writeSettings(p.dir, { ...p.settings, ...((await readSettings(p.dir)) ?? {}) });
  }
  await finishAccount();
}
