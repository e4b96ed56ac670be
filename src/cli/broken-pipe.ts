// A reader that goes away (`gphotos sync | head -1`) closes our stdout. Like git, gphotos then stops quietly: the
// run in flight is aborted through the same signal as Ctrl-C (partial files removed, manifest saved, lock released),
// nothing more is printed, and the exit code is 141 (128 + SIGPIPE, what a shell reports for `yes | head -1`), so a
// script with `set -o pipefail` can tell that the run was cut short.

let closed: NodeJS.ErrnoException | undefined;
const listeners = new Set<() => void>();

/** Called once by main.ts: turn stdout/stderr write errors from crashes into a clean stop. */
export function watchStdio(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (closed !== undefined) return;
    closed = e;
    for (const l of [...listeners]) l();
  });
  // Nothing is left to tell on a broken stderr; stdout decides whether the run goes on.
  process.stderr.on('error', () => undefined);
}

/** The error that closed stdout, once it has (EPIPE for a reader that left). */
export function stdoutError(): NodeJS.ErrnoException | undefined {
  return closed;
}

/** Call `fn` when stdout closes (at once when it already has); returns the unsubscribe. */
export function onStdoutClosed(fn: () => void): () => void {
  if (closed !== undefined) {
    fn();
    return () => undefined;
  }
  listeners.add(fn);
  return () => void listeners.delete(fn);
}
