// An archive belongs to one Google account: it is recorded in .gphotos/settings.json (`account`) at the archive's
// first sync, pick or watch, and a later run whose login is another account is refused before anything is listed
// or written, since two libraries would merge silently. An archive made before accounts were recorded adopts the
// account of its next run. `gphotos config DIR --account …` re-binds it on purpose.
//
// import (Takeout) needs no login and a Takeout export names no account, so it neither checks nor records one.
// setUpCommand notes the archive of the command (noteArchive); connect.ts calls bindAccount once it has the login.
import { join } from 'node:path';
import { pathExists } from '../archive/durable-file.js';
import { accountLabel, sameAccount, type Account } from '../auth/account.js';
import { AuthFlowError } from '../auth/errors.js';
import { DEFAULT_PROFILE, loginCommand, profileName } from '../config/paths.js';
import { readSettings, writeSettings } from './archive-settings.js';

export type Binding =
  | { kind: 'same' } // the login is the archive's account
  | { kind: 'adopt' } // the archive has no account yet: record the login's
  | { kind: 'mismatch'; archive: Account; login: Account }
  | { kind: 'login-unknown'; archive: Account } // a login made before openid, an archive bound to an account
  | { kind: 'neither' }; // neither knows its account: nothing to check or record

/** Pure: what to do with an archive's recorded account and the login's. */
export function decideBinding(archive: Account | undefined, login: Account | undefined): Binding {
  if (login === undefined) return archive === undefined ? { kind: 'neither' } : { kind: 'login-unknown', archive };
  if (archive === undefined) return { kind: 'adopt' };
  return sameAccount(archive, login) ? { kind: 'same' } : { kind: 'mismatch', archive, login };
}

/** The refusal for a binding that may not go on; undefined when it may. Names accounts by label, never tokens. */
export function bindingError(b: Binding, label: string, env: NodeJS.ProcessEnv): AuthFlowError | undefined {
  const profile = profileName(env);
  const whose = profile === DEFAULT_PROFILE ? 'the login in use' : `the login of profile ${profile}`;
  if (b.kind === 'mismatch') {
    const them = accountLabel(b.archive);
    const now = accountLabel(b.login);
    return new AuthFlowError('account-mismatch', `${label} belongs to the Google account ${them}, but ${whose} is ${now}; going on would mix two accounts' photos, so nothing was done.`, {
      hint: `Sign in as ${them} (\`${loginCommand(env)}\`), or use the profile signed in as ${them} (\`--profile NAME\`). To make ${label} follow ${now} from now on, run \`gphotos config ${label} --account ${b.login.email ?? b.login.sub}${profile === DEFAULT_PROFILE ? '' : ` --profile ${profile}`}\`.`,
    });
  }
  if (b.kind === 'login-unknown') {
    return new AuthFlowError('account-unknown', `${label} belongs to the Google account ${accountLabel(b.archive)}, but ${whose} was made before gphotos recorded accounts, so it cannot show whose it is.`, {
      hint: `Run \`${loginCommand(env)}\` once, signing in as ${accountLabel(b.archive)}.`,
    });
  }
  return undefined;
}

interface Noted {
  dir: string;
  label: string;
  /** This run may record the account (sync, pick, watch; not a dry run). */
  record: boolean;
}
let noted: Noted | undefined;
let pending: { dir: string; account: Account } | undefined;

/** Before the command: the archive it works on. */
export function noteArchive(dir: string, label: string, record: boolean): void {
  noted = { dir, label, record };
  pending = undefined;
}

/**
 * Once the login is known, before anything is listed: refuse another account's login, record the account of an
 * archive that has none (at once when the archive exists, else once it does: see finishAccount).
 * Returns a warning to show when the login's account is unknown (an old login) and nothing could be checked.
 */
export async function bindAccount(login: Account | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const n = noted;
  if (n === undefined) return undefined;
  const settings = await readSettings(n.dir);
  const b = decideBinding(settings?.account, login);
  const refusal = bindingError(b, n.label, env);
  if (refusal !== undefined) throw refusal;
  if (b.kind === 'neither') {
    return `The saved login was made before gphotos recorded accounts, so ${n.label} cannot be tied to its Google account; run \`${loginCommand(env)}\` once to fix that.`;
  }
  if (b.kind !== 'adopt' || !n.record || login === undefined) return undefined;
  // An archive that exists (or that watch, which runs for months, has just set up) is bound at once; a new one
  // once the command has made it, so a run that ends before (a pick of nothing) leaves no trace.
  if (await pathExists(join(n.dir, '.gphotos'))) await writeSettings(n.dir, { ...settings, account: login });
  else pending = { dir: n.dir, account: login };
  return undefined;
}

/** After the command, also after a failure: record the account of an archive the command created. */
export async function finishAccount(): Promise<void> {
  const p = pending;
  pending = undefined;
  if (p === undefined || !(await pathExists(join(p.dir, '.gphotos', 'manifest.json')))) return;
  const settings = await readSettings(p.dir);
  if (settings?.account === undefined) await writeSettings(p.dir, { ...settings, account: p.account });
}
