// Entry point of the `gphotos` command: parse argv, run one command, map errors to exit codes.
// This is the only module that decides how the process ends.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isGphotosError, messageOf } from '../errors.js';
import { authCommand } from './commands/auth.js';
import { emulatorCommand } from './commands/emulator.js';
import { importCommand } from './commands/import.js';
import { pickCommand } from './commands/pick.js';
import { syncCommand } from './commands/sync.js';
import { adoptCommand } from './commands/adopt.js';
import { rebuildCommand } from './commands/rebuild.js';
import { statusCommand } from './commands/status.js';
import { verifyCommand } from './commands/verify.js';
import { watchCommand } from './commands/watch.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

try {
  await yargs(hideBin(process.argv))
    .scriptName('gphotos')
    .usage('$0 <command> [options]\n\nA verifiable offline archive of your Google Photos library.')
    .command(syncCommand)
    .command(pickCommand)
    .command(verifyCommand)
    .command(statusCommand)
    .command(rebuildCommand)
    .command(adoptCommand)
    .command(authCommand)
    .command(emulatorCommand)
    .command(importCommand)
    .command(watchCommand)
    .strict()
    .demandCommand(1, 'Name a command; see `gphotos --help`.')
    .recommendCommands()
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`gphotos: ${msg}\nRun \`gphotos --help\` for usage.\n`);
      process.exit(EXIT.usage);
    })
    .help()
    .version()
    .parseAsync();
} catch (e) {
  if (isGphotosError(e)) {
    process.stderr.write(`gphotos: ${e.message}\n`);
    if (e.hint) process.stderr.write(`  ${e.hint}\n`);
    process.exitCode = exitCodeFor(e.kind);
  } else {
    process.stderr.write(`gphotos: internal error: ${messageOf(e)}\n  This is a bug; please report it with the command you ran.\n`);
    if (process.env.GPHOTOS_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    process.exitCode = EXIT.internal;
  }
}
