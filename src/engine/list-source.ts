// Lists one source completely for the planner. A listing that fails throws: without the whole list there is
// nothing safe to plan.
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
  mayOpen?: MayOpen;
  /** Listed items already archived share the manifest's strings. */
  archived?: ArchivedRefs;
}

export interface Listing {
  items: RemoteItem[];
  /** Everything the account has, so that an archived item not listed is gone (not a selection). */
  complete: boolean;
}

export async function listSource(source: Source, options: ListSourceOptions): Promise<Listing> {
  const items: RemoteItem[] = [];
  const listed = source.list({
    filter: listFilterOf(options.filter),
    onPage: (progress) => options.onEvent({ event: 'listing', items: progress.items, pages: progress.pages }),
    ...(options.mayOpen === undefined ? {} : { mayOpen: options.mayOpen }),
  });
  for await (const item of listed) {
    // Stop between pages, not after a 100,000-item listing, when the user presses Ctrl-C.
    if (options.signal.aborted) throw new InterruptedError();
    const archived = options.archived?.byRef(item.ref);
    items.push(archived === undefined ? item : shareStrings(item, archived));
  }
  return { items, complete: !source.features.selection };
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
 * so the listing and the manifest do not both hold them (~17 MB at 100k items) while the plan is made. Same values.
 */
function shareStrings(item: RemoteItem, archived: ManifestItem): RemoteItem {
  const ref = archived.refs.find((r) => r.source === item.ref.source && r.id === item.ref.id);
  if (ref !== undefined) item.ref = ref;
  if (item.filename === archived.filename) item.filename = archived.filename;
  if (item.creationTime === archived.captureTime) item.creationTime = archived.captureTime;
  return item;
}
