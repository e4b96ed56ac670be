// What `gphotos doctor [DIR]` checks, each a small function returning a verdict: the login works (a real token
// refresh), and the archive is healthy (settings valid, its account is the login's, the manifest and journal read
// back, the lock is not left behind). No deep hashing: `gphotos verify --deep` does that.
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { accountLabel, type Account } from '../auth/account.js';
import type { LoginCheck } from '../auth/check.js';
import { inspectLock } from '../archive/lock.js';
import { ManifestStore } from '../archive/manifest-store.js';
import { isGphotosError, type ErrorKind } from '../errors.js';
import { bindingError, decideBinding } from './account-binding.js';
import { readSettings, validateSettings, type ArchiveSettings } from './archive-settings.js';

export interface Verdict {
  check: 'login' | 'archive' | 'settings' | 'account' | 'manifest' | 'lock';
  /** fail: needs a person (the exit code follows `kind`); warn: worth knowing, harmless; skip: could not be checked. */
  status: 'ok' | 'warn' | 'fail' | 'skip';
  message: string;
  hint?: string;
  kind?: ErrorKind;
}

function failed(check: Verdict['check'], e: unknown): Verdict {
  if (!isGphotosError(e)) throw e; // a bug is a bug, not a verdict
  return { check, status: 'fail', message: e.message, kind: e.kind, ...(e.hint === undefined ? {} : { hint: e.hint }) };
}

export function loginVerdict(c: LoginCheck, tokenUrl: string, profile: string): Verdict {
  if (!c.ok) return failed('login', c.error);
  const who = c.account === undefined ? 'an account gphotos does not know (a login made before it recorded accounts)' : accountLabel(c.account);
  return { check: 'login', status: 'ok', message: `a token refresh at ${tokenUrl} worked; profile ${profile} is signed in as ${who}` };
}

/** The archive's checks, in order; `login` is the working login's account (undefined: none, or not known). */
export async function archiveVerdicts(dirArg: string, login: LoginCheck, env: NodeJS.ProcessEnv): Promise<Verdict[]> {
  const dir = resolve(dirArg);
  const st = await lstat(dir).catch(() => undefined);
  if (st === undefined || !st.isDirectory()) {
    return [{ check: 'archive', status: 'fail', kind: 'usage', message: `${dirArg} is ${st === undefined ? 'missing' : 'not a folder'}.`, hint: 'Name the archive folder.' }];
  }
  const out: Verdict[] = [];
  let settings: ArchiveSettings | undefined;
  try {
    settings = await readSettings(dir);
    if (settings !== undefined) validateSettings(settings);
    out.push({ check: 'settings', status: 'ok', message: settings === undefined ? 'none yet (the next sync stores them)' : describeSettings(settings) });
  } catch (e) {
    out.push(failed('settings', e));
    settings = undefined;
  }
  out.push(accountVerdict(out.at(-1)?.status === 'fail', settings?.account, login, dirArg, env));
  out.push(await manifestVerdict(dir));
  out.push(await lockVerdict(dir));
  return out;
}

function describeSettings(s: ArchiveSettings): string {
  return [`layout ${s.layout ?? '(not set)'}`, `tz ${s.tz ?? '(not set)'}`, `xmp ${s.xmp ?? '(not set)'}`].join(', ');
}

function accountVerdict(settingsFailed: boolean, archive: Account | undefined, login: LoginCheck, label: string, env: NodeJS.ProcessEnv): Verdict {
  if (settingsFailed) return { check: 'account', status: 'skip', message: 'not checked: the settings cannot be read' };
  if (!login.ok) {
    return { check: 'account', status: 'skip', message: `not checked: no working login${archive === undefined ? '' : `; the archive belongs to ${accountLabel(archive)}`}` };
  }
  const b = decideBinding(archive, login.account);
  const refusal = bindingError(b, label, env);
  if (refusal !== undefined) return failed('account', refusal);
  if (b.kind === 'same') return { check: 'account', status: 'ok', message: `the archive belongs to ${accountLabel(archive!)}, as does the login` };
  if (b.kind === 'adopt') return { check: 'account', status: 'ok', message: `not bound yet: the next sync, pick or watch binds it to ${accountLabel(login.account!)}` };
  return { check: 'account', status: 'warn', message: 'neither the archive nor the login knows its Google account', hint: 'Run `gphotos auth login` again; the next sync then binds the archive.' };
}

async function manifestVerdict(dir: string): Promise<Verdict> {
  const exists = await lstat(resolve(dir, '.gphotos')).then(() => true, () => false);
  if (!exists) return { check: 'manifest', status: 'warn', message: 'none: this folder is not an archive yet', hint: `\`gphotos sync ${dir}\` starts one.` };
  try {
    const store = await ManifestStore.open(dir, { readOnly: true });
    const n = store.size;
    await store.close();
    return { check: 'manifest', status: 'ok', message: `readable, ${n} items (no hashing; \`gphotos verify --deep\` checks the bytes)` };
  } catch (e) {
    return failed('manifest', e);
  }
}

async function lockVerdict(dir: string): Promise<Verdict> {
  try {
    const lock = await inspectLock(dir);
    if (lock.state === 'free') return { check: 'lock', status: 'ok', message: 'not locked' };
    if (lock.state === 'held') return { check: 'lock', status: 'ok', message: `in use: ${lock.who}` };
    return { check: 'lock', status: 'warn', message: `stale: ${lock.who} (${lock.why})`, hint: `The next command takes it over; or delete ${lock.path}.` };
  } catch (e) {
    return failed('lock', e);
  }
}

/** The exit code's kind: the first failed check's, in the order they are printed. */
export function firstFailure(verdicts: readonly Verdict[]): ErrorKind | undefined {
  return verdicts.find((v) => v.status === 'fail')?.kind;
}
