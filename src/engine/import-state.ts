// Which Takeout archives were imported completely, so that importing them again costs one stat each.
// Kept beside the manifest in .gphotos/takeout-imports.json; losing it only makes the next import slower.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../archive/durable-file.js';
import type { InputFingerprint } from '../sources/takeout/open-input.js';

interface StateFile {
  schema: 1;
  archives: (InputFingerprint & { completedAt: string })[];
}

const FILE = 'takeout-imports.json';

export class ImportState {
  private constructor(
    private readonly file: string,
    private readonly data: StateFile,
  ) {}

  static async load(archiveDir: string): Promise<ImportState> {
    const file = join(archiveDir, '.gphotos', FILE);
    let data: StateFile = { schema: 1, archives: [] };
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as StateFile;
      if (parsed.schema === 1 && Array.isArray(parsed.archives)) data = parsed;
    } catch {
      // Missing or damaged: every archive is read again, and entries already archived are skipped anyway.
    }
    return new ImportState(file, data);
  }

  has(f: InputFingerprint): boolean {
    return this.data.archives.some((a) => a.name === f.name && a.size === f.size && a.mtimeMs === f.mtimeMs);
  }

  add(f: InputFingerprint, at: Date): void {
    if (!this.has(f)) this.data.archives.push({ ...f, completedAt: at.toISOString() });
  }

  save(): Promise<void> {
    return writeFileDurably(this.file, JSON.stringify(this.data));
  }
}
