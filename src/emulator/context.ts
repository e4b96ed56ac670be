// The emulator's shared state, handed to every route module (OAuth, Library, byte host, and later Picker).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorAccount, EmulatorUrls, FaultKnobs, OAuthKnobs, QuotaKnobs } from './api.js';
import type { Library, LibraryItem } from './library-data.js';
import type { MediaStore } from './media-store.js';
import type { BaseUrlSigner } from './base-urls.js';
import type { PageTokens } from './page-tokens.js';
import type { TokenRegistry } from './tokens.js';

export interface Client {
  clientId: string;
  clientSecret: string;
}

export interface EmulatorContext {
  readonly urls: EmulatorUrls;
  readonly client: Client;
  readonly accounts: readonly EmulatorAccount[];
  readonly library: Library;
  readonly media: MediaStore;
  readonly tokens: TokenRegistry;
  readonly pageTokens: PageTokens;
  readonly baseUrls: BaseUrlSigner;
  readonly faults: FaultKnobs;
  readonly quota: QuotaKnobs;
  readonly oauth: OAuthKnobs;
  readonly baseUrlTtlSec: number;
  /** Seeded randomness for injected faults (reproducible per seed and request order). */
  readonly random: () => number;
  readonly counters: { requests: Record<string, number>; apiToday: number; bytesToday: number };
  itemById(id: string): LibraryItem | undefined;
}

/** Counts a request under its route name for stats(). */
export function countRoute(ctx: EmulatorContext, route: string): void {
  ctx.counters.requests[route] = (ctx.counters.requests[route] ?? 0) + 1;
}

/** One mounted API: gets requests whose path starts with `prefix` (the prefix is stripped). */
export interface Mount {
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void>;
}

/** true with probability p, drawing from the seeded PRNG only when a fault is armed. */
export function chance(ctx: EmulatorContext, p: number): boolean {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return ctx.random() < p;
}
