// Which kind of input a path is: a folder, a .zip, or a gzipped tar.
import { stat } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import { DirInput } from './dir-input.js';
import type { Limits, TakeoutInput } from './input.js';
import { TgzInput } from './tgz-input.js';
import { ZipInput } from './zip-input.js';

export interface InputFingerprint {
  name: string;
  size: number;
  mtimeMs: number;
}

export async function openInput(path: string, limits: Limits): Promise<{ input: TakeoutInput; fingerprint?: InputFingerprint }> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new UsageError(`Cannot read the Takeout input ${path}: ${(e as Error).message}.`, { hint: 'Name .zip or .tgz files from Google Takeout, or folders they were extracted to.' });
  }
  if (st.isDirectory()) return { input: new DirInput(path, limits) };
  const lower = path.toLowerCase();
  const fingerprint = { name: path.split(/[/\\]/).pop() ?? path, size: st.size, mtimeMs: Math.round(st.mtimeMs) };
  if (lower.endsWith('.zip')) return { input: new ZipInput(path, limits), fingerprint };
  if (lower.endsWith('.tgz') || lower.endsWith('.tar.gz') || lower.endsWith('.tar')) return { input: new TgzInput(path, limits), fingerprint };
  throw new UsageError(`${path} is not a Takeout archive: gphotos reads .zip, .tgz and .tar.gz files and folders.`);
}
