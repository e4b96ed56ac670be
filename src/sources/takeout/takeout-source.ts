// Google Takeout exports as a Source. Its listing is the catalog of every given input at once (.zip, .tgz, folders:
// a photo's sidecar may sit in another part), one RemoteItem per media item, with the sidecar's time, caption, GPS,
// favorite and people and its album folders; its bytes are the originals. It streams: a tar can only be read front
// to back, and a zip is read fastest entry by entry in parallel, so the engine hands it the wanted items and it
// calls back with each one's bytes.
import { utcMsFromLocal } from '../../core/local-time.js';
import type { ItemMeta, RemoteItem } from '../../core/types.js';
import type { ItemBytes, ListOptions, OnItemError, SourceFeatures, StreamingSource, StreamOptions } from '../source.js';
import { buildCatalog, type Catalog, type CatalogItem, type SkipReason } from './catalog.js';
import { EntryReadError } from './crc-check.js';
import type { InputProblem, Limits, TakeoutInput } from './input.js';
import { extOf, localTimeFromName, mimeOf } from './names.js';
import { openInput } from './open-input.js';

export interface TakeoutSourceOptions {
  inputs: readonly string[];
  limits: Limits;
  /** For times from file names, which carry no zone. */
  tz: string;
  includeTrashed: boolean;
  /** Damaged or hostile content of an input (zip slip, bombs, corrupt entries), a sidecar that is not one. */
  onProblem: (p: InputProblem) => void;
  /** A media file that is not listed, and why. */
  onSkip: (s: TakeoutSkip) => void;
}

export interface TakeoutSkip {
  input: string;
  entry: string;
  /**
   * Not listed: 'trashed' (unless includeTrashed), 'album-copy' (the same photo as another entry), or why the catalog
   * could not take it ('same-path', 'unsafe-path', 'bomb'…). 'ambiguous-sidecar' is listed, without a sidecar.
   */
  reason: 'album-copy' | 'ambiguous-sidecar' | SkipReason;
  detail?: string;
}

/** What the listing found, for the summary: every media file is listed, skipped, or an album copy. */
export interface TakeoutCensus {
  inputs: number;
  media: number;
  sidecars: number;
  albums: number;
  trashed: number;
  albumCopies: number;
  /** Media files the catalog could not take (same path twice, refused entries), each reported. */
  skipped: number;
  badSidecars: number;
}

interface Located {
  input: number;
  path: string;
  size: number;
}

export class TakeoutSource implements StreamingSource {
  readonly name = 'takeout' as const;
  readonly access = 'stream' as const;
  readonly features: SourceFeatures = { quality: 'original', selection: true, sameBytesSameItem: true };
  readonly #opts: TakeoutSourceOptions;
  #inputs: TakeoutInput[] = [];
  /** Where each listed item's bytes are, by ref id. */
  readonly #where = new Map<string, Located>();
  #census: TakeoutCensus | undefined;

  constructor(opts: TakeoutSourceOptions) {
    this.#opts = opts;
  }

  /** Opens every input (a bad one is a UsageError) before anything is locked or written. */
  async open(): Promise<void> {
    if (this.#inputs.length > 0) return;
    for (const path of this.#opts.inputs) this.#inputs.push((await openInput(path, this.#opts.limits)).input);
  }

  get census(): TakeoutCensus | undefined {
    return this.#census;
  }

  /** Entry of a listed item, as '<input>: <path inside it>', for reports. */
  entryOf(id: string): string | undefined {
    const w = this.#where.get(id);
    return w === undefined ? undefined : `${this.#inputs[w.input]?.label ?? ''}: ${w.path}`;
  }

  // One export has no server-side filter: the planner applies it.
  async *list(options: ListOptions = {}): AsyncGenerator<RemoteItem> {
    await this.open();
    const indexes = [];
    for (const input of this.#inputs) indexes.push(await input.index(this.#opts.onProblem));
    const catalog = buildCatalog(indexes);
    // The catalog keeps the few fields it needs from each sidecar; drop the texts (1–2 KB each in real exports).
    for (const ix of indexes) ix.json.clear();
    for (const p of catalog.problems) {
      this.#opts.onProblem({ input: '', entry: p.path, reason: 'unsupported', detail: `${p.detail}; dating the photo from its own metadata` });
    }
    const { items, trashed, albumCopies } = this.#items(catalog);
    for (const k of catalog.skipped) this.#opts.onSkip({ input: this.#inputs[k.input]?.label ?? '', entry: k.path, reason: k.reason, ...(k.detail === undefined ? {} : { detail: k.detail }) });
    this.#census = {
      inputs: this.#inputs.length, media: catalog.items.length + catalog.skipped.length, sidecars: catalog.sidecars, albums: catalog.albums,
      trashed, albumCopies, skipped: catalog.skipped.length, badSidecars: catalog.problems.length,
    };
    options.onPage?.({ items: items.length, pages: this.#inputs.length });
    yield* items;
  }

  /**
   * One RemoteItem per item: copies of one photo (its year folder and album folders share the sidecar's id and
   * size) become one item in every album; a copy without a sidecar in an album folder is the same photo as the one
   * of that name and size with a sidecar. Sorted by id, so the listing is the same in any entry order.
   */
  #items(catalog: Catalog): { items: RemoteItem[]; trashed: number; albumCopies: number } {
    let trashed = 0;
    let albumCopies = 0;
    const label = (c: CatalogItem): string => this.#inputs[c.input]?.label ?? '';
    const groups = new Map<string, CatalogItem[]>();
    const withSidecar = new Map<string, string>();
    const ordered = [...catalog.items].sort(compareCatalogItems);
    for (const c of ordered) {
      if (c.trashed && !this.#opts.includeTrashed) {
        trashed++;
        this.#opts.onSkip({ input: label(c), entry: c.entry.path, reason: 'trashed' });
        continue;
      }
      if (c.ambiguousSidecar !== undefined) this.#opts.onSkip({ input: label(c), entry: c.entry.path, reason: 'ambiguous-sidecar', detail: `${c.ambiguousSidecar}; archived without one, dated from its own bytes` });
      let id = c.id ?? `file:${c.entry.path}`;
      if (c.id === undefined && c.album !== undefined) {
        const twin = withSidecar.get(`${c.name}\0${c.entry.size}`);
        if (twin !== undefined) id = twin;
      }
      const group = groups.get(id);
      if (group === undefined) {
        groups.set(id, [c]);
        if (c.id !== undefined) withSidecar.set(`${c.name}\0${c.entry.size}`, id);
        continue;
      }
      const [first] = group;
      // The same photo again: an album copy (its name may carry another counter in the album's folder).
      if (first !== undefined && first.entry.size === c.entry.size) {
        group.push(c);
        continue;
      }
      // Two different files under one id (an export without urls, names that fold together): two items.
      groups.set(`${id}#${c.name}#${c.entry.size}`, [c]);
    }
    const items: RemoteItem[] = [];
    for (const [id, group] of groups) {
      // The copy outside album folders is the one read (its folder says the year; album folders are views).
      const main = group.find((c) => c.album === undefined) ?? group[0];
      if (main === undefined) continue;
      for (const c of group) {
        if (c !== main) {
          albumCopies++;
          this.#opts.onSkip({ input: label(c), entry: c.entry.path, reason: 'album-copy', detail: `same photo as ${main.entry.path}` });
        }
      }
      this.#where.set(id, { input: main.input, path: main.entry.path, size: main.entry.size });
      items.push(toRemoteItem(id, main, group, this.#opts.tz));
    }
    items.sort((a, b) => (a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0));
    return { items, trashed, albumCopies };
  }

  async stream(items: readonly RemoteItem[], visit: (item: RemoteItem, bytes: ItemBytes) => Promise<void>, onError: OnItemError, options: StreamOptions): Promise<void> {
    const byInput = new Map<number, Map<string, RemoteItem>>();
    for (const item of items) {
      const w = this.#where.get(item.ref.id);
      if (w === undefined) {
        onError(item, new Error('not in the Takeout inputs given'));
        continue;
      }
      let wanted = byInput.get(w.input);
      if (wanted === undefined) byInput.set(w.input, (wanted = new Map<string, RemoteItem>()));
      wanted.set(w.path, item);
    }
    for (const [i, wanted] of [...byInput].sort(([a], [b]) => a - b)) {
      const input = this.#inputs[i];
      if (input === undefined || options.signal.aborted) break;
      await input.stream(
        new Set(wanted.keys()),
        async (entry, body) => {
          const item = wanted.get(entry.path);
          if (item !== undefined && !options.signal.aborted) await visit(item, { body, contentLength: entry.size });
        },
        (p) => {
          const item = p.entry === undefined ? undefined : wanted.get(p.entry);
          if (item !== undefined) onError(item, new EntryReadError(`${p.input}: ${p.entry ?? ''}: ${p.detail}`));
          else this.#opts.onProblem(p);
        },
        { concurrency: input.parallel ? options.concurrency : 1, signal: options.signal },
      );
    }
  }

  async close(): Promise<void> {
    for (const input of this.#inputs) await input.close();
  }
}

/** Canonical order, so the same export gives the same items in any entry or input order: sidecar'd copies first. */
function compareCatalogItems(a: CatalogItem, b: CatalogItem): number {
  const rank = (c: CatalogItem): number => (c.id === undefined ? 1 : 0) + (c.album === undefined ? 0 : 2);
  return rank(a) - rank(b) || (a.entry.path < b.entry.path ? -1 : a.entry.path > b.entry.path ? 1 : 0) || a.input - b.input;
}

function toRemoteItem(id: string, main: CatalogItem, group: readonly CatalogItem[], tz: string): RemoteItem {
  const s = main.sidecar;
  const mimeType = main.mimeType ?? mimeOf(main.name);
  const kind = mimeType.startsWith('video/') ? 'video' : 'photo';
  const nameLocal = s?.takenSec === undefined ? localTimeFromName(main.name) : undefined;
  const ms = s?.takenSec !== undefined ? s.takenSec * 1000 : nameLocal !== undefined ? utcMsFromLocal(nameLocal, tz) : main.entry.mtimeMs;
  const dating = s?.takenSec !== undefined ? 'sidecar' : nameLocal !== undefined ? 'filename' : 'none';
  const albums = [...new Set(group.flatMap((c) => (c.album === undefined ? [] : [c.album])))].sort();
  const meta: ItemMeta = {
    ...(s?.description === undefined ? {} : { description: s.description }),
    ...(s?.gps === undefined ? {} : { gps: s.gps }),
    // A sidecar is the whole truth about its photo's flags: an unfavourited photo says so by leaving them out.
    ...(s === undefined ? {} : { favorite: s.favorite === true, archived: s.archived === true }),
    ...(s?.people === undefined ? {} : { people: s.people }),
    ...(albums.length === 0 ? {} : { albums }),
    // An edit borrows its original's sidecar, and its id is the original's plus '#edited:<name>' (catalog.ts).
    ...(main.variant === 'edited' && id.includes('#edited:') ? { editOf: `takeout:${id.slice(0, id.indexOf('#edited:'))}` } : {}),
  };
  return {
    ref: { source: 'takeout', id },
    filename: originalName(main),
    mimeType,
    kind,
    creationTime: new Date(Number.isFinite(ms) && ms > 0 ? ms : 0).toISOString().replace('.000Z', 'Z'),
    dating,
    ...(s?.description === undefined ? {} : { description: s.description }),
    ...(Object.keys(meta).length === 0 ? {} : { meta }),
  };
}

/**
 * The name Google shows (the sidecar's title, which the Library API reports too) when the sidecar is this file's
 * own, else the file's own name. A title without an extension is the upload's own name: Takeout adds one to the file.
 */
function originalName(item: CatalogItem): string {
  const title = item.sidecar?.title;
  if (title === undefined || (item.variant !== 'self' && item.variant !== 'title')) return item.name;
  return extOf(title) === extOf(item.name) || extOf(title) === '' ? title : item.name;
}
