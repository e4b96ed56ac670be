// What main.ts does before every command: check DIR (archive-dir.ts), then bind the archive's stored settings
// (archive-settings.ts) into the parsed options, and note the global flags.
import { archiveDirUse, checkArchiveDir } from './archive-dir.js';
import { givenSettings, resolveSettings, type ArchiveSettings } from './archive-settings.js';
import { globalFlags } from './global-flags.js';

export async function setUpCommand(args: Record<string, unknown> & { _: (string | number)[] }, rawArgv: readonly string[]): Promise<void> {
  globalFlags.verbose = args.verbose === true;
  const command = String(args._[0]);
  const use = archiveDirUse(command, args);
  if (use === undefined || typeof args.dir !== 'string') return;
  const dir = await checkArchiveDir(args.dir, use);
  if (command === 'config') return;
  const current: ArchiveSettings = {};
  if (typeof args.layout === 'string') current.layout = args.layout;
  if (typeof args.tz === 'string') current.tz = args.tz;
  if (current.layout === undefined && current.tz === undefined) return;
  // Stored at the first run of a command that files items (it has both settings); never by a dry run.
  const store = use === 'create' && current.layout !== undefined && args['dry-run'] !== true;
  Object.assign(args, await resolveSettings(dir, args.dir, current, givenSettings(rawArgv), store));
}
