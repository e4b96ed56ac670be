// The command lines README.md and docs/*.md show: every line of a fenced code block (not ```text, ```ini or ```json)
// that starts with `gphotos`, `npx gphotos`, `npm` or `~/.local/bin/gphotos` (after an optional `$ `), and the
// command of a ```cron line. How each is checked is decided by how it is marked (CONTRIBUTING.md):
//   `# needs a Google account` at the end of the line  -> only parsed (it must not be refused as a usage mistake)
//   `# runs until Ctrl-C` / `# runs until stopped`     -> started, then stopped with Ctrl-C
//   `# exit N`                                         -> run, and must exit N
// and otherwise run to the end, expecting exit 0. `gphotos watch` (without --max-cycles) and `gphotos emulator`
// (without --no-serve) run until stopped without saying so.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Check = { kind: 'run'; exit: number } | { kind: 'parse'; why: string } | { kind: 'long' };

export interface DocCommand {
  file: string;
  line: number;
  /** The line as shown, for messages and allow-lists. */
  text: string;
  /** What the shell runs: the line less a cron schedule. */
  command: string;
  check: Check;
}

const SKIPPED_FENCES = new Set(['text', 'ini', 'json', 'console-output']);
const COMMAND = /^(?:\$\s+)?((?:npx\s+)?gphotos\s.*|npm\s.*|~\/\.local\/bin\/gphotos\s.*)$/;
const CRON = /^(?:\S+\s+){5}(.*gphotos\s.*)$/;

export function docFiles(root: string): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

export function extractCommands(file: string, markdown: string): DocCommand[] {
  const out: DocCommand[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const f = /^```(\S*)/.exec(line);
    if (f) {
      fence = fence === undefined ? f[1]! : undefined;
      return;
    }
    if (fence === undefined || SKIPPED_FENCES.has(fence)) return;
    const m = fence === 'cron' ? CRON.exec(line) : COMMAND.exec(line);
    if (!m) return;
    const command = m[1]!;
    out.push({ file, line: i + 1, text: line, command, check: checkOf(command) });
  });
  return out;
}

function checkOf(command: string): Check {
  const comment = /\s#\s(.*)$/.exec(command)?.[1] ?? '';
  if (/needs a Google account/i.test(comment)) return { kind: 'parse', why: 'needs a Google account' };
  if (/runs until (Ctrl-C|stopped)/i.test(comment)) return { kind: 'long' };
  const exit = /\bexit (\d+)\b/.exec(comment);
  if (exit) return { kind: 'run', exit: Number(exit[1]) };
  const words = command.replace(/\s#\s.*$/, '').split(/\s+/);
  const sub = words[words[0] === 'npx' ? 2 : 1];
  if (sub === 'watch' && !words.includes('--max-cycles')) return { kind: 'long' };
  if (sub === 'emulator' && !words.includes('--no-serve')) return { kind: 'long' };
  return { kind: 'run', exit: 0 };
}

export function allDocCommands(root: string): DocCommand[] {
  return docFiles(root).flatMap((f) => extractCommands(f, readFileSync(join(root, f), 'utf8')));
}
