// The archive folder a command is given (DIR), checked once before the command runs (main.ts), so a file, a
// missing parent or a folder we may not use is a clear usage or local error instead of a bug report from deep
// inside the engine (ENOTDIR from a mkdir, 2961 downloads planned into a file).
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LocalError, UsageError } from '../errors.js';

/** create: DIR may be new (its parent must exist); write: DIR must exist and be writable; read: exist, readable. */
export type ArchiveDirUse = 'create' | 'write' | 'read';

/** What each command that takes DIR does with it. */
export function archiveDirUse(command: string, argv: Record<string, unknown>): ArchiveDirUse | undefined {
  switch (command) {
    case 'sync':
    case 'pick':
    case 'import':
    case 'watch':
    case 'adopt':
      return 'create';
    case 'rebuild':
      return 'write';
    case 'verify':
      return argv.fix === true ? 'write' : 'read';
    case 'status':
    case 'report':
    case 'config':
      return 'read';
    default:
      return undefined;
  }
}

/** The absolute archive path, or a UsageError / LocalError that says what is wrong and what to do. */
export async function checkArchiveDir(arg: string, use: ArchiveDirUse): Promise<string> {
  const dir = resolve(arg);
  const found = await kindOf(dir, arg);
  if (found === 'dir') {
    await mayUse(dir, arg, use === 'read' ? 'read' : 'write');
    return dir;
  }
  if (found === 'other') {
    throw new UsageError(`${arg} is a file, not a folder.`, { hint: 'Name the archive folder (or a new folder to create for sync, pick, import, watch and adopt).' });
  }
  if (use !== 'create') {
    throw new UsageError(`${arg} does not exist.`, { hint: `Check the folder name, or run \`gphotos sync ${arg}\` to start an archive there.` });
  }
  const parent = dirname(dir);
  const parentKind = await kindOf(parent, parent);
  if (parentKind === 'missing') {
    throw new UsageError(`Cannot create the archive ${arg}: its parent folder ${parent} does not exist.`, {
      hint: `Create it first (mkdir -p ${parent}) or check the path; gphotos makes only the archive folder itself.`,
    });
  }
  if (parentKind === 'other') throw new UsageError(`Cannot create the archive ${arg}: ${parent} is a file, not a folder.`, { hint: 'Name a folder inside an existing folder.' });
  await mayUse(parent, parent, 'write');
  return dir;
}

async function kindOf(path: string, label: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') throw new UsageError(`${label}: part of this path is a file, not a folder.`, { hint: 'Check the path; every part before the last must be a folder.' });
    throw denied(label, code, e);
  }
}

async function mayUse(path: string, label: string, how: 'read' | 'write'): Promise<void> {
  const mode = how === 'read' ? constants.R_OK | constants.X_OK : constants.R_OK | constants.W_OK | constants.X_OK;
  try {
    await access(path, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Only a permission is ours to explain; EROFS and the like get the archive layer's own, more precise hint.
    if (code === 'EACCES' || code === 'EPERM') throw denied(label, code, e, how);
  }
}

function denied(label: string, code: string | undefined, cause: unknown, how: 'read' | 'write' = 'read'): LocalError {
  return new LocalError(`Cannot ${how === 'read' ? 'read' : 'write to'} ${label} (${code ?? 'error'}).`, {
    path: label,
    hint:
      code === 'EROFS'
        ? `${label} is on a read-only file system: remount it read-write, or name an archive on a writable disk.`
        : `Run gphotos as the folder's owner, or give yourself access (chmod u+rwx ${label}).`,
    cause,
  });
}
