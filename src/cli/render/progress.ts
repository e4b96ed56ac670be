// The one progress display of every long command (sync, pick, import, verify, watch): a single line on stderr,
// redrawn in place when stderr is a terminal, fitted to the terminal's width at each draw (so a resized window
// gets a line that fits), throttled, and cleared before any other line is printed and at the end.
// Elsewhere (a pipe, a log, --quiet) it draws nothing: the commands print a line per file there instead.
import { composeProgress, type ProgressState } from './progress-line.js';

export interface ProgressOptions {
  /** stderr. */
  write: (s: string) => void;
  /** Draw the line (stderr is a terminal and the run is not --quiet). */
  draw: boolean;
  /** The terminal's width now (read at every draw). */
  columns: () => number;
  now: () => number;
  /** Called with a redraw to run when the terminal is resized; returns how to stop listening. */
  onResize?: (redraw: () => void) => () => void;
  /** Minimum time between two redraws, ms. */
  throttleMs?: number;
}

export interface Progress {
  /** Change what the line says and redraw it (at most once per throttle period unless forced). */
  update: (patch: Partial<Omit<ProgressState, 'elapsedMs'>>, force?: boolean) => void;
  /** The current state, to add to it. */
  readonly state: Readonly<Omit<ProgressState, 'elapsedMs'>>;
  /** Print a whole line (to stdout or stderr) above the progress line. */
  print: (write: (s: string) => void, line: string) => void;
  /** Start over (a new watch cycle): a new state, and the rate and ETA measured from now. */
  restart: (state: Omit<ProgressState, 'elapsedMs'>) => void;
  /** Remove the line (it comes back at the next update). */
  clear: () => void;
  /** Remove the line for good and stop listening for resizes. */
  end: () => void;
}

const CLEAR = '\r\x1b[2K';

export function createProgress(o: ProgressOptions, initial: Omit<ProgressState, 'elapsedMs'>): Progress {
  let started = o.now();
  const throttle = o.throttleMs ?? 100;
  let state: Omit<ProgressState, 'elapsedMs'> = { ...initial };
  let shown = false;
  /** Length of the line on screen, to clear what a terminal that reflows on resize made of it. */
  let shownLength = 0;
  let lastDraw = -Infinity;
  let ended = false;

  const draw = (): void => {
    if (!o.draw || ended) return;
    const t = o.now();
    lastDraw = t;
    const line = composeProgress({ ...state, elapsedMs: t - started }, o.columns());
    o.write(CLEAR + line);
    shown = true;
    shownLength = line.length;
  };
  const clear = (): void => {
    if (shown) o.write(CLEAR);
    shown = false;
  };
  // A narrower window reflows the line on screen into several rows (tmux, VTE, kitty, iTerm do): clear them all
  // before drawing the line that fits.
  const resized = (): void => {
    if (!shown) return;
    const cols = Math.max(1, o.columns());
    const rows = Math.ceil(shownLength / cols);
    if (rows > 1) o.write(CLEAR + '\x1b[1A\x1b[2K'.repeat(rows - 1));
    draw();
  };
  const stopResize = o.draw && o.onResize ? o.onResize(resized) : () => {};

  return {
    get state() {
      return state;
    },
    update(patch, force = false) {
      state = { ...state, ...patch };
      if (force || o.now() - lastDraw >= throttle) draw();
    },
    restart(next) {
      state = { ...next };
      started = o.now();
      draw();
    },
    print(write, line) {
      const wasShown = shown;
      clear();
      write(line.endsWith('\n') ? line : line + '\n');
      if (wasShown) draw();
    },
    clear,
    end() {
      clear();
      ended = true;
      stopResize();
    },
  };
}

/** The progress display on this process's stderr. */
export function stderrProgress(draw: boolean, initial: Omit<ProgressState, 'elapsedMs'>): Progress {
  return createProgress(
    {
      write: (s) => void process.stderr.write(s),
      draw: draw && process.stderr.isTTY === true,
      columns: () => process.stderr.columns ?? 80,
      now: () => Date.now(),
      onResize: (redraw) => {
        process.stderr.on('resize', redraw);
        return () => void process.stderr.off('resize', redraw);
      },
    },
    initial,
  );
}
