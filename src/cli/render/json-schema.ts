// The schema of every --json line, as data: one JSON Schema (2020-12) definition per event of each stream.
// docs/json-schema.json is this value written out (a test keeps the two equal); docs/json.md explains each event
// and field (a test checks it names every one). Objects are closed (additionalProperties: false), so a field the
// code adds without adding it here fails test/cli/json-schema-e2e.test.ts.
import { JSON_VERSION } from './json.js';

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const count: Schema = { type: 'integer', minimum: 0 };
const ms: Schema = { type: 'number', minimum: 0 };
const bool: Schema = { type: 'boolean' };
const strings: Schema = { type: 'array', items: str };
const oneOf = (...values: string[]): Schema => ({ enum: values });
const list = (items: Schema): Schema => ({ type: 'array', items });

function obj(required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema {
  return { type: 'object', properties: { ...required, ...optional }, required: Object.keys(required), additionalProperties: false };
}

const DATE_SOURCE = oneOf('api', 'sidecar', 'exif', 'video', 'filename', 'none');
const ERROR_KIND = oneOf('usage', 'auth', 'quota', 'remote', 'local', 'locked', 'interrupted', 'internal');
const ACCOUNT = obj({ sub: str }, { email: str });
/** What `auth login` and `auth status` share: where the login lives and what Google granted. */
const LOGIN_FILES = { configDir: str, tokensPath: str, clientSecretPath: str, grantedScopes: strings, missingScopes: strings };
const LOGIN_OPT = { account: ACCOUNT, accessTokenExpiry: str };

const planCounts = obj(Object.fromEntries(
  ['remote', 'present', 'download', 'upgrade', 'annotate', 'originalMissing', 'restamp', 'link', 'pending', 'gone', 'changed', 'ambiguous'].map((k) => [k, count]),
));
const plannedAction = { action: str, reason: str };
const plannedActionOpt = { path: str, filename: str, detail: str };

const syncSummary = obj(
  {
    dryRun: bool, listed: count, downloaded: count, bytes: count, alreadyPresent: count, restamped: count, linked: count, upgraded: count,
    downgraded: count, sameBytes: count, annotated: count, pendingVideos: count, failed: count, remaining: count,
    drift: obj({ remoteGone: count, changedOnDisk: count, ambiguous: count, failedVideos: count, originalMissing: count }),
    apiCalls: count, byteCalls: count, retries: count, elapsedMs: ms,
    failures: list(obj({ path: str, filename: str, error: str })),
  },
  { stoppedBy: oneOf('quota', 'interrupt'), suspectListing: obj({ listed: count, remembered: count }) },
);

const importSummary = obj(
  {
    dryRun: bool, inputs: count, media: count, imported: count, bytes: count, duplicates: count, upgraded: count, annotated: count,
    unknownDate: count, trashed: count, skipped: count, ambiguous: count, badSidecars: count, archiveProblems: count, albumLinks: count,
    failed: count, elapsedMs: ms, failures: list(obj({ entry: str, error: str })),
  },
  { stoppedBy: oneOf('interrupt') },
);

/** Per-item events that sync, pick and watch share. */
const itemEvents: Record<string, [Record<string, Schema>, Record<string, Schema>?]> = {
  downloaded: [{ path: str, bytes: count, filename: str, timeSource: oneOf('exif', 'api'), dateSource: DATE_SOURCE }],
  failed: [{ path: str, filename: str, error: str }, { ref: str }],
  retry: [{ what: str, attempt: count, delayMs: ms }, { status: count }],
  drift: [{ reason: str }, { path: str, filename: str, detail: str }],
  warning: [{ message: str }],
};

/** The stream of each group of commands: its events by name, as [required fields, optional fields]. */
const STREAMS: Record<string, { commands: string[]; events: Record<string, [Record<string, Schema>, Record<string, Schema>?]> }> = {
  sync: {
    commands: ['sync', 'pick'],
    events: {
      ...itemEvents,
      listing: [{ items: count, pages: count }],
      plan: [{ source: oneOf('library', 'picker', 'takeout'), counts: planCounts, totalBytesKnown: { const: false } }],
      'planned-action': [plannedAction, plannedActionOpt],
      upgraded: [{ path: str, bytes: count, filename: str }],
      downgraded: [{ path: str, filename: str, quality: oneOf('api-copy', 'original') }],
      'same-bytes': [{ path: str, filename: str, ref: str }],
      annotated: [{ path: str, fields: strings }],
      restamped: [{ path: str }],
      linked: [{ path: str, ref: str }],
      adopted: [{ adopted: count, alreadyArchived: count, ambiguous: count, unmatched: count, failed: count }],
      'picker-session': [{ sessionId: str, pickerUri: str }],
      picker: [{ message: str }],
      summary: [{ summary: syncSummary }],
    },
  },
  import: {
    commands: ['import'],
    events: {
      indexed: [{ inputs: count, media: count, sidecars: count, albums: count, toImport: count }],
      plan: [{ counts: planCounts }],
      'planned-action': [plannedAction, plannedActionOpt],
      imported: [{ path: str, entry: str, bytes: count, dateSource: DATE_SOURCE }],
      upgraded: [{ path: str, entry: str, bytes: count }],
      duplicate: [{ entry: str, path: str }],
      annotated: [{ path: str, fields: strings }],
      skipped: [{ entry: str, reason: oneOf('trashed', 'ambiguous-sidecar', 'same-path', 'unsafe-path', 'bomb', 'corrupt', 'unreadable', 'unsupported', 'ambiguous-identity') }, { detail: str }],
      problem: [{ input: str, reason: str, detail: str }, { entry: str }],
      failed: [{ entry: str, error: str }],
      warning: [{ message: str }],
      summary: [{ summary: importSummary }],
    },
  },
  watch: {
    commands: ['watch'],
    events: Object.fromEntries(Object.entries({
      ...itemEvents,
      'watch-started': [{ archive: str, intervalMs: ms, budget: obj({ api: count, bytes: count }), localWatch: bool }, { takeoutInbox: str }],
      'cycle-started': [{ cycle: count, reason: oneOf('start', 'interval', 'change', 'quota-reset') }],
      'cycle-finished': [
        {
          cycle: count, listed: count, downloaded: count, bytes: count, failed: count, remaining: count,
          drift: obj({ remoteGone: count, changedOnDisk: count, ambiguous: count }), apiCalls: count, byteCalls: count, elapsedMs: ms,
        },
        { stoppedBy: oneOf('quota', 'interrupt', 'budget') },
      ],
      'cycle-skipped': [{ cycle: count, reason: oneOf('locked', 'remote-error'), message: str }],
      'local-change': [{ change: oneOf('missing', 'damaged', 'untracked', 'unrestorable'), path: str }, { detail: str }],
      'moved-aside': [{ path: str, to: str }],
      'quota-wait': [{ until: str, why: oneOf('budget', 'quota'), apiCalls: count, byteCalls: count, budget: obj({ api: count, bytes: count }) }],
      'takeout-waiting': [{ set: str, why: str }],
      'takeout-imported': [{ files: strings, imported: count, duplicates: count, upgraded: count, failed: count, problems: count }, { stoppedBy: oneOf('interrupt') }],
      'takeout-skipped': [{ files: strings, reason: str }],
      'watch-stopped': [{ cycles: count, reason: oneOf('signal', 'max-cycles') }],
    } satisfies Record<string, [Record<string, Schema>, Record<string, Schema>?]>).map(([k, [req, opt]]) => [k, [{ ...req, at: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$' } }, opt ?? {}]])),
  },
  result: {
    commands: ['status', 'verify', 'xmp', 'config', 'adopt', 'rebuild', 'auth login', 'auth status', 'auth logout', 'doctor'],
    events: {
      status: [{
        findings: list(obj({ kind: oneOf('remote-new', 'remote-gone', 'missing', 'changed', 'untracked', 'moved', 'pending') }, { path: str, key: str, filename: str, detail: str })),
        counts: obj({
          items: count, present: count, 'remote-new': count, 'remote-gone': count, missing: count, changed: count, untracked: count, moved: count,
          pending: count, 'api-copy': count, original: count, remoteChecked: bool,
        }),
      }],
      verify: [
        { complete: bool, items: count, deep: bool, hashed: count, bytesHashed: count, damaged: list(DAMAGE()) },
        {
          mbPerSec: { type: 'number', minimum: 0 },
          fix: obj({ movedAside: strings, downloaded: count, downgraded: strings, cannot: list(obj({ path: str, kind: str, why: str })) }),
          remaining: list(DAMAGE()),
          sidecars: obj({ checked: count, missing: strings, stale: strings }, { rewritten: count }),
        },
      ],
      xmp: [{ items: count, written: count, unchanged: count, foreign: strings, failed: list(obj({ path: str, why: str })) }],
      config: [{}, { layout: str, tz: str, xmp: oneOf('on', 'off'), account: ACCOUNT }],
      adopt: [{
        adopted: list(obj({ from: str, path: str, key: str })), alreadyArchived: strings, ambiguous: list(obj({ from: str, detail: str })),
        unmatched: strings, failed: list(obj({ from: str, error: str })),
      }],
      rebuild: [{ items: count, kept: strings, skipped: list(obj({ path: str, why: str })), fromSidecars: count, sidecarsIgnored: list(obj({ path: str, why: str })) }],
      'auth-login': [{ loggedIn: { const: true }, ...LOGIN_FILES }, LOGIN_OPT],
      'auth-status': [
        { loggedIn: bool, profile: str, ...LOGIN_FILES, endpoints: obj({ library: str, picker: str, authUrl: str, tokenUrl: str, revokeUrl: str }), problems: strings },
        { ...LOGIN_OPT, clientId: str, check: obj({ ok: bool }, { message: str, hint: str, reason: str }) },
      ],
      'auth-logout': [{ tokensPath: str, revoked: bool, deleted: bool }],
      doctor: [{
        ok: bool, profile: str, archive: { anyOf: [str, { type: 'null' }] },
        checks: list(obj(
          { check: oneOf('login', 'archive', 'settings', 'account', 'manifest', 'lock'), status: oneOf('ok', 'warn', 'fail', 'skip'), message: str },
          { hint: str, kind: ERROR_KIND },
        )),
      }],
    },
  },
};

function DAMAGE(): Schema {
  return obj({ kind: oneOf('missing', 'size-differs', 'hash-differs', 'unreadable'), path: str, key: str, filename: str }, { detail: str });
}

/** Any command's last line when it ends with an error under --json (watch adds `at` to its lines). */
const ERROR: [Record<string, Schema>, Record<string, Schema>] = [{ kind: ERROR_KIND, message: str }, { hint: str, exitCode: count, at: str }];

export const STREAM_OF_COMMAND: Record<string, string> = Object.fromEntries(
  Object.entries(STREAMS).flatMap(([stream, s]) => s.commands.map((c) => [c, stream])),
);

/** Event names of each stream (without `error`, which every stream has). */
export const STREAM_EVENTS: Record<string, string[]> = Object.fromEntries(Object.entries(STREAMS).map(([k, s]) => [k, Object.keys(s.events)]));

function buildSchema(): Schema {
  const defs: Record<string, Schema> = {};
  for (const [stream, s] of Object.entries(STREAMS)) {
    const names = [...Object.keys(s.events), 'error'];
    for (const name of names) {
      const [req, opt] = name === 'error' ? ERROR : s.events[name]!;
      defs[`${stream}.${name}`] = obj({ v: { const: JSON_VERSION }, event: { const: name }, ...req }, opt ?? {});
    }
    defs[stream] = { description: `A line of: gphotos ${s.commands.join(', ')}`, oneOf: names.map((n) => ({ $ref: `#/$defs/${stream}.${n}` })) };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `gphotos --json lines, version ${JSON_VERSION} (see docs/json.md)`,
    description: 'Each line of a command\'s --json output is one of $defs[STREAM], the stream of that command: ' +
      Object.entries(STREAMS).map(([k, s]) => `${k} (${s.commands.join(', ')})`).join('; '),
    anyOf: Object.keys(STREAMS).map((k) => ({ $ref: `#/$defs/${k}` })),
    $defs: defs,
  };
}

export const JSON_SCHEMA: Schema = buildSchema();
