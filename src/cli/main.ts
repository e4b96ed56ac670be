// Entry point of the `gphotos` command: parse argv, run one command, map errors to exit codes.
// This is the only module that decides how the process ends.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isGphotosError, messageOf } from '../errors.js';
import type { CommandModule } from 'yargs';
import { stdoutError, watchStdio } from './broken-pipe.js';
import { finishCommand, setUpCommand } from './command-setup.js';
import { withCompletion } from './completion.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { COMMAND_LINES, type CommandLine } from './command-list.js';
import { jsonLine, wantsJson, type ErrorEvent } from './render/json.js';

// Each command pulls in its own dependencies (OAuth, zip and tar readers, file watching…). Loading only the
// one being run keeps start-up short (`status` and `verify` are often run by hand or by monitoring).
type AnyCommand = CommandModule<object, never>;
const COMMANDS: Record<string, () => Promise<AnyCommand>> = {
  sync: async () => (await import('./commands/sync.js')).syncCommand as AnyCommand,
  pick: async () => (await import('./commands/pick.js')).pickCommand as AnyCommand,
  import: async () => (await import('./commands/import.js')).importCommand as AnyCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand as AnyCommand,
  status: async () => (await import('./commands/status.js')).statusCommand as AnyCommand,
  report: async () => (await import('./commands/report.js')).reportCommand as AnyCommand,
  rebuild: async () => (await import('./commands/rebuild.js')).rebuildCommand as AnyCommand,
  xmp: async () => (await import('./commands/xmp.js')).xmpCommand as AnyCommand,
  adopt: async () => (await import('./commands/adopt.js')).adoptCommand as AnyCommand,
  watch: async () => (await import('./commands/watch.js')).watchCommand as AnyCommand,
  auth: async () => (await import('./commands/auth.js')).authCommand as AnyCommand,
  config: async () => (await import('./commands/config.js')).configCommand as AnyCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand as AnyCommand,
  emulator: async () => (await import('./commands/emulator.js')).emulatorCommand as AnyCommand,
};

/**
 * The modules of the commands named in argv (usually argv[0]; anywhere, for `gphotos -v sync DIR`). With none
 * named (`--help`, a typo), their help lines alone: a command that has no line yet is loaded to get its own.
 */
async function commandsFor(argv: readonly string[]): Promise<AnyCommand[]> {
  const named = Object.keys(COMMANDS).filter((name) => argv.includes(name));
  if (named.length > 0) return Promise.all(named.map((name) => COMMANDS[name]!()));
  // Never run: a command that runs is named in argv, and so was loaded above.
  const helpOnly = (line: CommandLine): AnyCommand => ({ ...line, handler: () => Promise.reject(new Error(`${line.command} was not loaded`)) });
  return Promise.all(Object.entries(COMMANDS).map(async ([name, load]) => (COMMAND_LINES[name] === undefined ? load() : helpOnly(COMMAND_LINES[name]))));
}

watchStdio();
const argv = hideBin(process.argv);
// With --json the error is also the last line on stdout, so a script reading only stdout sees why the run ended.
const jsonError = (e: ErrorEvent): void => {
  if (wantsJson(argv) && stdoutError() === undefined) process.stdout.write(jsonLine(e));
};
try {
  const cli = yargs(argv)
    .scriptName('gphotos')
    .usage('$0 <command> [options]\n\nA verifiable offline archive of your Google Photos library.');
  for (const command of await commandsFor(argv)) cli.command(command);
  await withCompletion(cli)
    .option('verbose', { alias: 'v', type: 'boolean', default: false, global: true, describe: 'A line per file, also under the progress bar' })
    .option('profile', { type: 'string', global: true, describe: "Whose Google login to use (a family's accounts side by side; default: the default profile)" })
    // One check of DIR and one binding of the archive's settings for every command, before it does anything.
    .middleware(async (args) => setUpCommand(args, argv))
    .strict()
    .demandCommand(1, 'Name a command; see `gphotos --help`.')
    .recommendCommands()
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`gphotos: ${msg}\nRun \`gphotos --help\` for usage.\n`);
      jsonError({ event: 'error', kind: 'usage', message: msg, exitCode: EXIT.usage });
      process.exit(EXIT.usage);
    })
    // Not exiting inside yargs after --help, --version or a completion: a write to a closed pipe is then seen and
    // reported by the exit code (141), as for every other output.
    .exitProcess(false)
    .help()
    .version()
    .parseAsync();
  await finishCommand();
} catch (e) {
  await finishCommand().catch(() => undefined); // the command's own error is the one to report
  if (stdoutError() !== undefined && isGphotosError(e) && e.kind === 'interrupted') {
    // Stopped because stdout closed: the exit code below says so, a message would only be noise.
  } else if (isGphotosError(e)) {
    process.stderr.write(`gphotos: ${e.message}\n`);
    if (e.hint) process.stderr.write(`  ${e.hint}\n`);
    process.exitCode = exitCodeFor(e.kind);
    jsonError({ event: 'error', kind: e.kind, message: e.message, ...(e.hint ? { hint: e.hint } : {}), exitCode: exitCodeFor(e.kind) });
  } else {
    process.stderr.write(`gphotos: internal error: ${messageOf(e)}\n  This is a bug; please report it with the command you ran.\n`);
    if (process.env.GPHOTOS_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    process.exitCode = EXIT.internal;
    jsonError({ event: 'error', kind: 'internal', message: messageOf(e), exitCode: EXIT.internal });
  }
}

// A closed stdout cut the run (or its report) short: nothing below a real error's code may claim success. Decided
// at exit, because the write error arrives only after the stream's handle has closed, once the command is done.
process.on('exit', () => {
  const pipe = stdoutError();
  const code = Number(process.exitCode ?? 0);
  if (pipe === undefined || !(code === EXIT.ok || code === EXIT.incomplete || code === EXIT.interrupted)) return;
  if (pipe.code === 'EPIPE') process.exitCode = EXIT.pipe;
  else {
    process.stderr.write(`gphotos: cannot write the output (${pipe.code ?? pipe.message}); the run was stopped and its work saved.\n`);
    process.exitCode = EXIT.local;
  }
});
