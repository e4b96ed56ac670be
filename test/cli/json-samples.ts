// One typed sample of every event each --json stream can print, optional fields filled in. The mapped types make the
// compiler demand a sample for each kind of the TS unions (and refuse unknown kinds), so json-schema.test.ts can check
// that the schema has exactly the kinds the code has and accepts what the types allow.
import type { DriftCounts, Finding } from '../../src/core/drift.js';
import type { AdoptResult } from '../../src/engine/adopt.js';
import type { SyncSummary } from '../../src/engine/events.js';
import type { ImportEvent, ImportSummary } from '../../src/engine/import-events.js';
import type { RebuildResult } from '../../src/engine/rebuild.js';
import type { Damage } from '../../src/engine/verify.js';
import type { SidecarReport } from '../../src/engine/verify-sidecars.js';
import type { XmpRunResult } from '../../src/engine/xmp-run.js';
import type { ArchiveSettings } from '../../src/cli/archive-settings.js';
import type { VerifyJson } from '../../src/cli/render/verify-text.js';
import type { ErrorEvent, NotInJson } from '../../src/cli/render/json.js';
import type { PickEvent } from '../../src/engine/pick-events.js';
import { loginEvent, statusEvent } from '../../src/cli/commands/auth.js';
import type { DoctorEvent } from '../../src/cli/commands/doctor.js';
import type { AuthStatus, LogoutResult } from '../../src/auth/index.js';
import { AuthError } from '../../src/errors.js';
import type { WatchEvent } from '../../src/watch/events.js';

type Samples<U extends { event: string }> = { [K in U['event']]: Extract<U, { event: K }> };

const counts = { remote: 3, present: 1, download: 1, upgrade: 0, annotate: 0, originalMissing: 0, restamp: 1, link: 0, pending: 0, gone: 0, changed: 0, ambiguous: 0 };
const syncSummary: SyncSummary = {
  dryRun: false, listed: 3, downloaded: 1, bytes: 10, alreadyPresent: 1, restamped: 1, linked: 0, upgraded: 0, downgraded: 0, sameBytes: 0,
  annotated: 0, pendingVideos: 0, failed: 1, remaining: 0,
  drift: { remoteGone: 0, changedOnDisk: 0, ambiguous: 0, failedVideos: 0, originalMissing: 0 },
  stoppedBy: 'quota', suspectListing: { listed: 1, remembered: 100 },
  apiCalls: 2, byteCalls: 1, retries: 0, elapsedMs: 12.5, failures: [{ path: '2019/03/a.jpg', filename: 'a.jpg', error: 'reset' }],
};
const importSummary: ImportSummary = {
  dryRun: false, inputs: 1, media: 2, imported: 1, bytes: 10, duplicates: 1, upgraded: 0, annotated: 0, unknownDate: 0, trashed: 0,
  skipped: 0, ambiguous: 0, badSidecars: 0, archiveProblems: 0, albumLinks: 0, failed: 0, stoppedBy: 'interrupt', elapsedMs: 3,
  failures: [{ entry: 'Takeout/a.jpg', error: 'corrupt' }],
};
const error: ErrorEvent = { event: 'error', kind: 'auth', message: 'Your login expired.', hint: 'Run `gphotos auth login`.', exitCode: 3 };

export const SYNC_SAMPLES: Samples<Exclude<PickEvent, { event: NotInJson }> | ErrorEvent> = {
  listing: { event: 'listing', items: 3, pages: 1 },
  plan: { event: 'plan', source: 'library', counts, totalBytesKnown: false },
  'planned-action': { event: 'planned-action', action: 'download', reason: 'missing', path: '2019/03/a.jpg', filename: 'a.jpg', detail: 'x' },
  downloaded: { event: 'downloaded', path: '2019/03/a.jpg', bytes: 10, filename: 'a.jpg', timeSource: 'exif', dateSource: 'exif' },
  upgraded: { event: 'upgraded', path: '2019/03/a.jpg', bytes: 10, filename: 'a.jpg' },
  downgraded: { event: 'downgraded', path: '2019/03/a.jpg', filename: 'a.jpg', quality: 'api-copy' },
  'same-bytes': { event: 'same-bytes', path: '2019/03/a.jpg', filename: 'a.jpg', ref: 'takeout:x' },
  annotated: { event: 'annotated', path: '2019/03/a.jpg', fields: ['caption'] },
  failed: { event: 'failed', path: '2019/03/a.jpg', filename: 'a.jpg', error: 'reset', ref: 'library:1' },
  retry: { event: 'retry', what: 'list page', attempt: 1, delayMs: 500, status: 429 },
  restamped: { event: 'restamped', path: '2019/03/a.jpg' },
  linked: { event: 'linked', path: 'albums/Trip/a.jpg', ref: 'library:1' },
  drift: { event: 'drift', reason: 'remote-gone', path: '2019/03/a.jpg', filename: 'a.jpg', detail: 'x' },
  warning: { event: 'warning', message: 'careful' },
  adopted: { event: 'adopted', adopted: 1, alreadyArchived: 0, ambiguous: 0, unmatched: 0, failed: 0 },
  summary: { event: 'summary', summary: syncSummary },
  picker: { event: 'picker', message: 'You picked nothing; nothing changed.' },
  'picker-session': { event: 'picker-session', sessionId: 's1', pickerUri: 'https://photos.google.com/picker/s1' },
  error,
};

export const IMPORT_SAMPLES: Samples<Exclude<ImportEvent, { event: 'progress' }> | ErrorEvent> = {
  indexed: { event: 'indexed', inputs: 1, media: 2, sidecars: 2, albums: 0, toImport: 2 },
  plan: { event: 'plan', counts },
  'planned-action': { event: 'planned-action', action: 'download', reason: 'missing', path: '2019/03/a.jpg', filename: 'a.jpg', detail: 'x' },
  imported: { event: 'imported', path: '2019/03/a.jpg', entry: 'Takeout/a.jpg', bytes: 10, dateSource: 'sidecar' },
  upgraded: { event: 'upgraded', path: '2019/03/a.jpg', entry: 'Takeout/a.jpg', bytes: 10 },
  duplicate: { event: 'duplicate', entry: 'Takeout/Album/a.jpg', path: '2019/03/a.jpg' },
  annotated: { event: 'annotated', path: '2019/03/a.jpg', fields: ['favorite'] },
  skipped: { event: 'skipped', entry: 'Takeout/Trash/b.jpg', reason: 'trashed', detail: 'x' },
  problem: { event: 'problem', input: 'takeout-1.zip', entry: '../x.jpg', reason: 'unsafe-path', detail: 'outside the export' },
  failed: { event: 'failed', entry: 'Takeout/a.jpg', error: 'corrupt' },
  warning: { event: 'warning', message: 'careful' },
  summary: { event: 'summary', summary: importSummary },
  error,
};

const at = '2026-01-01T00:00:00.000Z';
type Watched = { [K in WatchEvent['event'] | 'error']: (Extract<WatchEvent, { event: K }> | (K extends 'error' ? ErrorEvent : never)) & { at?: string } };
/** Watch's lines as the renderer prints them (it adds `at`); the samples leave it to the renderer. */
export const WATCH_SAMPLES: Watched = {
  'watch-started': { event: 'watch-started', archive: '/p', intervalMs: 3_600_000, budget: { api: 9000, bytes: 70000 }, takeoutInbox: '/in', localWatch: true },
  'cycle-started': { event: 'cycle-started', cycle: 1, reason: 'start' },
  'cycle-finished': {
    event: 'cycle-finished', cycle: 1, listed: 3, downloaded: 1, bytes: 10, failed: 0, remaining: 0, drift: { remoteGone: 0, changedOnDisk: 0, ambiguous: 0 },
    apiCalls: 1, byteCalls: 1, elapsedMs: 5, stoppedBy: 'budget',
  },
  'cycle-skipped': { event: 'cycle-skipped', cycle: 2, reason: 'locked', message: 'another gphotos is running' },
  'local-change': { event: 'local-change', change: 'damaged', path: '2019/03/a.jpg', detail: 'size differs' },
  'moved-aside': { event: 'moved-aside', path: '2019/03/a.jpg', to: '.gphotos/damaged/a.jpg' },
  'quota-wait': { event: 'quota-wait', until: at, why: 'budget', apiCalls: 9000, byteCalls: 1, budget: { api: 9000, bytes: 70000 } },
  'takeout-waiting': { event: 'takeout-waiting', set: 'takeout-1', why: 'part 2 of 3 missing' },
  'takeout-imported': { event: 'takeout-imported', files: ['takeout-1.zip'], imported: 1, duplicates: 0, upgraded: 0, failed: 0, problems: 0, stoppedBy: 'interrupt' },
  'takeout-skipped': { event: 'takeout-skipped', files: ['takeout-1.zip'], reason: 'not a Takeout' },
  error,
  'watch-stopped': { event: 'watch-stopped', cycles: 1, reason: 'signal' },
  downloaded: SYNC_SAMPLES.downloaded,
  failed: SYNC_SAMPLES.failed,
  drift: SYNC_SAMPLES.drift,
  warning: SYNC_SAMPLES.warning,
  retry: SYNC_SAMPLES.retry,
};

const damage: Damage = { kind: 'size-differs', path: '2019/03/a.jpg', key: 'library:1', filename: 'a.jpg', detail: '3 bytes, 10 expected' };
const finding: Finding = { kind: 'moved', path: 'sorted/a.jpg', key: 'library:1', filename: 'a.jpg', detail: 'archived at 2019/03/a.jpg' };
const driftCounts: DriftCounts = {
  items: 1, present: 1, 'remote-new': 0, 'remote-gone': 0, missing: 0, changed: 0, untracked: 0, moved: 1, pending: 0, 'api-copy': 1, original: 0, remoteChecked: false,
};
const sidecars: SidecarReport = { checked: 1, missing: [], stale: [], rewritten: 1 };
const verify: VerifyJson = {
  complete: false, items: 1, deep: true, hashed: 1, bytesHashed: 10, mbPerSec: 100.5, damaged: [damage],
  fix: { movedAside: ['2019/03/a.jpg'], downloaded: 1, downgraded: [], cannot: [{ path: 'b.jpg', kind: 'missing', why: 'no login' }] }, remaining: [damage], sidecars,
};
const xmp: XmpRunResult = { items: 1, written: 1, unchanged: 0, foreign: [], failed: [{ path: 'a.jpg.xmp', why: 'EACCES' }] };
const settings: ArchiveSettings = { layout: '{yyyy}/{mm}', tz: 'UTC', xmp: 'on' };
const adopt: AdoptResult = { adopted: [{ from: '/o/a.jpg', path: '2019/03/a.jpg', key: 'library:1' }], alreadyArchived: [], ambiguous: [{ from: '/o/b.jpg', detail: 'two items' }], unmatched: ['/o/c.jpg'], failed: [{ from: '/o/d.jpg', error: 'EACCES' }] };
const rebuild: RebuildResult = { items: 1, kept: ['.gphotos/manifest.json.damaged-1'], skipped: [{ path: 'x.jpg', why: 'unreadable' }], fromSidecars: 1, sidecarsIgnored: [{ path: 'y.jpg.xmp', why: 'other bytes' }] };

const account = { sub: '110000000000000000002', email: 'bob@example.com' };
const files = { configDir: '/c', tokensPath: '/c/tokens-0123456789abcdef.json', clientSecretPath: '/c/client_secret.json', grantedScopes: ['openid'], missingScopes: [] };
const authStatus: AuthStatus = {
  loggedIn: false, profile: 'default', account, ...files, clientId: 'id.apps.googleusercontent.com', accessTokenExpiry: new Date(0),
  endpoints: { library: 'http://l', picker: 'http://p', authUrl: 'http://a', tokenUrl: 'http://t', revokeUrl: 'http://r' }, problems: ['x'],
};
const refused = new AuthError('Google refused the saved refresh token.', { hint: 'Run `gphotos auth login`.' });
const logout: LogoutResult = { tokensPath: files.tokensPath, revoked: true, deleted: true };
const doctor: DoctorEvent = {
  event: 'doctor', ok: false, profile: 'default', archive: null,
  checks: [{ check: 'login', status: 'fail', message: 'Google refused the saved refresh token.', hint: 'Run `gphotos auth login`.', kind: 'auth' }],
};

/** The one line of each result command (the commands build them from these types and builders). */
export const RESULT_SAMPLES = {
  status: { event: 'status', findings: [finding], counts: driftCounts },
  verify: { event: 'verify', ...verify },
  xmp: { event: 'xmp', ...xmp },
  config: { event: 'config', ...settings },
  adopt: { event: 'adopt', ...adopt },
  rebuild: { event: 'rebuild', ...rebuild },
  'auth-login': loginEvent({ ...files, accessTokenExpiry: new Date(0), account }),
  'auth-status': statusEvent(authStatus, { ok: false, error: refused }),
  'auth-logout': { event: 'auth-logout', ...logout },
  doctor,
  error,
} as const;

/**
 * Events the e2e runs (json-schema-e2e.test.ts) do not reach, with why; json-schema.test.ts renders each one's
 * sample above through the real writer and validates it.
 */
export const RARE_EVENTS: Record<string, string> = {
  'sync.upgraded': 'an original replacing an API copy: needs a Takeout of the same item as the Library has (test/e2e/quality.test.ts)',
  'sync.downgraded': 'only with --allow-downgrade and a missing original (test/e2e/quality.test.ts)',
  'sync.same-bytes': 'two refs with identical bytes in one run',
  'sync.annotated': 'a later Takeout changing a caption or album of an archived item',
  'sync.linked': 'album links of a Takeout folder inside sync',
  'sync.retry': 'a request retried after a 429 or 5xx (test/google/backoff.test.ts, test/engine/faults.test.ts)',
  'sync.warning': 'a browser that would not open, a session that could not be deleted, a lock taken over',
  'watch.takeout-imported': 'an inbox Takeout unchanged for --takeout-stable across cycles (test/e2e/watch.test.ts)',
  'sync.failed': 'a transfer that fails after its retries (test/engine/faults.test.ts)',
  'import.upgraded': 'an original replacing an API copy (test/e2e/quality.test.ts)',
  'import.annotated': 'a later export changing metadata',
  'import.failed': 'an entry that cannot be written',
  'import.warning': 'a lock warning or an unreadable album',
  'watch.cycle-skipped': 'another gphotos holding the lock during a cycle (test/e2e/watch.test.ts)',
  'watch.local-change': 'a file deleted while watch runs (test/e2e/watch.test.ts)',
  'watch.moved-aside': 'a damaged file found by the local watch (test/e2e/watch.test.ts)',
  'watch.quota-wait': 'the daily budget spent (test/e2e/watch.test.ts)',
  'watch.takeout-waiting': 'an inbox Takeout still being written, seen by the inbox poll (its timing is not a test\'s to rely on)',
  'watch.takeout-skipped': 'a file in the inbox that is not a Takeout',
  'watch.failed': 'a transfer failing inside a cycle',
  'watch.warning': 'a warning inside a cycle',
  'watch.retry': 'a retried request inside a cycle',
  'watch.downloaded': 'a cycle with something new (the e2e cycle finds the archive complete)',
};
