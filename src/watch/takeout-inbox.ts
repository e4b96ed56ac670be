// `--takeout-inbox FOLDER`: Takeout archives that appear in a folder are imported once they are completely
// written. An archive is complete when its size and mtime have not changed for the stability window and, for a
// zip, its end-of-central-directory record is present. Takeout names the parts of a split export
// `takeout-<timestamp>-<nnn>.zip` (001, 002, …) without saying how many there are, so a set is imported together
// once its parts are numbered 1..N without a gap and no new part has appeared for the stability window.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface InboxFile {
  name: string;
  size: number;
  mtimeMs: number;
}

const ARCHIVE = /\.(zip|tgz|tar\.gz|tar)$/i;
const PART = /^(.+)-(\d{3,})\.(zip|tgz|tar\.gz|tar)$/i;

/** The set a file belongs to and its part number (a lone archive is a set of one). */
export function setOf(name: string): { key: string; part?: number } {
  const m = PART.exec(name);
  if (m === null) return { key: name };
  return { key: `${m[1] ?? ''}.${(m[3] ?? '').toLowerCase()}`, part: Number(m[2]) };
}

export const fingerprintOf = (f: InboxFile): string => `${f.name}\0${f.size}\0${Math.round(f.mtimeMs)}`;

export interface InboxVerdict {
  /** Sets ready to import: file names, sorted. */
  ready: string[][];
  /** Sets seen but not ready, and why (reported once per change of reason). */
  waiting: { key: string; why: string }[];
}

export class InboxTracker {
  private readonly seen = new Map<string, InboxFile & { stableSince: number }>();
  private readonly newestPartAt = new Map<string, number>();
  private readonly done = new Set<string>();

  constructor(private readonly windowMs: number) {}

  observe(files: readonly InboxFile[], nowMs: number): InboxVerdict {
    const names = new Set(files.map((f) => f.name));
    for (const name of [...this.seen.keys()]) if (!names.has(name)) this.seen.delete(name);
    const sets = new Map<string, InboxFile[]>();
    for (const f of files) {
      if (!ARCHIVE.test(f.name)) continue;
      const prev = this.seen.get(f.name);
      const { key } = setOf(f.name);
      if (prev === undefined) this.newestPartAt.set(key, nowMs);
      const same = prev !== undefined && prev.size === f.size && prev.mtimeMs === f.mtimeMs;
      this.seen.set(f.name, { ...f, stableSince: same ? prev.stableSince : nowMs });
      sets.set(key, [...(sets.get(key) ?? []), f]);
    }
    for (const key of [...this.newestPartAt.keys()]) if (!sets.has(key)) this.newestPartAt.delete(key);
    for (const fp of [...this.done]) if (!files.some((f) => fingerprintOf(f) === fp)) this.done.delete(fp);

    const out: InboxVerdict = { ready: [], waiting: [] };
    for (const [key, members] of sets) {
      if (members.every((f) => this.done.has(fingerprintOf(f)))) continue;
      const unstable = members.filter((f) => nowMs - (this.seen.get(f.name)?.stableSince ?? nowMs) < this.windowMs);
      if (unstable.length > 0) {
        out.waiting.push({ key, why: `still being written: ${unstable.map((f) => f.name).join(', ')}` });
        continue;
      }
      if (nowMs - (this.newestPartAt.get(key) ?? nowMs) < this.windowMs) {
        out.waiting.push({ key, why: 'waiting for more parts' });
        continue;
      }
      const parts = members.map((f) => setOf(f.name).part).filter((p): p is number => p !== undefined).sort((a, b) => a - b);
      const gap = parts.findIndex((p, i) => p !== i + 1);
      if (parts.length > 0 && gap !== -1) {
        out.waiting.push({ key, why: `part ${String(gap + 1).padStart(3, '0')} is missing` });
        continue;
      }
      out.ready.push(members.map((f) => f.name).sort());
    }
    return out;
  }

  /** Remember a set as handled (imported, or refused) until one of its files changes. */
  markDone(files: readonly InboxFile[]): void {
    for (const f of files) this.done.add(fingerprintOf(f));
  }

  /** Whether every one of `files` is handled as it is now (a set queued by a poll during its own import is). */
  isDone(files: readonly InboxFile[]): boolean {
    return files.length > 0 && files.every((f) => this.done.has(fingerprintOf(f)));
  }

  current(name: string): InboxFile | undefined {
    return this.seen.get(name);
  }
}

/** The archives in the inbox (not recursive), with size and mtime. */
export async function listInbox(dir: string): Promise<InboxFile[]> {
  const out: InboxFile[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isFile() || !ARCHIVE.test(e.name) || e.name.startsWith('.')) continue;
    const st = await stat(join(dir, e.name)).catch(() => undefined);
    if (st !== undefined) out.push({ name: e.name, size: st.size, mtimeMs: st.mtimeMs });
  }
  return out;
}

export { zipLooksComplete } from '../sources/takeout/takeout-folder.js';
