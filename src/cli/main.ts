// Entry point of the `gphotos` command: parse argv, run one command, map errors to exit codes.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

await yargs(hideBin(process.argv))
  .scriptName('gphotos')
  .strict()
  .demandCommand(1, 'Name a command; see `gphotos --help`.')
  .help()
  .parseAsync();
