// Reading the OAuth client (client_secret.json) the user downloaded from Google Cloud Console.
// A Desktop-app client's secret is not confidential (Google says so), but we still keep the copy 0600.
import { readFile } from 'node:fs/promises';
import { ENV } from '../config/endpoints.js';
import { baseConfigDir, configDir as profileDir, configPaths, ensureConfigDir } from '../config/paths.js';
import { UsageError } from '../errors.js';
import { writePrivateFile } from './private-file.js';

export interface ClientSecret {
  clientId: string;
  clientSecret: string;
  /** auth_uri / token_uri from the file; the environment still wins (resolveEndpoints). */
  authUrl?: string;
  tokenUrl?: string;
  /** The file it came from, for messages. */
  path: string;
}

const SETUP_HINT = 'Create an OAuth client of type "Desktop app" and download its JSON; see docs/google-cloud-setup.md.';

/** Which file to read: --client-secret, else $GPHOTOS_CLIENT_SECRET, else <config>/client_secret.json. */
export function clientSecretPath(opts: { file?: string | undefined; env: NodeJS.ProcessEnv; configDir: string }): string {
  return opts.file || opts.env[ENV.clientSecret] || configPaths(opts.configDir).clientSecret;
}

/**
 * A profile without a client file of its own uses the default profile's: a family usually shares one OAuth client
 * (one Google Cloud project), and only the logins differ.
 */
function sharedClientSecretPath(opts: { file?: string | undefined; env: NodeJS.ProcessEnv; configDir: string }): string | undefined {
  if (opts.file || opts.env[ENV.clientSecret]) return undefined;
  const base = baseConfigDir(opts.env);
  return opts.configDir === profileDir(opts.env) && opts.configDir !== base ? configPaths(base).clientSecret : undefined;
}

export async function loadClientSecret(opts: {
  file?: string | undefined;
  env: NodeJS.ProcessEnv;
  configDir: string;
}): Promise<ClientSecret> {
  let path = clientSecretPath(opts);
  const shared = sharedClientSecretPath(opts);
  let text: string;
  try {
    text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT' || shared === undefined) throw e;
      path = shared;
      return readFile(shared, 'utf8');
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError(`No OAuth client file at ${path}.`, {
        hint: `Run \`gphotos auth login --client-secret FILE\` with the client_secret_….json of a "Desktop app" OAuth client; see docs/google-cloud-setup.md.`,
      });
    }
    throw new UsageError(`Cannot read the OAuth client file ${path} (${code ?? 'error'}).`, { hint: SETUP_HINT });
  }
  return parseClientSecret(text, path);
}

export function parseClientSecret(text: string, path: string): ClientSecret {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON; expected a client_secret.json with an "installed" section.`, {
      hint: SETUP_HINT,
    });
  }
  if (!isObject(json)) throw malformed(path, 'it is not a JSON object');
  if (isObject(json.web) && !isObject(json.installed)) {
    throw new UsageError(`${path} is for a "Web application" OAuth client; gphotos needs a "Desktop app" client.`, {
      hint: 'In Google Cloud Console create a new OAuth client of type "Desktop app" and use its JSON; see docs/google-cloud-setup.md.',
    });
  }
  const inst = json.installed;
  if (!isObject(inst)) throw malformed(path, 'it has no "installed" section');
  const clientId = inst.client_id;
  const clientSecret = inst.client_secret;
  if (typeof clientId !== 'string' || clientId === '') throw malformed(path, '"installed.client_id" is missing');
  if (typeof clientSecret !== 'string' || clientSecret === '') throw malformed(path, '"installed.client_secret" is missing');
  const out: ClientSecret = { clientId, clientSecret, path };
  if (typeof inst.auth_uri === 'string' && inst.auth_uri) out.authUrl = inst.auth_uri;
  if (typeof inst.token_uri === 'string' && inst.token_uri) out.tokenUrl = inst.token_uri;
  return out;
}

/** Copy a validated client file into the config dir (0600) so later runs find it without flags. */
export async function installClientSecret(source: ClientSecret, configDir: string): Promise<string> {
  const dest = configPaths(configDir).clientSecret;
  if (source.path === dest) return dest;
  await ensureConfigDir(configDir);
  const text = await readFile(source.path, 'utf8');
  await writePrivateFile(dest, text);
  return dest;
}

function malformed(path: string, why: string): UsageError {
  return new UsageError(`${path} is not a usable client_secret.json: ${why}. Expected {"installed": {"client_id": …, "client_secret": …}}.`, {
    hint: SETUP_HINT,
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
