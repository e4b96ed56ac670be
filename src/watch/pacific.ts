// Google's daily quotas reset at midnight Pacific time (America/Los_Angeles, with its daylight saving).
const ZONE = 'America/Los_Angeles';
const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function parts(at: Date): { y: number; m: number; d: number; hh: number; mm: number } {
  const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), hh: Number(p.hour), mm: Number(p.minute) };
}

/** The Pacific calendar day of an instant, `YYYY-MM-DD`: the key of a quota day. */
export function pacificDay(at: Date): string {
  const { y, m, d } = parts(at);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The next midnight in Pacific time after `at` (when the quota resets). */
export function nextPacificMidnight(at: Date): Date {
  const { y, m, d } = parts(at);
  // Midnight Pacific is 07:00 or 08:00 UTC (PDT or PST); take the candidate that really is 00:00 there.
  for (const offsetH of [7, 8]) {
    const t = new Date(Date.UTC(y, m - 1, d + 1, offsetH));
    const q = parts(t);
    if (q.hh === 0 && q.mm === 0) return t;
  }
  return new Date(Date.UTC(y, m - 1, d + 1, 8)); // not reached: every day has a midnight
}
