// Where gphotos keeps its own files (client_secret.json, tokens.json): one directory, private to the user.
import { mkdir, chmod } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, win32 } from 'node:path';
import { ENV } from './endpoints.js';

export interface ConfigPaths {
  dir: string;
  clientSecret: string;
  tokens: string;
}

/**
 * The config directory: $GPHOTOS_CONFIG_DIR, else $XDG_CONFIG_HOME/gphotos, else the platform's usual place.
 * XDG wins on every platform because people who set it mean it (also on macOS).
 */
export function configDir(
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
