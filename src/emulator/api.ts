// The emulator's public contract: what tests, the demo, benchmarks and `gphotos emulator` rely on.
// The implementation lives beside this file (server.ts exports startEmulator()).
import type { Library } from './library-data.js';

export interface FaultKnobs {
  /** Added delay per request, in ms (API and byte host). */
  latencyMs: number;
  /** Fraction (0..1) of API and byte requests answered 429 with Retry-After. */
  rate429: number;
  /** Retry-After seconds sent with injected 429s (may be fractional; default 1). */
  retryAfterSec: number;
  /** Fraction of requests answered 500/503. */
  rate5xx: number;
  /** Fraction of byte downloads whose connection is reset mid-body. */
  rateReset: number;
  /** Fraction of byte downloads that send fewer bytes than Content-Length, then close. */
  rateTruncate: number;
}

export interface QuotaKnobs {
  /** Library API requests allowed per "day" (the emulator's day never ends unless reset). Default 10_000. */
  apiPerDay: number;
  /** Byte-host requests allowed per day. Default 75_000. */
  bytesPerDay: number;
}

export interface OAuthKnobs {
  /** The consent screen denies (redirects with error=access_denied). */
  deny: boolean;
  /** Refresh grants fail with invalid_grant (7-day Testing expiry, revocation). */
  invalidGrant: boolean;
  /** Lifetime of issued access tokens, in seconds. Default 3599. */
  accessTokenTtlSec: number;
  /**
   * Scopes the consent screen grants; default: whatever was asked. The sign-in scopes (openid, email, profile) are
   * granted whenever asked, as on Google, whose granular consent has no box for them.
   */
  grantScopes?: string[];
  /**
   * Which account (email or sub) the consent screen signs in as when the auth URL has no login_hint naming one
   * of `accounts`; default: the first. Tests change it between logins to play a second person.
   */
  signInAs?: string;
}

/** A Google account of the emulator: `sub` is its stable id (the id_token's subject), `email` its label. */
export interface EmulatorAccount {
  sub: string;
  email: string;
}

/** The Picker's "user" and session timing (picker-sessions.ts). Tests shorten the times. */
export interface PickerKnobs {
  /**
   * Library ids the user picks in every new session (they finish picking after `pollsBeforeDone` polls);
   * [] = they press Done with nothing picked; null (default) = they never finish.
   */
  autoPick: string[] | null;
  /** sessions.get calls that still see mediaItemsSet false before an autoPick completes. Default 1. */
  pollsBeforeDone: number;
  /** pollingConfig.pollInterval, seconds (may be fractional). Default 5. */
  pollIntervalSec: number;
  /** How long after creation the client should keep polling (pollingConfig.timeoutIn), seconds. Default 1800. */
  timeoutSec: number;
  /** Session lifetime (expireTime = creation + this), seconds. Default 3600. */
  sessionTtlSec: number;
  /** Open (not deleted, not expired) sessions per OAuth client before sessions.create answers 429. Default 10. */
  maxOpenSessions: number;
}

/** A picking session as the emulator holds it, for tests. */
export interface PickerSessionState {
  id: string;
  clientId: string;
  maxItemCount: number;
  /** Library ids picked so far (empty until the user finishes). */
  picked: string[];
  mediaItemsSet: boolean;
  deleted: boolean;
  expired: boolean;
  polls: number;
}

export interface EmulatorOptions {
  /** 0 picks a free port. Always binds 127.0.0.1. */
  port?: number;
  /** Number of generated library items. Default 300. */
  items?: number;
  /** Seed of the deterministic library. Default 1. */
  seed?: number;
  /** Lifetime of baseUrls in seconds. Default 3600. */
  baseUrlTtlSec?: number;
  /** The OAuth client id the library items belong to (items are app-created by it). Default 'gphotos-emulator-client'. */
  clientId?: string;
  clientSecret?: string;
  /**
   * The accounts one can sign in as. Default: alice@example.com and bob@example.com. They all see the same
   * library (the emulator has one); what differs is who the id_token says signed in.
   */
  accounts?: EmulatorAccount[];
  faults?: Partial<FaultKnobs>;
  quota?: Partial<QuotaKnobs>;
  oauth?: Partial<OAuthKnobs>;
  picker?: Partial<PickerKnobs>;
}

export interface EmulatorUrls {
  /** Root of the Library API (GPHOTOS_LIBRARY_URL), e.g. http://127.0.0.1:PORT/library — paths below are /v1/... */
  library: string;
  /** Root of the Picker API (GPHOTOS_PICKER_URL). */
  picker: string;
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** Prefix of baseUrls (the stand-in for lh3.googleusercontent.com). */
  bytes: string;
}

/** One item as the emulator holds it, for tests that check bytes and placement. */
export interface EmulatorItem {
  id: string;
  filename: string;
  mimeType: string;
  kind: 'photo' | 'video';
  creationTime: string;
  width: number;
  height: number;
  videoStatus?: 'READY' | 'PROCESSING' | 'FAILED';
  /** Wall-clock capture time written in the photo's EXIF, 'YYYY:MM:DD HH:MM:SS', and its offset '+09:00'. */
  exifDateTimeOriginal?: string;
  exifOffset?: string;
}

export interface EmulatorStats {
  /** Requests per route name, e.g. 'mediaItems.list', 'mediaItems.search', 'bytes', 'token'. */
  requests: Record<string, number>;
  apiRequestsToday: number;
  byteRequestsToday: number;
}

export interface Emulator {
  readonly port: number;
  readonly urls: EmulatorUrls;
  /** Environment lines that point gphotos at this emulator (GPHOTOS_*). */
  readonly env: Record<string, string>;
  /** The accounts one can sign in as (oauth.signInAs or a login_hint picks one). */
  readonly accounts: readonly EmulatorAccount[];
  /** The client_secret.json content ({"installed": {...}}) of the emulator's OAuth client. */
  readonly clientSecretJson: object;
  readonly items: readonly EmulatorItem[];
  /** The whole library behind `items` (albums, GPS, captions…), read by the Takeout writer (takeout-export.ts). */
  readonly library: Library;
  /** The exact bytes `=d` (photos) or `=dv` (videos) serves for an item. */
  downloadBytes(id: string): Buffer;
  /** Live knobs: tests change them between steps. */
  readonly faults: FaultKnobs;
  readonly quota: QuotaKnobs;
  readonly oauth: OAuthKnobs;
  readonly picker: PickerKnobs;
  /** Play the user: finish picking `libraryIds` in a session now (mediaItemsSet becomes true). */
  pickItems(sessionId: string, libraryIds: readonly string[]): void;
  /** Every session ever created, deleted ones included. */
  pickerSessions(): PickerSessionState[];
  /** The Picker's id for a library item (a different id space, derived deterministically). */
  pickerIdOf(libraryId: string): string;
  /** Add an item (as if the app had just uploaded it); returns it. */
  addItem(partial?: Partial<Omit<EmulatorItem, 'id'>>): EmulatorItem;
  /** Remove an item from the library. */
  removeItem(id: string): void;
  /** Mark a PROCESSING video READY. */
  setVideoStatus(id: string, status: 'READY' | 'PROCESSING' | 'FAILED'): void;
  /** Make every baseUrl issued so far expire now. */
  expireBaseUrls(): void;
  /** Start a new quota day (counters back to 0). */
  resetQuotaDay(): void;
  stats(): EmulatorStats;
  /**
   * Test helper: mint a valid access token without the browser flow. Default: the emulator's client and
   * the Library read scope; pass another clientId to act as a different app (it sees none of the items).
   */
  issueAccessToken(scopes?: string[], clientId?: string): string;
  /** Revoke every grant issued so far, as the user removing the app at myaccount.google.com/permissions does. */
  revokeAllGrants(): void;
  stop(): Promise<void>;
}
