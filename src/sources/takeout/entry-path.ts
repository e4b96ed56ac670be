// Archive entry names are untrusted. gphotos never writes a file by its entry name (the layout decides
// every path), but a name that tries to leave the extraction root says the archive is hostile or broken,
// so such entries are refused and reported rather than silently read.

/** Why an archive entry name is unsafe (zip slip), or undefined when it is an ordinary relative name. */
export function entryPathProblem(name: string): string | undefined {
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.startsWith('/') || name.startsWith('\\')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  for (const seg of name.split(/[/\\]/)) if (seg === '..') return "climbs out with '..'";
  return undefined;
}

/**
 * '/'-separated, without './' segments. The Unicode form is kept: 'Café.jpg' in NFC and in NFD are two files
 * of the export (each with its own sidecar); the catalog folds folders, and the archive's layout folds names.
 */
export function normaliseEntryPath(name: string): string {
  return name
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
