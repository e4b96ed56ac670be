// Lines of .gphotos/manifest.journal prove themselves, as restic's and git's objects do: each is
//   <checksum> <seq> <op JSON>\n
// where checksum is the first 16 hex digits of SHA-256 over the bytes of `<seq> <op JSON>`, and seq counts
// 1, 2, 3... from the last compaction. A flipped byte (even one that keeps the JSON valid) fails the checksum; a
// deleted, duplicated or swapped line breaks the sequence. Appends are acknowledged only after fdatasync and the
// newline is in the same write, so the only damage a crash can cause is an unterminated last line: that alone
// is dropped silently. Any other damage stops the open with a message that names it and points to `rebuild`.
import { createHash } from 'node:crypto';
import { LocalError } from '../errors.js';
import type { JournalOp } from './manifest-format.js';
import { corruptError, itemProblem, metaProblem } from './manifest-format.js';

const KNOWN_OPS = ['put', 'del', 'meta'];
const FRAME = /^([0-9a-f]{16}) ([1-9][0-9]{0,15}) /;

function sum(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** The journal line for `op` (JSON text) as the `seq`-th line since the last compaction. */
export function journalLine(seq: number, opJson: string): string {
  const body = `${seq} ${opJson}`;
  return `${sum(body)} ${body}\n`;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function opProblem(x: unknown): string | undefined {
  if (!isObject(x)) return 'not an object';
  switch (x.op) {
    case 'put':
      return itemProblem(x.item);
    case 'del':
      return typeof x.key === 'string' ? undefined : 'del without key';
    case 'meta':
      return typeof x.source === 'string' ? metaProblem(x.meta) : 'meta without source';
    default:
      return `unknown op ${JSON.stringify(x.op)}`;
  }
}

export interface ParsedJournal {
  ops: JournalOp[];
  /** Bytes up to the end of the last complete line; anything after is a torn write from a crash. */
  validBytes: number;
  /** Bytes of the torn last line dropped (0 when the journal ended cleanly). */
  tornBytes: number;
  /** The seq of the next line to append. */
  nextSeq: number;
}

export interface ParseOptions {
  /** Accept unframed lines (written by schema 1 gphotos) before the first framed one: manifest.json is schema 1. */
  legacy: boolean;
}

/** Parse the journal; throws LocalError naming every damaged line (count and the first few). */
export function parseJournal(buf: Buffer, file: string, archiveDir: string, opts: ParseOptions): ParsedJournal {
  const ops: JournalOp[] = [];
  const bad: string[] = [];
  let lines = 0;
  let expectSeq = 1;
  let framedSeen = false;
  let pos = 0;
  let validBytes = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl === -1) break; // an unterminated last line was never acknowledged: torn
    lines++;
    const line = buf.subarray(pos, nl);
    pos = nl + 1;
    validBytes = pos;
    const r = readLine(line, expectSeq, opts.legacy && !framedSeen);
    if (r.framed) framedSeen = true;
    if ('problem' in r) {
      bad.push(`line ${lines}: ${r.problem}`);
      if (r.seq !== undefined) expectSeq = r.seq + 1; // one bad line is reported once, not as a broken sequence after it
      continue;
    }
    if (!KNOWN_OPS.includes(String(r.op.op))) {
      throw new LocalError(`${file} line ${lines} has journal op ${JSON.stringify(r.op.op)}, unknown to this gphotos.`, {
        path: file,
        hint: 'A newer gphotos wrote this archive: upgrade gphotos (npm i -g gphotos@latest).',
      });
    }
    const problem = opProblem(r.op);
    if (problem !== undefined) bad.push(`line ${lines}: ${problem}`);
    else ops.push(r.op as JournalOp);
    if (r.framed) expectSeq++;
  }
  if (bad.length > 0) {
    const shown = bad.slice(0, 3).join('; ') + (bad.length > 3 ? `; and ${bad.length - 3} more` : '');
    throw corruptError(file, archiveDir, `${bad.length} of its ${lines} complete lines ${bad.length === 1 ? 'is' : 'are'} damaged (${shown}); none was applied`);
  }
  return { ops, validBytes, tornBytes: buf.length - validBytes, nextSeq: expectSeq };
}

type LineResult = { framed: boolean; op: Record<string, unknown> } | { framed: boolean; problem: string; seq?: number };

function readLine(line: Buffer, expectSeq: number, legacyOk: boolean): LineResult {
  if (line.length === 0) return { framed: false, problem: 'an empty line' };
  const head = FRAME.exec(line.toString('latin1', 0, Math.min(line.length, 34)));
  if (head === null) {
    if (!legacyOk || line[0] !== 0x7b) return { framed: false, problem: 'not a gphotos journal line (no checksum)' };
    return parseJson(line, false, undefined);
  }
  const seq = Number(head[2]);
  const body = line.subarray(17);
  if (sum(body) !== head[1]) return { framed: true, problem: 'its checksum does not match', seq };
  if (seq !== expectSeq) return { framed: true, problem: `sequence number ${seq} where ${expectSeq} was due (a line deleted, repeated or moved)`, seq };
  return parseJson(line.subarray(head[0].length), true, seq);
}

function parseJson(bytes: Buffer, framed: boolean, seq: number | undefined): LineResult {
  const text = bytes.toString('utf8');
  // Unframed lines have no checksum: at least refuse bytes that are not UTF-8 (decoding would hide them).
  if (!framed && !Buffer.from(text, 'utf8').equals(bytes)) return { framed, problem: 'not valid UTF-8', ...(seq === undefined ? {} : { seq }) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { framed, problem: 'not valid JSON', ...(seq === undefined ? {} : { seq }) };
  }
  if (!isObject(parsed)) return { framed, problem: 'not a JSON object' };
  return { framed, op: parsed };
}
