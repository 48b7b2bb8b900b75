import type { BackupChain, CatalogEntry, ChainGap } from '../../shared/backup.js';

/**
 * Restore chains from catalog entries (pure). A full archive starts a chain; an incremental continues the
 * archive that ends where it starts — same position and same hash. When several could, the one rooted in a
 * full archive wins, then the newest. An incremental that continues nothing starts a broken segment, which
 * is attached after the chain that ends closest before it, with the gap named (DESIGN §7).
 */

interface Segment {
  links: CatalogEntry[];
  gaps: ChainGap[];
  /** Restorable from the genesis up to the first gap. */
  restorableTo: number;
  rootedInFull: boolean;
}

const newestFirst = (a: CatalogEntry, b: CatalogEntry) => b.manifest.createdAt.localeCompare(a.manifest.createdAt) || b.name.localeCompare(a.name);

function predecessors(entries: readonly CatalogEntry[]): Map<CatalogEntry, CatalogEntry | undefined> {
  const byEnd = new Map<string, CatalogEntry[]>();
  for (const e of entries) {
    const key = `${e.manifest.toPosition}:${e.manifest.toHash}`;
    byEnd.set(key, [...(byEnd.get(key) ?? []), e]);
  }
  const result = new Map<CatalogEntry, CatalogEntry | undefined>();
  const rooted = new Map<CatalogEntry, boolean>();
  const isRooted = (e: CatalogEntry): boolean => {
    const known = rooted.get(e);
    if (known !== undefined) return known;
    const value = e.manifest.kind === 'full' ? true : (() => {
      const p = predecessorOf(e);
      return p !== undefined && isRooted(p);
    })();
    rooted.set(e, value);
    return value;
  };
  const predecessorOf = (e: CatalogEntry): CatalogEntry | undefined => {
    if (result.has(e)) return result.get(e);
    if (e.manifest.kind === 'full') {
      result.set(e, undefined);
      return undefined;
    }
    // Candidates end strictly before e ends (an incremental holds at least one event): no cycles.
    const candidates = (byEnd.get(`${e.manifest.fromPosition}:${e.manifest.fromHash}`) ?? []).filter((c) => c !== e && c.manifest.toPosition < e.manifest.toPosition);
    const earlier = candidates.filter((c) => c.manifest.createdAt <= e.manifest.createdAt);
    const pool = (earlier.length > 0 ? earlier : candidates).sort(newestFirst);
    const chosen = pool.find((c) => isRooted(c)) ?? pool[0];
    result.set(e, chosen);
    return chosen;
  };
  for (const e of entries) predecessorOf(e);
  return result;
}

function segmentsOf(entries: readonly CatalogEntry[]): { complete: Segment[]; orphans: Segment[] } {
  const pred = predecessors(entries);
  const successors = new Map<CatalogEntry, CatalogEntry[]>();
  for (const [e, p] of pred) if (p !== undefined) successors.set(p, [...(successors.get(p) ?? []), e]);
  const complete: Segment[] = [];
  const orphans: Segment[] = [];
  const walk = (path: CatalogEntry[], into: Segment[], rootedInFull: boolean) => {
    const next = successors.get(path[path.length - 1]!) ?? [];
    if (next.length === 0) {
      into.push({ links: path, gaps: [], restorableTo: rootedInFull ? path[path.length - 1]!.manifest.toPosition : 0, rootedInFull });
      return;
    }
    for (const n of [...next].sort((a, b) => a.manifest.createdAt.localeCompare(b.manifest.createdAt))) walk([...path, n], into, rootedInFull);
  };
  for (const e of entries) {
    if (pred.get(e) !== undefined) continue;
    if (e.manifest.kind === 'full') walk([e], complete, true);
    else walk([e], orphans, false);
  }
  return { complete, orphans };
}

function gapBefore(previous: Segment | undefined, orphan: Segment): ChainGap {
  const first = orphan.links[0]!.manifest;
  if (previous === undefined) {
    return {
      afterPosition: 0,
      untilPosition: first.fromPosition,
      kind: 'missing',
      message: `no full archive of store ${first.storeId} starts this chain: events 1–${first.fromPosition} are not in any archive here`,
    };
  }
  const end = previous.links[previous.links.length - 1]!;
  if (end.manifest.toPosition === first.fromPosition) {
    return {
      afterPosition: first.fromPosition,
      untilPosition: first.fromPosition,
      kind: 'diverged',
      message: `${orphan.links[0]!.name} starts at position ${first.fromPosition} with hash ${first.fromHash.slice(0, 12)}…, but ${end.name} ends there with ${end.manifest.toHash.slice(0, 12)}…: the two come from different histories`,
    };
  }
  return {
    afterPosition: end.manifest.toPosition,
    untilPosition: first.fromPosition,
    kind: 'missing',
    message: `events ${end.manifest.toPosition + 1}–${first.fromPosition} are missing: no archive continues ${end.name} up to ${orphan.links[0]!.name}`,
  };
}

function toChain(s: Segment): BackupChain {
  const first = s.links[0]!;
  return {
    storeId: first.manifest.storeId,
    links: s.links,
    complete: s.rootedInFull && s.gaps.length === 0,
    gaps: s.gaps,
    restorableTo: s.restorableTo,
    toPosition: Math.max(...s.links.map((l) => l.manifest.toPosition)),
  };
}

/** Every chain of every store in `entries`; archives whose file is missing count as absent. */
export function buildChains(entries: readonly CatalogEntry[]): BackupChain[] {
  const byStore = new Map<string, CatalogEntry[]>();
  for (const e of entries) if (e.archiveBytes !== null) byStore.set(e.manifest.storeId, [...(byStore.get(e.manifest.storeId) ?? []), e]);
  const chains: BackupChain[] = [];
  for (const [, storeEntries] of [...byStore].sort(([a], [b]) => a.localeCompare(b))) {
    const { complete, orphans } = segmentsOf(storeEntries);
    const segments: Segment[] = [...complete];
    for (const orphan of orphans.sort((a, b) => a.links[0]!.manifest.fromPosition - b.links[0]!.manifest.fromPosition)) {
      const from = orphan.links[0]!.manifest.fromPosition;
      const candidates = segments.filter((s) => s.links[s.links.length - 1]!.manifest.toPosition <= from);
      const previous = candidates.sort(
        (a, b) =>
          b.links[b.links.length - 1]!.manifest.toPosition - a.links[a.links.length - 1]!.manifest.toPosition ||
          Number(b.rootedInFull) - Number(a.rootedInFull) ||
          newestFirst(a.links[a.links.length - 1]!, b.links[b.links.length - 1]!),
      )[0];
      const gap = gapBefore(previous, orphan);
      if (previous === undefined) {
        segments.push({ ...orphan, gaps: [gap, ...orphan.gaps], restorableTo: 0 });
      } else {
        segments.splice(segments.indexOf(previous), 1, {
          links: [...previous.links, ...orphan.links],
          gaps: [...previous.gaps, gap, ...orphan.gaps],
          restorableTo: previous.restorableTo,
          rootedInFull: previous.rootedInFull,
        });
      }
    }
    chains.push(...segments.map(toChain).sort((a, b) => a.links[0]!.manifest.createdAt.localeCompare(b.links[0]!.manifest.createdAt) || a.toPosition - b.toPosition));
  }
  return chains;
}

/**
 * Where the next incremental backup of `storeId` continues: the last archive of the complete chain that
 * reaches furthest (the newest on a tie). Undefined when there is no complete chain to continue.
 */
export function findContinuation(entries: readonly CatalogEntry[], storeId: string): CatalogEntry | undefined {
  const complete = buildChains(entries.filter((e) => e.manifest.storeId === storeId)).filter((c) => c.complete);
  const ends = complete.map((c) => c.links[c.links.length - 1]!);
  return ends.sort((a, b) => b.manifest.toPosition - a.manifest.toPosition || newestFirst(a, b))[0];
}

/** The archives an entry's restore needs before it (its chain up to it, across gaps too: pruning keeps them). */
export function archivesNeededBy(chains: readonly BackupChain[], archive: string): Set<string> {
  const needed = new Set<string>();
  for (const chain of chains) {
    const index = chain.links.findIndex((l) => l.archive === archive);
    for (let i = 0; i < index; i++) needed.add(chain.links[i]!.archive);
  }
  return needed;
}
