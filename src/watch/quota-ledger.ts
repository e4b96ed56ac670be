// Requests spent per Pacific-time day, kept in .gphotos/quota.json so that a restarted watch still knows what
// today cost. Only `gphotos watch` writes it (a manual sync is not counted): losing it only makes the budget
// less exact; the hard stop is Google's 429 RESOURCE_EXHAUSTED, which sync turns into stoppedBy 'quota'.
import { join } from 'node:path';
import { writeFileDurably } from '../archive/durable-file.js';
import { readRegularFile, stateDir, writeFailed } from '../archive/state-files.js';
import { pacificDay } from './pacific.js';

export interface Budget {
  /** Library API requests per day (Google allows 10,000). */
  api: number;
  /** Byte-host requests (downloads) per day (Google allows 75,000). */
  bytes: number;
}

export const DEFAULT_BUDGET: Budget = { api: 9000, bytes: 70_000 };

export interface QuotaDay {
  day: string;
  apiCalls: number;
  byteCalls: number;
  /** Set when Google itself said the quota is spent today. */
  exhausted?: boolean;
}

export const QUOTA_FILE = 'quota.json';

export class QuotaLedger {
  private constructor(
    private readonly archiveDir: string,
    private readonly file: string,
    private data: QuotaDay,
  ) {}

  static async load(archiveDir: string, now: Date): Promise<QuotaLedger> {
    const file = join(archiveDir, '.gphotos', QUOTA_FILE);
    let data: QuotaDay = { day: pacificDay(now), apiCalls: 0, byteCalls: 0 };
    // A symlink, FIFO or folder in its place is refused (LocalError): .gphotos/ is not trusted (state-files.ts).
    const found = (await stateDir(archiveDir, false)) === undefined ? undefined : await readRegularFile(file);
    try {
      const x = JSON.parse(found?.data.toString('utf8') ?? '') as Partial<QuotaDay>;
      if (typeof x.day === 'string' && typeof x.apiCalls === 'number' && typeof x.byteCalls === 'number') {
        data = { day: x.day, apiCalls: x.apiCalls, byteCalls: x.byteCalls, ...(x.exhausted === true ? { exhausted: true } : {}) };
      }
    } catch {
      /* missing or damaged: start counting from zero */
    }
    const ledger = new QuotaLedger(archiveDir, file, data);
    ledger.roll(now);
    return ledger;
  }

  /** Today's counts (a new Pacific day starts from zero). */
  today(now: Date): Readonly<QuotaDay> {
    this.roll(now);
    return this.data;
  }

  add(now: Date, apiCalls: number, byteCalls: number, exhausted = false): void {
    this.roll(now);
    this.data.apiCalls += apiCalls;
    this.data.byteCalls += byteCalls;
    if (exhausted) this.data.exhausted = true;
  }

  /** What is left of `budget` today. */
  left(now: Date, budget: Budget): { api: number; bytes: number; exhausted: boolean } {
    const d = this.today(now);
    return { api: budget.api - d.apiCalls, bytes: budget.bytes - d.byteCalls, exhausted: d.exhausted === true };
  }

  async save(): Promise<void> {
    await stateDir(this.archiveDir, true);
    // The rename replaces whatever stands at the name (a planted link included) without following it.
    await writeFileDurably(this.file, JSON.stringify(this.data) + '\n').catch((e: unknown) => {
      throw writeFailed(this.file, e);
    });
  }

  private roll(now: Date): void {
    const day = pacificDay(now);
    if (this.data.day !== day) this.data = { day, apiCalls: 0, byteCalls: 0 };
  }
}

/** `--daily-budget API,DOWNLOADS` (e.g. `9000,70000`); one number sets the API budget only. */
export function parseBudget(text: string): Budget | undefined {
  const m = /^\s*(\d+)\s*(?:[,/]\s*(\d+)\s*)?$/.exec(text);
  if (m === null) return undefined;
  const api = Number(m[1]);
  const bytes = m[2] === undefined ? DEFAULT_BUDGET.bytes : Number(m[2]);
  if (api < 1 || bytes < 1) return undefined;
  return { api, bytes };
}
