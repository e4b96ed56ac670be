// `gphotos auth login|status|logout`. Handlers throw the project's error classes; src/cli/main.ts maps them to exit codes.
import type { Argv, CommandModule } from 'yargs';
import { accountLabel, authStatus, checkLogin, DEFAULT_LOGIN_TIMEOUT_MS, login, logout } from '../../auth/index.js';
import type { AuthStatus, LoginCheck, LoginResult } from '../../auth/index.js';
import { loginCommand } from '../../config/paths.js';
import { UsageError } from '../../errors.js';
import { exitCodeFor } from '../exit-codes.js';
import { jsonLine } from '../render/json.js';
import { jsonOption } from '../shared-options.js';

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
  'login-hint'?: string;
  port: number;
  timeout: number;
  json: boolean;
}

interface StatusArgs {
  'client-secret'?: string;
  check: boolean;
  json: boolean;
}

interface LogoutArgs {
  'client-secret'?: string;
  json: boolean;
}

const JSON_RESULT = 'Print the result as one JSON object (messages go to stderr)';

export function makeAuthCommand(io: AuthIo = processIo): CommandModule {
  const warn = (line: string): void => io.err(`warning: ${line}`);

  const loginCmd: CommandModule<object, LoginArgs> = {
    command: 'login',
    describe: 'Sign in to Google in the browser and save the tokens',
    builder: (y: Argv) =>
      y
        .option('client-secret', { type: 'string', describe: 'client_secret.json of a "Desktop app" OAuth client; copied into the config dir' })
        .option('browser', { type: 'boolean', default: true, describe: 'Open the browser (--no-browser only prints the URL)' })
        .option('login-hint', { type: 'string', describe: "The Google account (email) to preselect on the consent page, e.g. a family member's" })
        .option('port', { type: 'number', default: 0, describe: 'Loopback port for the sign-in callback (0 = any free port)' })
        .option('timeout', { type: 'number', default: DEFAULT_LOGIN_TIMEOUT_MS / 1000, describe: 'Seconds to wait for the browser', hidden: true })
        .options(jsonOption(JSON_RESULT)) as Argv<LoginArgs>,
    handler: async (argv) => {
      if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) throw new UsageError(`--port must be 0..65535, not ${argv.port}.`);
      if (!(argv.timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds.');
      const result = await login({
        env: io.env,
        ...(argv['client-secret'] === undefined ? {} : { clientSecretFile: argv['client-secret'] }),
        noBrowser: !argv.browser,
        ...(argv['login-hint'] === undefined ? {} : { loginHint: argv['login-hint'] }),
        port: argv.port,
        timeoutMs: argv.timeout * 1000,
        // With --json, stdout holds only the result: the URL and messages go to stderr.
        print: argv.json ? io.err : io.out,
        warn,
      });
      if (argv.json) io.out(jsonText(loginEvent(result)));
      else if (argv['client-secret'] !== undefined) io.out(`OAuth client saved to ${result.clientSecretPath}.`);
    },
  };

  const statusCmd: CommandModule<object, StatusArgs> = {
    command: 'status',
    describe: 'Show whether you are signed in, with which scopes, and where the files are',
    builder: (y: Argv) =>
      y
        .option('client-secret', { type: 'string', describe: 'client_secret.json to check instead of the saved one' })
        .option('check', { type: 'boolean', default: false, describe: 'Prove the login works: refresh an access token at the token endpoint (exit 3 if refused)' })
        .options(jsonOption('Print JSON')) as Argv<StatusArgs>,
    handler: async (argv) => {
      const secret = argv['client-secret'] === undefined ? {} : { clientSecretFile: argv['client-secret'] };
      const s = await authStatus({ env: io.env, ...secret });
      const check = argv.check ? await checkLogin({ env: io.env, configDir: s.configDir, ...secret }) : undefined;
      if (check?.ok === false) {
        s.loggedIn = false;
        process.exitCode = exitCodeFor(check.error.kind);
      }
      if (check?.ok === true && check.account !== undefined) s.account = check.account;
      if (argv.json) io.out(jsonText(statusEvent(s, check)));
      else for (const line of renderStatus(s, new Date(), check, loginCommand(io.env))) io.out(line);
    },
  };

  const logoutCmd: CommandModule<object, LogoutArgs> = {
    command: 'logout',
    describe: "Revoke gphotos' access at Google and delete the saved tokens",
    builder: (y: Argv) =>
      y
        .option('client-secret', { type: 'string', describe: 'client_secret.json to use instead of the saved one' })
        .options(jsonOption(JSON_RESULT)) as Argv<LogoutArgs>,
    handler: async (argv) => {
      const r = await logout({
        env: io.env,
        ...(argv['client-secret'] === undefined ? {} : { clientSecretFile: argv['client-secret'] }),
        warn,
      });
      if (argv.json) io.out(jsonText({ event: 'auth-logout', ...r }));
      else if (!r.deleted && !r.revoked) io.out('Not logged in; nothing to do.');
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

/** io.out adds the newline itself. */
const jsonText = (e: { event: string }): string => jsonLine(e).trimEnd();

/** `auth login --json`'s line (docs/json.md): JSON.stringify drops an unknown account or expiry. */
export function loginEvent(r: LoginResult): { event: 'auth-login'; loggedIn: true } & Omit<LoginResult, 'accessTokenExpiry'> & { accessTokenExpiry?: string } {
  const { accessTokenExpiry, ...rest } = r;
  return { event: 'auth-login', loggedIn: true, ...rest, ...(accessTokenExpiry === undefined ? {} : { accessTokenExpiry: accessTokenExpiry.toISOString() }) };
}

/** `auth status [--check] --json`'s line; `check` only with --check. */
export function statusEvent(s: AuthStatus, check?: LoginCheck): { event: 'auth-status'; check?: ReturnType<typeof checkJson> } & AuthStatus {
  return { event: 'auth-status', ...s, ...(check === undefined ? {} : { check: checkJson(check) }) };
}

/** A check's outcome for --json: never the error object itself (its cause could hold a request). */
export function checkJson(c: LoginCheck): { ok: boolean; message?: string; hint?: string; reason?: string } {
  if (c.ok) return { ok: true };
  const reason = 'reason' in c.error && typeof c.error.reason === 'string' ? c.error.reason : c.error.kind;
  return { ok: false, message: c.error.message, reason, ...(c.error.hint === undefined ? {} : { hint: c.error.hint }) };
}

export function renderStatus(s: AuthStatus, now: Date = new Date(), check?: LoginCheck, login = 'gphotos auth login'): string[] {
  const verdict = !s.loggedIn
    ? `no (run \`${login}\`)`
    : check === undefined
      ? 'yes (tokens saved; `--check` proves Google still accepts them)'
      : 'yes (checked: a token refresh just worked)';
  const lines = [`Logged in:      ${verdict}`];
  if (check?.ok === false) {
    lines.push(`Check failed:   ${check.error.message}`);
    if (check.error.hint) lines.push(`What to do:     ${check.error.hint}`);
  }
  lines.push(`Profile:        ${s.profile}`);
  if (s.account) lines.push(`Account:        ${accountLabel(s.account)} (id ${s.account.sub})`);
  else if (s.loggedIn) lines.push(`Account:        unknown (a login made before gphotos recorded accounts; run \`${login}\` again)`);
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
