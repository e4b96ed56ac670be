// `gphotos auth login|status|logout`. Handlers throw the project's error classes; src/cli/main.ts maps them to exit codes.
import type { Argv, CommandModule } from 'yargs';
import { authStatus, DEFAULT_LOGIN_TIMEOUT_MS, login, logout } from '../../auth/index.js';
import type { AuthStatus } from '../../auth/index.js';
import { UsageError } from '../../errors.js';

export interface AuthIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

const processIo: AuthIo = {
  env: process.env,
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

interface LoginArgs {
  'client-secret'?: string;
  browser: boolean;
  port: number;
  timeout: number;
}

interface StatusArgs {
  'client-secret'?: string;
  json: boolean;
}

interface LogoutArgs {
  'client-secret'?: string;
}

export function makeAuthCommand(io: AuthIo = processIo): CommandModule {
  const warn = (line: string): void => io.err(`warning: ${line}`);

  const loginCmd: CommandModule<object, LoginArgs> = {
    command: 'login',
    describe: 'Sign in to Google in the browser and save the tokens',
    builder: (y: Argv) =>
      y
        .option('client-secret', { type: 'string', describe: 'client_secret.json of a "Desktop app" OAuth client; copied into the config dir' })
        .option('browser', { type: 'boolean', default: true, describe: 'Open the browser (--no-browser only prints the URL)' })
        .option('port', { type: 'number', default: 0, describe: 'Loopback port for the sign-in callback (0 = any free port)' })
        .option('timeout', { type: 'number', default: DEFAULT_LOGIN_TIMEOUT_MS / 1000, describe: 'Seconds to wait for the browser', hidden: true }) as Argv<LoginArgs>,
    handler: async (argv) => {
      if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) throw new UsageError(`--port must be 0..65535, not ${argv.port}.`);
      if (!(argv.timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds.');
      const result = await login({
        env: io.env,
        ...(argv['client-secret'] === undefined ? {} : { clientSecretFile: argv['client-secret'] }),
        noBrowser: !argv.browser,
        port: argv.port,
        timeoutMs: argv.timeout * 1000,
        print: io.out,
        warn,
      });
      if (argv['client-secret'] !== undefined) io.out(`OAuth client saved to ${result.clientSecretPath}.`);
    },
  };

  const statusCmd: CommandModule<object, StatusArgs> = {
    command: 'status',
    describe: 'Show whether you are signed in, with which scopes, and where the files are',
    builder: (y: Argv) =>
      y
        .option('client-secret', { type: 'string', describe: 'client_secret.json to check instead of the saved one' })
        .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as Argv<StatusArgs>,
    handler: async (argv) => {
      const s = await authStatus({
        env: io.env,
        ...(argv['client-secret'] === undefined ? {} : { clientSecretFile: argv['client-secret'] }),
      });
      if (argv.json) io.out(JSON.stringify(s, null, 2));
      else for (const line of renderStatus(s)) io.out(line);
    },
  };

  const logoutCmd: CommandModule<object, LogoutArgs> = {
    command: 'logout',
    describe: "Revoke gphotos' access at Google and delete the saved tokens",
    builder: (y: Argv) =>
      y.option('client-secret', { type: 'string', describe: 'client_secret.json to use instead of the saved one' }) as Argv<LogoutArgs>,
    handler: async (argv) => {
      const r = await logout({
        env: io.env,
        ...(argv['client-secret'] === undefined ? {} : { clientSecretFile: argv['client-secret'] }),
        warn,
      });
      if (!r.deleted && !r.revoked) io.out('Not logged in; nothing to do.');
      else io.out(`${r.revoked ? 'Access revoked at Google. ' : ''}${r.deleted ? `Deleted ${r.tokensPath}.` : ''}`.trim());
    },
  };

  return {
    command: 'auth <command>',
    describe: 'Sign in to Google Photos, show or remove the saved sign-in',
    builder: (y: Argv) =>
      y
        .command(loginCmd as unknown as CommandModule)
        .command(statusCmd as unknown as CommandModule)
        .command(logoutCmd as unknown as CommandModule)
        .demandCommand(1, 'Name an auth command: login, status or logout.'),
    handler: () => undefined,
  };
}

export const authCommand: CommandModule = makeAuthCommand();

export function renderStatus(s: AuthStatus, now: Date = new Date()): string[] {
  const lines = [`Logged in:      ${s.loggedIn ? 'yes' : 'no (run `gphotos auth login`)'}`];
  if (s.loggedIn) {
    lines.push(`Scopes:         ${s.grantedScopes.length ? s.grantedScopes.join(' ') : '(unknown)'}`);
    if (s.missingScopes.length) lines.push(`Not granted:    ${s.missingScopes.join(' ')}`);
    if (s.accessTokenExpiry) {
      const mins = Math.round((s.accessTokenExpiry.getTime() - now.getTime()) / 60000);
      lines.push(`Access token:   ${mins > 0 ? `expires ${s.accessTokenExpiry.toISOString()} (in ${mins} min)` : 'expired'}; refreshed automatically`);
    }
  }
  lines.push(`Config dir:     ${s.configDir}`);
  lines.push(`Client secret:  ${s.clientSecretPath}${s.clientId ? ` (client ${s.clientId})` : ''}`);
  lines.push(`Tokens:         ${s.tokensPath}`);
  lines.push(`Token endpoint: ${s.endpoints.tokenUrl}`);
  for (const p of s.problems) lines.push(`Problem:        ${p}`);
  return lines;
}
