// `gphotos doctor [DIR] [--json]`: is everything in order for the next unattended run? Proves the login with a
// real token refresh (a saved token Google no longer accepts fails here, exit 3, instead of at 3 a.m.), then checks
// the archive (settings, account, manifest, lock). Reads only; exits with the code of the first failed check.
import type { Argv, CommandModule } from 'yargs';
import { checkLogin } from '../../auth/check.js';
import { loadClientSecret } from '../../auth/client-secret.js';
import { resolveEndpoints } from '../../config/endpoints.js';
import { configDir, profileName } from '../../config/paths.js';
import { archiveVerdicts, firstFailure, loginVerdict, type Verdict } from '../doctor-checks.js';
import { exitCodeFor } from '../exit-codes.js';
import { jsonLine } from '../render/json.js';
import { renderDoctorText } from '../render/result-text.js';
import { jsonOption, type JsonArgs } from '../shared-options.js';

interface DoctorArgs extends JsonArgs {
  dir?: string;
}

/** The one line of `doctor --json` (docs/json.md); `archive` is null when no DIR was named. */
export interface DoctorEvent {
  event: 'doctor';
  ok: boolean;
  profile: string;
  archive: string | null;
  checks: Verdict[];
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor [dir]',
  describe: 'Check that the login works (a real token refresh) and the archive is healthy; changes nothing',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', describe: 'The archive folder (leave out to check only the login)' })
      .options(jsonOption('Print {ok, profile, archive, checks} as one JSON line (docs/json.md)')) as unknown as Argv<DoctorArgs>,
  handler: async (args) => {
    const env = process.env;
    const login = await checkLogin({ env, configDir: configDir(env) });
    const secret = await loadClientSecret({ env, configDir: configDir(env) }).catch(() => undefined);
    const verdicts = [loginVerdict(login, resolveEndpoints(env, secret ?? {}).tokenUrl, profileName(env))];
    if (args.dir !== undefined) verdicts.push(...(await archiveVerdicts(args.dir, login, env)));
    const failure = firstFailure(verdicts);
    if (args.json) {
      const line: DoctorEvent = { event: 'doctor', ok: failure === undefined, profile: profileName(env), archive: args.dir ?? null, checks: verdicts };
      process.stdout.write(jsonLine(line));
    } else process.stdout.write(renderDoctorText(verdicts, failure === undefined));
    if (failure !== undefined) process.exitCode = exitCodeFor(failure);
  },
};
