// What every Source must do for the one reconciler to be right about it, as one suite run against each real source
// over real I/O (like rclone's fstests against every backend): list unique, well-formed items of its own name, the
// same set each time; hand over every item's bytes, whole and again on a re-run; fail (never hang) on an item it
// does not hold; stop promptly when aborted; declare what it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refKey, type RemoteItem } from '../../src/core/types.js';
import type { ItemBytes, Source, SourceFeatures } from '../../src/sources/source.js';

export interface Subject {
  source: Source;
  /** What it must declare. */
  features: SourceFeatures;
  access: Source['access'];
  /** How many items it must list. */
  count: number;
  /** The bytes an item must have. */
  bytesOf: (item: RemoteItem) => Buffer | undefined;
  /** Items listed but not to be handed over (a video Google is still processing): they must fail with an error. */
  unopenable?: (item: RemoteItem) => boolean;
  cleanup?: () => Promise<void>;
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** Longer than any answer over 127.0.0.1 or a local file takes; an answer later than this is a hang. */
const PROMPT_MS = 3000;

function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hung: ${what} gave no answer within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

async function listAll(source: Source): Promise<RemoteItem[]> {
  const items: RemoteItem[] = [];
  for await (const item of source.list()) items.push(item);
  return items;
}

interface Fetched {
  bytes: Map<string, { data: Buffer; contentLength?: number }>;
  errors: Map<string, Error>;
  /** Items handed over more than once. */
  repeats: string[];
}

/** The bytes of `items`, as the engine would take them: open() one by one, or stream() with two at a time. */
export async function fetchAll(source: Source, items: readonly RemoteItem[], signal = new AbortController().signal): Promise<Fetched> {
  const out: Fetched = { bytes: new Map(), errors: new Map(), repeats: [] };
  const take = async (item: RemoteItem, b: ItemBytes): Promise<void> => {
    const k = refKey(item.ref);
    if (out.bytes.has(k)) out.repeats.push(k);
    out.bytes.set(k, { data: await drain(b.body), ...(b.contentLength === undefined ? {} : { contentLength: b.contentLength }) });
  };
  if (source.access === 'random') {
    for (const item of items) {
      try {
        await take(item, await source.open(item, signal));
      } catch (e) {
        out.errors.set(refKey(item.ref), e instanceof Error ? e : new Error(String(e)));
      }
    }
    return out;
  }
  await source.stream(items, take, (item, error) => out.errors.set(refKey(item.ref), error), { concurrency: 2, signal });
  return out;
}

export function describeSourceConformance(label: string, setup: () => Promise<Subject>): void {
  describe(`Source conformance: ${label}`, () => {
    let subject: Subject;
    let listed: RemoteItem[];
    const openable = (): RemoteItem[] => listed.filter((i) => subject.unopenable?.(i) !== true);
    beforeAll(async () => {
      subject = await setup();
      listed = await listAll(subject.source);
    });
    afterAll(async () => {
      await subject?.source.close?.();
      await subject?.cleanup?.();
    });

    it('declares its access and features, and offers the method its access names', () => {
      expect(subject.source.access).toBe(subject.access);
      expect(subject.source.features).toEqual(subject.features);
      if (subject.source.access === 'random') expect(typeof subject.source.open).toBe('function');
      else expect(typeof subject.source.stream).toBe('function');
    });

    it('lists unique refs of its own name, each with filename, mimeType, kind and an RFC 3339 UTC creationTime', () => {
      expect(listed).toHaveLength(subject.count);
      expect(new Set(listed.map((i) => refKey(i.ref))).size).toBe(listed.length);
      for (const item of listed) {
        expect(item.ref.source).toBe(subject.source.name);
        expect(item.ref.id).not.toBe('');
        expect(item.filename).not.toBe('');
        expect(item.mimeType).toMatch(/^(image|video)\/[\w.+-]+$/);
        expect(item.kind).toBe(item.mimeType.startsWith('video/') ? 'video' : 'photo');
        expect(item.creationTime).toMatch(RFC3339_UTC);
        expect(Number.isFinite(Date.parse(item.creationTime))).toBe(true);
      }
    });

    it('lists the same set twice', async () => {
      const again = await listAll(subject.source);
      const set = (items: RemoteItem[]): string[] => items.map((i) => JSON.stringify(i)).sort();
      expect(set(again)).toEqual(set(listed));
    });

    it("hands over every listed item's bytes, once, whole and of the announced length", async () => {
      const wanted = openable();
      expect(wanted.length).toBeGreaterThan(0);
      const got = await within(30_000, fetchAll(subject.source, wanted), 'handing over every item');
      expect([...got.errors].map(([k, e]) => `${k}: ${e.message}`)).toEqual([]);
      expect(got.repeats).toEqual([]);
      expect([...got.bytes.keys()].sort()).toEqual(wanted.map((i) => refKey(i.ref)).sort());
      for (const item of wanted) {
        const b = got.bytes.get(refKey(item.ref));
        if (b?.contentLength !== undefined) expect(b.data.length, `${item.filename}: length`).toBe(b.contentLength);
        const expected = subject.bytesOf(item);
        expect(expected, `${item.filename}: the test knows its bytes`).toBeDefined();
        expect(b?.data.equals(expected ?? Buffer.alloc(0)), `${item.filename}: bytes`).toBe(true);
      }
      const refused = listed.filter((i) => subject.unopenable?.(i) === true);
      if (refused.length > 0) {
        const r = await within(PROMPT_MS * 2, fetchAll(subject.source, refused), 'refusing unopenable items');
        expect(r.errors.size).toBe(refused.length);
        expect(r.bytes.size).toBe(0);
      }
    });

    it('hands the same bytes over again, as a re-run after a kill needs', async () => {
      const some = openable().slice(0, 3);
      const first = await fetchAll(subject.source, some);
      const second = await fetchAll(subject.source, some);
      expect(second.errors.size).toBe(0);
      for (const item of some) expect(second.bytes.get(refKey(item.ref))?.data.equals(first.bytes.get(refKey(item.ref))?.data ?? Buffer.alloc(0))).toBe(true);
    });

    it('fails an item it does not hold with an error, never a hang, and still hands over the others', async () => {
      const [known] = openable();
      if (known === undefined) throw new Error('no item to compare with');
      const foreign: RemoteItem = { ...known, ref: { source: subject.source.name, id: `no-such-item-${subject.source.name}` }, filename: 'not-there.jpg' };
      const got = await within(PROMPT_MS * 5, fetchAll(subject.source, [foreign, known]), 'an item it does not hold');
      expect(got.bytes.has(refKey(foreign.ref)), 'bytes for an item it does not hold').toBe(false);
      // A random source must say so; a streaming one says so or never visits it (the engine counts that as failed).
      if (subject.source.access === 'random') expect(got.errors.get(refKey(foreign.ref))).toBeInstanceOf(Error);
      expect(got.bytes.get(refKey(known.ref))?.data.equals(subject.bytesOf(known) ?? Buffer.alloc(0))).toBe(true);
    });

    it('stops promptly when aborted: before it starts, and in the middle of a run', async () => {
      const wanted = openable();
      const aborted = AbortSignal.abort();
      const before = await within(PROMPT_MS, fetchAll(subject.source, wanted, aborted), 'an aborted run');
      expect(before.bytes.size).toBe(0);
      if (subject.source.access === 'random') expect(before.errors.size).toBe(wanted.length);

      // Aborted while the first item's bytes are being read: nothing more is handed over.
      const ac = new AbortController();
      let handed = 0;
      const run = async (): Promise<void> => {
        if (subject.source.access === 'random') {
          for (const item of wanted) {
            if (ac.signal.aborted) break;
            const b = await subject.source.open(item, ac.signal);
            handed++;
            ac.abort();
            await drain(b.body).catch(() => undefined);
          }
          return;
        }
        await subject.source.stream(
          wanted,
          async (_item, b) => {
            handed++;
            ac.abort();
            await drain(b.body).catch(() => undefined);
          },
          () => undefined,
          { concurrency: 1, signal: ac.signal },
        );
      };
      await within(PROMPT_MS, run(), 'a run aborted in the middle');
      expect(handed).toBe(1);
    });
  });
}
