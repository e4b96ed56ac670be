// Where gphotos keeps its own files (client_secret.json, tokens.json): one directory, private to the user.
// Each profile (`--profile NAME`, a family member's Google account) has its own directory below it,
// profiles/NAME/; the default profile is the directory itself, so logins made before profiles stay where they are.
import { mkdir, chmod } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, win32 } from 'node:path';
import { UsageError } from '../errors.js';
import { ENV } from './endpoints.js';

export const DEFAULT_PROFILE = 'default';

export interface ConfigPaths {
  dir: string;
  clientSecret: string;
  tokens: string;
}

/** The profile in use: $GPHOTOS_PROFILE (set by --profile), else the default one. */
export function profileName(env: NodeJS.ProcessEnv): string {
  const name = env[ENV.profile];
  return name === undefined || name === '' ? DEFAULT_PROFILE : validateProfileName(name);
}

/** A profile name is a folder name: letters, digits, `.`, `_`, `-`, not starting with a dot. */
export function validateProfileName(name: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new UsageError(`${JSON.stringify(name)} is not a usable profile name.`, {
      hint: 'Name a profile with up to 64 letters, digits, ".", "_" or "-" (not starting with "."), e.g. `--profile anna`.',
    });
  }
  return name;
}

/** The command that signs in to the profile in use, for hints: `gphotos auth login [--profile NAME]`. */
export function loginCommand(env: NodeJS.ProcessEnv): string {
  const profile = profileName(env);
  return `gphotos auth login${profile === DEFAULT_PROFILE ? '' : ` --profile ${profile}`}`;
}

/** The directory of the profile in use: the config directory itself for the default profile, else profiles/NAME. */
export function configDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const base = baseConfigDir(env, platform, home);
  const profile = profileName(env);
  if (profile === DEFAULT_PROFILE) return base;
  return platform === 'win32' ? win32.join(base, 'profiles', profile) : join(base, 'profiles', profile);
}

/**
 * The config directory: $GPHOTOS_CONFIG_DIR, else $XDG_CONFIG_HOME/gphotos, else the platform's usual place.
 * XDG wins on every platform because people who set it mean it (also on macOS).
 */
export function baseConfigDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const explicit = env[ENV.configDir];
  if (explicit) return explicit;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'gphotos');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'gphotos');
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'gphotos');
  return join(home, '.config', 'gphotos');
}

export function configPaths(dir: string): ConfigPaths {
  return { dir, clientSecret: join(dir, 'client_secret.json'), tokens: join(dir, 'tokens.json') };
}

/** Create the directory (0700) if missing; tighten it if we just made it. Existing dirs keep the user's mode. */
export async function ensureConfigDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask; the innermost new directory must be 0700 regardless.
  if (created !== undefined && process.platform !== 'win32') await chmod(dir, 0o700);
}
