// Which JSON sidecar describes each media file of one folder (across every part of an export). Pure and
// independent of the order names come in: every step looks at all free files at once and sorts what it keeps.
//
// 1. Own sidecars are claimed exclusively, rule by rule from the strictest (sidecar-forms.ts): the exact name
//    (whole name, then the '(n)' counter moved behind the extension), then tolerated clippings, then the same
//    forms with case and Unicode normalisation folded, then the sidecar's title. A sidecar claimed at one rule is
//    never given away at a looser one. Two files claiming one sidecar at the same rule get it only when the
//    sidecar's title names exactly one of them; else it is contested: given to nobody, and both are 'ambiguous'.
// 2. Files left without one borrow (not exclusively) the sidecar of the file they derive from: an edit its
//    original ('-edited', '-bearbeitet'…, 'X-edited(1)' first 'X(1)' then 'X'), a '~2' copy its plain name, a
//    Pixel '.MP' part its '.MP.jpg', a live-photo video its still.
import { canonicalNames, ownersOf, sidecarCounter, tolerantNames, type Owner } from './sidecar-forms.js';
import { extOf, isVideoName, liveStillNames, splitCounter, stemOf, stripEditSuffix } from './names.js';

export type Variant = 'self' | 'edited' | 'motion' | 'tilde' | 'live' | 'title' | 'none';

export interface FolderSidecar {
  /** The JSON file's own name. */
  name: string;
  /** Its "title": the name Google shows for the photo. */
  title: string;
}

export type SidecarMatch =
  | { kind: 'sidecar'; sidecar: string; variant: Exclude<Variant, 'none'> }
  | { kind: 'none' }
  | { kind: 'ambiguous'; sidecars: string[] };

const fold = (s: string): string => s.normalize('NFC').toLowerCase();
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Candidate {
  sidecar: string;
  /** The title this reading of the media name gives, to settle a contest. */
  owner: Owner;
}

type Rule = (media: string) => Candidate[];

export function matchSidecars(mediaNames: readonly string[], sidecars: readonly FolderSidecar[]): Map<string, SidecarMatch> {
  const media = [...new Set(mediaNames)].sort(byCode);
  const mediaSet = new Set(media);
  const titleOf = new Map<string, string>();
  for (const s of [...sidecars].sort((a, b) => byCode(a.name, b.name))) if (!titleOf.has(s.name)) titleOf.set(s.name, s.title);
  const owner = new Map<string, string>(); // sidecar -> the media file that claimed it
  const own = new Map<string, { sidecar: string; variant: 'self' | 'title' }>();
  const contested = new Set<string>();
  const lost = new Map<string, Set<string>>(); // media -> sidecars it contested
  const free = (sidecar: string): boolean => titleOf.has(sidecar) && !owner.has(sidecar) && !contested.has(sidecar);

  const exact = (names: (o: Owner) => string[]): Rule => (m) =>
    ownersOf(m).flatMap((o) => names(o).map((sidecar) => ({ sidecar, owner: o })));
  const named: Rule[] = [exact(canonicalNames), exact(tolerantNames)];

  // Folded forms: a fallback only where exactly one free sidecar has the folded name.
  const folded = (): Rule => {
    const byFold = new Map<string, string[]>();
    for (const s of titleOf.keys()) if (free(s)) byFold.set(fold(s), [...(byFold.get(fold(s)) ?? []), s]);
    return (m) => ownersOf(m).flatMap((o) => [...canonicalNames(o), ...tolerantNames(o)].flatMap((n) => {
      const hits = byFold.get(fold(n)) ?? [];
      if (hits.length > 1) for (const h of hits) addLost(m, h);
      return hits.length === 1 && hits[0] !== undefined ? [{ sidecar: hits[0], owner: o }] : [];
    }));
  };
  // The title names the file (or its stem: uploaded without extension); the counters must agree.
  const titled = (f: (s: string) => string): Rule => {
    const byTitle = new Map<string, string[]>();
    for (const [s, t] of titleOf) if (free(s)) byTitle.set(f(t), [...(byTitle.get(f(t)) ?? []), s]);
    return (m) => ownersOf(m).flatMap((o) => {
      const hits = [...new Set([...(byTitle.get(f(o.title)) ?? []), ...(byTitle.get(f(stemOf(o.title))) ?? [])])]
        .filter((s) => sidecarCounter(s) === o.counter);
      if (hits.length > 1) for (const h of hits) addLost(m, h);
      return hits.length === 1 && hits[0] !== undefined ? [{ sidecar: hits[0], owner: o }] : [];
    });
  };
  const addLost = (m: string, s: string): void => {
    lost.set(m, (lost.get(m) ?? new Set()).add(s));
  };

  const claim = (rule: Rule, variant: 'self' | 'title'): void => {
    const lists = new Map<string, Candidate[]>();
    for (;;) {
      // Most folders have no sidecar left after the exact names: the looser rules then cost nothing.
      if (owner.size + contested.size === titleOf.size) return;
      const proposals = new Map<string, { media: string; owner: Owner }[]>();
      for (const m of media) {
        if (own.has(m)) continue;
        let list = lists.get(m);
        if (list === undefined) lists.set(m, (list = rule(m)));
        const c = list.find((x) => free(x.sidecar));
        if (c !== undefined) proposals.set(c.sidecar, [...(proposals.get(c.sidecar) ?? []), { media: m, owner: c.owner }]);
      }
      if (proposals.size === 0) return;
      for (const [sidecar, ps] of proposals) {
        const title = titleOf.get(sidecar) ?? '';
        const named = (f: (s: string) => string): typeof ps => ps.filter((p) => f(p.owner.title) === f(title));
        const winner = ps.length === 1 ? ps[0] : [named((s) => s), named(fold)].find((w) => w.length === 1)?.[0];
        if (winner !== undefined) {
          owner.set(sidecar, winner.media);
          own.set(winner.media, { sidecar, variant });
        } else {
          contested.add(sidecar);
          for (const p of ps) addLost(p.media, sidecar);
        }
      }
    }
  };
  for (const rule of named) claim(rule, 'self');
  const left = (): boolean => owner.size + contested.size < titleOf.size;
  if (left()) claim(folded(), 'self');
  if (left()) claim(titled((s) => s), 'title');
  if (left()) claim(titled(fold), 'title');

  const out = new Map<string, SidecarMatch>();
  // Borrowing: through the files a name derives from; a name that is not a file here may still own a free sidecar.
  const resolve = (name: string, depth: number, seen: Set<string>): SidecarMatch => {
    if (mediaSet.has(name)) {
      const o = own.get(name);
      if (o !== undefined) return { kind: 'sidecar', sidecar: o.sidecar, variant: 'self' };
      const l = lost.get(name);
      if (l !== undefined) return { kind: 'ambiguous', sidecars: [...l].sort(byCode) };
    } else {
      const hit = ownersOf(name).flatMap(canonicalNames).find(free);
      if (hit !== undefined) return { kind: 'sidecar', sidecar: hit, variant: 'self' };
    }
    if (depth >= 3) return { kind: 'none' };
    let ambiguous: SidecarMatch | undefined;
    const from = derivedFrom(name).filter((o) => !seen.has(o.name));
    for (const o of from.filter((x) => x.variant !== 'live')) {
      const r = resolve(o.name, depth + 1, new Set([...seen, o.name]));
      if (r.kind === 'sidecar') return { ...r, variant: o.variant };
      if (r.kind === 'ambiguous') ambiguous ??= r;
    }
    // A live-photo video takes its still's sidecar only when one still here has one ('IMG.HEIC' and 'IMG.JPG'
    // beside 'IMG.MP4' leave it to its own date: which still it belongs to is not in the names).
    const stills = new Set(from.filter((o) => o.variant === 'live' && mediaSet.has(o.name)).map((o) => own.get(o.name)?.sidecar).filter((x) => x !== undefined));
    const still = stills.size === 1 ? [...stills][0] : undefined;
    if (still !== undefined) return { kind: 'sidecar', sidecar: still, variant: 'live' };
    return ambiguous ?? { kind: 'none' };
  };
  for (const m of media) {
    const o = own.get(m);
    if (o !== undefined) out.set(m, { kind: 'sidecar', ...o });
    else out.set(m, resolve(m, 0, new Set([m])));
  }
  return out;
}

/** The files a media file may be a rendition of, in order of preference (reference §4.5, §4.6). */
export function derivedFrom(name: string): { name: string; variant: 'edited' | 'tilde' | 'motion' | 'live' }[] {
  const out: { name: string; variant: 'edited' | 'tilde' | 'motion' | 'live' }[] = [];
  const edited = stripEditSuffix(name);
  if (edited !== undefined) out.push({ name: edited, variant: 'edited' });
  const { base, counter } = splitCounter(name);
  const editedBase = counter > 0 ? stripEditSuffix(base) : undefined;
  if (editedBase !== undefined) {
    // 'IMG-edited(1).jpg' is the edit of 'IMG(1).jpg'; when that has no sidecar, of 'IMG.jpg'.
    const stem = stemOf(editedBase);
    out.push({ name: `${stem}(${counter})${editedBase.slice(stem.length)}`, variant: 'edited' }, { name: editedBase, variant: 'edited' });
  }
  const tilde = /^(.*)~\d+(\.[^.~]*)?$/s.exec(name);
  if (tilde !== null) out.push({ name: (tilde[1] ?? '') + (tilde[2] ?? ''), variant: 'tilde' });
  const ext = extOf(name);
  // A Pixel motion part 'PXL_x.MP' / '.MV' is described by 'PXL_x.MP.jpg's sidecar.
  if (ext === 'mp' || ext === 'mv') out.push({ name: `${name}.jpg`, variant: 'motion' }, { name: `${name}.JPG`, variant: 'motion' });
  if (isVideoName(name)) for (const still of liveStillNames(name)) out.push({ name: still, variant: 'live' });
  return out;
}
