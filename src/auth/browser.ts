// Opening the consent URL in the user's browser. Best effort: the URL is always printed as well, so a launcher
// that is missing or fails is a warning, never a failed login.
import { execa } from 'execa';

/** How long to wait for a launcher to report failure; browsers themselves may run for hours, so we stop waiting. */
const LAUNCH_WAIT_MS = 3000;

/**
 * Open `url`; resolves to a warning message when it could not, else undefined.
 * $BROWSER (a shell-like command line; `%s` marks where the URL goes, otherwise it is appended; on POSIX a
 * colon-separated list is tried in order), else xdg-open / open / `cmd /c start ""`.
 */
export async function openBrowser(
  url: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): Promise<string | undefined> {
  const commands: string[][] = [];
  if (env.BROWSER) {
    const entries = platform === 'win32' ? [env.BROWSER] : env.BROWSER.split(':');
    for (const entry of entries) {
      const words = splitCommand(entry);
      if (words.length === 0) continue;
      commands.push(words.some((w) => w.includes('%s')) ? words.map((w) => w.replaceAll('%s', url)) : [...words, url]);
    }
  } else if (platform === 'darwin') {
    commands.push(['open', url]);
  } else if (platform === 'win32') {
    // start's first quoted argument is the window title, hence the empty "".
    commands.push(['cmd', '/c', 'start', '""', url.replaceAll('&', '^&')]);
  } else {
    commands.push(['xdg-open', url]);
  }
  const failures: string[] = [];
  for (const [file, ...args] of commands) {
    if (file === undefined) continue;
    const why = await launch(file, args, env);
    if (why === undefined) return undefined;
    failures.push(`${file}: ${why}`);
  }
  return `Could not open a browser (${failures.join('; ') || 'no command'}); open the URL above yourself.`;
}

async function launch(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const child = execa(file, args, {
    env,
    extendEnv: false,
    stdio: 'ignore',
    detached: true,
    cleanup: false,
    reject: false,
    windowsVerbatimArguments: file === 'cmd',
  });
  let timer: NodeJS.Timeout | undefined;
  const stillRunning = new Promise<'running'>((resolve) => {
    timer = setTimeout(() => resolve('running'), LAUNCH_WAIT_MS);
  });
  const result = await Promise.race([child, stillRunning]);
  clearTimeout(timer);
  if (result === 'running') {
    // A browser started in the foreground: leave it be and do not keep our process alive for it.
    child.unref();
    return undefined;
  }
  if (result.failed && result.exitCode === undefined) return result.originalMessage || 'could not start';
  if (result.exitCode !== 0) return `exited with code ${result.exitCode ?? '?'}`;
  return undefined;
}

/** Split a command line like a POSIX shell does for words: quotes ('…', "…") and backslash escapes, no expansion. */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line.charAt(i + 1))) cur += line.charAt(++i);
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line.charAt(++i);
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
