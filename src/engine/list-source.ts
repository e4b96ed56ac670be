// Lists one source completely for the planner, overlapping the local reads of the run.
import { toApiSearchFilters, type ItemFilter } from '../core/filters.js';
import type { ManifestItem, RemoteItem, SourceRef } from '../core/types.js';
import { InterruptedError } from '../errors.js';
import type { ListFilter, MayOpen, Source } from '../sources/source.js';
import type { EventSink } from './events.js';

/** The part of the manifest a listing reads: which archived item a listed ref is. */
export interface ArchivedRefs {
  byRef(ref: SourceRef): ManifestItem | undefined;
}

export interface ListSourceOptions {
  filter: ItemFilter;
  signal: AbortSignal;
  onEvent: EventSink;
}

/** What the archive held before the run, once read. */
export interface ArchiveView {
  /** Listed items already archived share the manifest's strings. */
  archived: ArchivedRefs;
  /** The source keeps download URLs only for these. */
  mayOpen: MayOpen;
}

export interface Listing {
  items: RemoteItem[];
  /** Everything the account has, so that an archived item not listed is gone (not a selection). */
  complete: boolean;
}

/**
 * A listing under way. It starts before the manifest and the disk are read, so that the pages' round trips and
 * the local reads overlap; until it is told what the archive holds (`know`) it keeps every URL (the plan's
 * retainOnly drops those it does not open) and fixes up the strings of the items listed so far at the end.
 */
export interface StartedListing {
  know(view: ArchiveView): void;
  /** The whole listing. A listing that fails rejects: without the whole list there is nothing safe to plan. */
  done(): Promise<Listing>;
  /** Stop it and wait until it has (a run that ends before using it). Never rejects. */
  cancel(): Promise<void>;
}

/** Ten pages of the Library API: the local reads of a no-op sync take about as long as a few round trips. */
const LISTED_BEFORE_VIEW = 1000;

export function startListing(source: Source, options: ListSourceOptions): StartedListing {
  let items: RemoteItem[] = [];
  let view: ArchiveView | undefined;
  let listedBeforeView = 0;
  let stopped = false;
  let viewOrStop!: () => void;
  const known = new Promise<void>((resolve) => (viewOrStop = resolve));
  const run = (async () => {
    const listed = source.list({
      filter: listFilterOf(options.filter),
      onPage: (progress) => options.onEvent({ event: 'listing', items: progress.items, pages: progress.pages }),
      mayOpen: (ref) => view === undefined || view.mayOpen(ref),
    });
    for await (const item of listed) {
      // Items listed before the archive is known cost their URL and their own strings until the plan: only so many.
      if (view === undefined && items.length >= LISTED_BEFORE_VIEW) await known;
      // Stop between pages, not after a 100,000-item listing, when the user presses Ctrl-C.
      if (options.signal.aborted || stopped) throw new InterruptedError();
      if (view === undefined) listedBeforeView = items.push(item);
      else items.push(shareStrings(item, view.archived));
    }
  })();
  run.catch(() => undefined); // seen by done() or cancel()
  return {
    know: (v) => {
      view = v;
      viewOrStop();
    },
    done: async () => {
      viewOrStop(); // a listing never told of an archive (a first dry run) has nothing to wait for
      await run;
      if (view !== undefined) {
        for (let i = 0; i < listedBeforeView; i++) items[i] = shareStrings(items[i]!, view.archived);
      }
      // Handed over, not kept: the run holds this object to its end, the listing and the stat map need not live that long.
      const listed = items;
      items = [];
      view = undefined;
      return { items: listed, complete: !source.features.selection };
    },
    cancel: async () => {
      stopped = true;
      viewOrStop();
      await run.catch(() => undefined);
    },
  };
}

function listFilterOf(filter: ItemFilter): ListFilter {
  const apiFilters = toApiSearchFilters(filter);
  return {
    ...(filter.from === undefined ? {} : { from: filter.from }),
    ...(filter.to === undefined ? {} : { to: filter.to }),
    media: filter.media,
    ...(apiFilters === undefined ? {} : { apiFilters }),
  };
}

/**
 * An archived item's listing repeats strings the manifest already holds: point at the manifest's copies instead,
 * so the listing and the manifest do not both hold them while the plan is made. Same values.
 */
function shareStrings(item: RemoteItem, refs: ArchivedRefs): RemoteItem {
  const archived = refs.byRef(item.ref);
  if (archived === undefined) return item;
  const ref = archived.refs.find((r) => r.source === item.ref.source && r.id === item.ref.id);
  if (ref !== undefined) item.ref = ref;
  if (item.filename === archived.filename) item.filename = archived.filename;
  if (item.creationTime === archived.captureTime) item.creationTime = archived.captureTime;
  return item;
}
