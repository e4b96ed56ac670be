// The loop sleeps until its next cycle is due, something changed, or it is told to stop. A wake-up that
// arrives while the loop is busy is remembered, so the next wait returns at once.

export type WakeReason = 'timer' | 'change' | 'abort';

export class Wakeup {
  private pending = false;
  private resolve: ((r: WakeReason) => void) | undefined;

  wake(): void {
    if (this.resolve) {
      const r = this.resolve;
      this.resolve = undefined;
      r('change');
    } else this.pending = true;
  }

  /** Wait up to `ms`; `ignoreChanges` keeps sleeping through wake-ups (they stay pending). */
  wait(ms: number, signal: AbortSignal, ignoreChanges = false): Promise<WakeReason> {
    if (signal.aborted) return Promise.resolve('abort');
    if (this.pending && !ignoreChanges) {
      this.pending = false;
      return Promise.resolve('change');
    }
    return new Promise((resolve) => {
      const done = (r: WakeReason): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.resolve === finish) this.resolve = undefined;
        resolve(r);
      };
      const finish = (r: WakeReason): void => {
        if (ignoreChanges && r === 'change') {
          this.pending = true;
          this.resolve = finish;
          return;
        }
        done(r);
      };
      const onAbort = (): void => done('abort');
      // setTimeout holds at most ~24.8 days; a longer wait simply wakes early and the loop waits again.
      const timer = setTimeout(() => done('timer'), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
      signal.addEventListener('abort', onAbort, { once: true });
      this.resolve = finish;
    });
  }
}
