// Choices made at an archive's first run (folder layout, time zone) live in DIR/.gphotos/settings.json and bind
// every later command: a flag left out takes the archive's value, a different one is refused (the archive would
// mix two layouts), and `gphotos config DIR --layout …` is the way to change them. Resolved here, once, before a
// command runs (main.ts), so commands and the engine keep receiving plain options.
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdirDurably, writeFileDurably } from '../archive/durable-file.js';
import { compileLayout } from '../core/layout.js';
import { validateTimeZone } from '../core/local-time.js';
import { LocalError, UsageError } from '../errors.js';
import { parseAccount, type Account } from '../auth/account.js';

export interface ArchiveSettings {
  layout?: string;
  tz?: string;
  /** XMP sidecars beside each file ('on', the default) or none ('off'). */
  xmp?: 'on' | 'off';
  /**
   * The Google account the archive belongs to (recorded at its first sync, pick or watch; see account-binding.ts).
   * Not a command-line setting: `gphotos config DIR --account …` changes it.
   */
  account?: Account;
}
export type SettingName = Exclude<keyof ArchiveSettings, 'account'>;
export const SETTING_NAMES: readonly SettingName[] = ['layout', 'tz', 'xmp'];

export function settingsPath(archiveDir: string): string {
  return join(archiveDir, '.gphotos', 'settings.json');
}

/** The stored settings, or undefined when the archive has none yet. */
export async function readSettings(archiveDir: string): Promise<ArchiveSettings | undefined> {
  const path = settingsPath(archiveDir);
  const st = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw new LocalError(`Cannot read ${path} (${e.code ?? 'error'}).`, { path });
  });
  if (st === undefined) return undefined;
  // .gphotos/ is a trust boundary: nothing there is followed out of the archive.
  if (!st.isFile()) throw new LocalError(`${path} is not a regular file.`, { path, hint: `Remove it; the next sync writes it again.` });
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new LocalError(`${path} is damaged (not JSON).`, { path, hint: `Restore it, or remove it and run \`gphotos config ${archiveDir} --layout … --tz …\` with the archive's values.` });
  }
  const out: ArchiveSettings = {};
  if (typeof json === 'object' && json !== null) {
    const j = json as Record<string, unknown>;
    if (typeof j.layout === 'string') out.layout = j.layout;
    if (typeof j.tz === 'string') out.tz = j.tz;
    if (j.xmp === 'on' || j.xmp === 'off') out.xmp = j.xmp;
    if (j.account !== undefined) {
      const account = parseAccount(j.account);
      // A damaged binding must not silently unbind the archive (the next run would adopt any account).
      if (account === undefined) throw new LocalError(`${path} names its Google account in a form gphotos cannot read.`, { path, hint: `Set it again with \`gphotos config ${archiveDir} --account EMAIL\` (the account signed in now).` });
      out.account = account;
    }
  }
  return out;
}

/** Throws the usual UsageError for a bad value, so nothing invalid is ever stored. */
export function validateSettings(s: ArchiveSettings): void {
  if (s.layout !== undefined) compileLayout(s.layout);
  if (s.tz !== undefined) validateTimeZone(s.tz);
}

export async function writeSettings(archiveDir: string, s: ArchiveSettings): Promise<void> {
  validateSettings(s);
  await mkdirDurably(join(archiveDir, '.gphotos'));
  await writeFileDurably(settingsPath(archiveDir), JSON.stringify({ schema: 1, ...s }, null, 2) + '\n');
}

/**
 * The values a command runs with. `given` holds the settings named on the command line, `current` every
 * setting the command takes (its flags' defaults where not given). Stores them at the first run (`store`).
 */
export async function resolveSettings(
  archiveDir: string,
  label: string,
  current: ArchiveSettings,
  given: ReadonlySet<SettingName>,
  store: boolean,
): Promise<ArchiveSettings> {
  const stored = await readSettings(archiveDir);
  const out: Record<SettingName, string | undefined> = { layout: current.layout, tz: current.tz, xmp: current.xmp };
  for (const k of SETTING_NAMES) {
    const have = stored?.[k];
    if (have === undefined || current[k] === undefined) continue;
    if (given.has(k) && current[k] !== have) {
      throw new UsageError(`${label} was set up with --${k} ${have}; this command says --${k} ${current[k]}.`, {
        hint: `Leave --${k} out to use ${have}, or change the archive's setting with \`gphotos config ${label} --${k} ${current[k]}\`.`,
      });
    }
    out[k] = have;
  }
  const missing = SETTING_NAMES.filter((k) => out[k] !== undefined && stored?.[k] === undefined);
  const resolved = settingsOf(out);
  if (store && missing.length > 0) await writeSettings(archiveDir, { ...stored, ...settingsOf(Object.fromEntries(missing.map((k) => [k, out[k]]))) });
  return resolved;
}

function settingsOf(v: Partial<Record<SettingName, string | undefined>>): ArchiveSettings {
  return {
    ...(v.layout === undefined ? {} : { layout: v.layout }),
    ...(v.tz === undefined ? {} : { tz: v.tz }),
    ...(v.xmp === 'on' || v.xmp === 'off' ? { xmp: v.xmp } : {}),
  };
}

/** Long options named on the command line (`--layout X`, `--layout=X`). */
export function givenSettings(argv: readonly string[]): Set<SettingName> {
  const given = new Set<SettingName>();
  for (const a of argv) {
    if (a === '--') break;
    const name = /^--([\w-]+)/.exec(a)?.[1];
    // yargs' negation: --no-xmp names the xmp setting.
    const k = SETTING_NAMES.find((n) => n === name || `no-${n}` === name);
    if (k !== undefined) given.add(k);
  }
  return given;
}
