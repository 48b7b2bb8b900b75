import type { BackupChain, CatalogEntry, ChainGap } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { GENESIS_HASH } from '../../shared/events.js';
import type { PlannedLink, RecoveryPlan, RecoveryTarget } from '../../shared/recovery.js';
import { buildChains } from '../backup/index.js';

/**
 * Choosing the archives of a restore (pure): from the catalog entries of one store, the shortest chain that
 * reaches the target, each link checked again here (contiguous positions, fromHash equal to the previous
 * link's toHash). A target that only archives beyond a gap could reach is refused, naming the missing range,
 * before anything is read or written.
 */

/** A chain as far as it can be restored from its full archive without crossing a gap. */
interface Walk {
  readonly links: readonly CatalogEntry[];
  /** How many links, from the first, continue each other without a gap (0 when the chain has no full archive). */
  readonly usable: number;
  /** The gap after the usable links, when more links follow it. */
  readonly gap: ChainGap | null;
}

function range(from: number, to: number): string {
  return from === to ? `${from}` : `${from}–${to}`;
}

/** The gap between two links of a chain, or null when the second continues the first. */
export function linkGap(previous: CatalogEntry, next: CatalogEntry): ChainGap | null {
  const p = previous.manifest;
  const n = next.manifest;
  if (n.kind === 'incremental' && n.fromPosition === p.toPosition && n.fromHash === p.toHash) return null;
  if (n.kind === 'full')
    return { afterPosition: p.toPosition, untilPosition: p.toPosition, kind: 'diverged', message: `${next.name} is a full archive: it does not continue ${previous.name}` };
  if (n.fromPosition === p.toPosition)
    return {
      afterPosition: p.toPosition,
      untilPosition: p.toPosition,
      kind: 'diverged',
      message: `${next.name} starts at position ${n.fromPosition} with hash ${n.fromHash.slice(0, 12)}…, but ${previous.name} ends there with ${p.toHash.slice(0, 12)}…: the two come from different histories`,
    };
  if (n.fromPosition < p.toPosition)
    return {
      afterPosition: n.fromPosition,
      untilPosition: p.toPosition,
      kind: 'diverged',
      message: `${next.name} starts at position ${n.fromPosition}, before ${previous.name} ends (${p.toPosition}): they do not form a chain`,
    };
  return {
    afterPosition: p.toPosition,
    untilPosition: n.fromPosition,
    kind: 'missing',
    message: `events ${range(p.toPosition + 1, n.fromPosition)} are missing: no archive continues ${previous.name} up to ${next.name}`,
  };
}

function walkOf(chain: BackupChain): Walk {
  const links = chain.links;
  const first = links[0];
  if (first === undefined || first.manifest.kind !== 'full' || first.manifest.fromPosition !== 0 || first.manifest.fromHash !== GENESIS_HASH) {
    const n = first?.manifest.fromPosition ?? 0;
    return {
      links,
      usable: 0,
      gap:
        chain.gaps[0] ??
        ({ afterPosition: 0, untilPosition: n, kind: 'missing', message: `no full archive starts this chain: events ${range(1, n)} are not in any archive here` } satisfies ChainGap),
    };
  }
  for (let i = 1; i < links.length; i++) {
    const gap = linkGap(links[i - 1]!, links[i]!);
    if (gap !== null) return { links, usable: i, gap };
  }
  return { links, usable: links.length, gap: null };
}

/** An entry's sidecarProblem when its sidecar is simply not there. */
export const SIDECAR_MISSING = 'the sidecar is missing';

function planned(entry: CatalogEntry, usedTo: number, withoutSidecar: ReadonlySet<string>): PlannedLink {
  const m = entry.manifest;
  return {
    archive: entry.archive,
    name: entry.name,
    kind: m.kind,
    fromPosition: m.fromPosition,
    toPosition: m.toPosition,
    fromHash: m.fromHash,
    toHash: m.toHash,
    createdAt: m.createdAt,
    encryption: m.encryption,
    archiveBytes: entry.archiveBytes ?? 0,
    dataBytes: m.members.filter((x) => x.name === 'events.db' || x.name === 'events.ndjson').reduce((n, x) => n + x.bytes, 0),
    usedTo,
    sidecarMissing: withoutSidecar.has(entry.archive) && (entry.sidecarProblem === undefined || entry.sidecarProblem === SIDECAR_MISSING),
    manifestFrom: entry.manifestFrom ?? (withoutSidecar.has(entry.archive) ? 'archive' : 'sidecar'),
    sidecarProblem: entry.sidecarProblem ?? null,
  };
}

const newestFirst = (a: CatalogEntry, b: CatalogEntry) => b.manifest.createdAt.localeCompare(a.manifest.createdAt) || b.name.localeCompare(a.name);

interface Candidate {
  readonly links: readonly CatalogEntry[];
  readonly continuation: readonly CatalogEntry[];
  readonly gap: ChainGap | null;
}

export function gapError(target: string, gap: ChainGap, storeId: string): ConsoleError {
  return new ConsoleError('INTEGRITY_VIOLATION', `cannot restore ${target}: it lies beyond a gap in the chain of store ${storeId}: ${gap.message}`, {
    reason: 'CHAIN_GAP',
    missingFrom: gap.kind === 'missing' ? gap.afterPosition + 1 : gap.afterPosition,
    missingTo: gap.untilPosition,
    gap,
  });
}

function key(links: readonly CatalogEntry[]): string {
  return links.map((l) => l.archive).join('\n');
}

function dedupe(candidates: readonly Candidate[]): Candidate[] {
  const seen = new Map<string, Candidate>();
  for (const c of candidates) if (!seen.has(key(c.links))) seen.set(key(c.links), c);
  return [...seen.values()];
}

/** Fewest archives first; then the least to cut back; then the newest last link (the current history when histories forked). */
function best(candidates: readonly Candidate[], overshoot: (c: Candidate) => number): Candidate | undefined {
  return [...candidates].sort(
    (a, b) => a.links.length - b.links.length || overshoot(a) - overshoot(b) || newestFirst(a.links[a.links.length - 1]!, b.links[b.links.length - 1]!),
  )[0];
}

/**
 * The plan for `target` from `entries`, all of one store (`storeId`). Entries whose archive file is missing
 * count as absent. Throws INTEGRITY_VIOLATION (details.reason CHAIN_GAP) naming the missing range when the
 * target lies beyond a gap or past the newest archive, NOT_FOUND when there is no archive at all.
 */
export function chooseChain(entries: readonly CatalogEntry[], storeId: string, target: RecoveryTarget, withoutSidecar: ReadonlySet<string> = new Set()): RecoveryPlan {
  const present = entries.filter((e) => e.archiveBytes !== null && e.manifest.storeId === storeId);
  if (present.length === 0) throw new ConsoleError('NOT_FOUND', `no archive of store ${storeId} in the sources`, { storeId });
  const chains = buildChains(present);
  const walks = chains.map(walkOf);
  const newest = [...present].sort(newestFirst)[0]!;
  const warnings = [...new Set(walks.filter((w) => w.gap !== null && w.links.length > w.usable).map((w) => `archives after a gap cannot be restored: ${w.gap!.message}`))];
  const base = {
    storeId,
    target,
    newestArchive: { archive: newest.archive, toPosition: newest.manifest.toPosition, createdAt: newest.manifest.createdAt },
    warnings,
  };

  if (target.kind === 'time') return chooseForTime(walks, Date.parse(target.at), target.at, base, withoutSidecar);

  // A position, or "latest": the end of the newest archive, through that archive's own history.
  const position = target.kind === 'position' ? target.position : newest.manifest.toPosition;
  const exactHash = target.kind === 'latest' ? newest.manifest.toHash : undefined;
  const what = target.kind === 'latest' ? `the newest archive (${newest.name}, position ${position})` : `position ${position}`;
  const candidates: Candidate[] = [];
  const blockers: ChainGap[] = [];
  for (const walk of walks) {
    let found = false;
    for (let k = 0; k < walk.usable; k++) {
      const m = walk.links[k]!.manifest;
      const reaches = exactHash === undefined ? m.toPosition >= position : m.toPosition === position && m.toHash === exactHash;
      if (reaches) {
        candidates.push({ links: walk.links.slice(0, k + 1), continuation: [], gap: null });
        found = true;
        break;
      }
    }
    if (found || walk.gap === null) continue;
    const beyond = walk.links.slice(walk.usable);
    if (beyond.some((l) => (exactHash === undefined ? l.manifest.toPosition >= position : l === newest || (l.manifest.toPosition === position && l.manifest.toHash === exactHash))))
      blockers.push(walk.gap);
  }
  const chosen = best(dedupe(candidates), (c) => c.links[c.links.length - 1]!.manifest.toPosition - position);
  if (chosen === undefined) {
    if (blockers.length > 0) throw gapError(what, blockers.sort((a, b) => a.afterPosition - b.afterPosition)[0]!, storeId);
    const furthest = Math.max(...walks.map((w) => (w.usable === 0 ? 0 : w.links[w.usable - 1]!.manifest.toPosition)));
    if (walks.every((w) => w.usable === 0)) throw gapError(what, walks[0]!.gap!, storeId);
    throw gapError(
      what,
      {
        afterPosition: furthest,
        untilPosition: position,
        kind: 'missing',
        message: `events ${range(furthest + 1, position)} are not in any archive: the newest restorable archive ends at position ${furthest}`,
      },
      storeId,
    );
  }
  const links = chosen.links.map((l, i) => planned(l, i === chosen.links.length - 1 ? Math.min(position, l.manifest.toPosition) : l.manifest.toPosition, withoutSidecar));
  const last = chosen.links[chosen.links.length - 1]!.manifest;
  return { ...base, position, expectedHash: last.toPosition === position ? last.toHash : null, links, continuation: [], blockingGap: null };
}

function chooseForTime(
  walks: readonly Walk[],
  at: number,
  atText: string,
  base: Pick<RecoveryPlan, 'storeId' | 'target' | 'newestArchive' | 'warnings'>,
  withoutSidecar: ReadonlySet<string>,
): RecoveryPlan {
  const created = (e: CatalogEntry) => Date.parse(e.manifest.createdAt);
  const candidates: Candidate[] = [];
  const blockers: ChainGap[] = [];
  const furthest = Math.max(...walks.flatMap((w) => w.links.map((l) => l.manifest.toPosition)));
  for (const walk of walks) {
    if (walk.usable === 0) continue;
    const usable = walk.links.slice(0, walk.usable);
    const beyond = walk.links.slice(walk.usable);
    // An archive holds only events committed before it was created, and events are stamped when they
    // commit: the first event recorded after `at` is in the first link created after `at` (or the one after).
    let k = usable.findIndex((l) => created(l) > at);
    if (k === -1) {
      // Every usable archive was made at or before the time: events after them may still be at or before it.
      if (walk.gap !== null && beyond.length > 0) {
        blockers.push(walk.gap); // …and those are in the gap
        continue;
      }
      if (usable[usable.length - 1]!.manifest.toPosition < furthest) continue; // …and another chain holds them
      k = usable.length - 1;
    }
    candidates.push({ links: usable.slice(0, k + 1), continuation: usable.slice(k + 1), gap: beyond.length > 0 ? walk.gap : null });
  }
  // Fewest archives; then a full archive made at or before the time (nothing to cut), the newest; else the oldest after it.
  const fullRank = (c: Candidate) => {
    const t = created(c.links[0]!);
    return t <= at ? at - t : Number.MAX_SAFE_INTEGER / 2 + (t - at);
  };
  const chosen = [...dedupe(candidates)].sort((a, b) => a.links.length - b.links.length || fullRank(a) - fullRank(b) || newestFirst(a.links[0]!, b.links[0]!))[0];
  if (chosen === undefined) {
    if (blockers.length > 0) throw gapError(`the state at ${atText}`, blockers.sort((a, b) => a.afterPosition - b.afterPosition)[0]!, base.storeId);
    throw gapError(`the state at ${atText}`, walks[0]!.gap!, base.storeId);
  }
  return {
    ...base,
    position: null,
    expectedHash: null,
    links: chosen.links.map((l) => planned(l, l.manifest.toPosition, withoutSidecar)),
    continuation: chosen.continuation.map((l) => planned(l, l.manifest.toPosition, withoutSidecar)),
    blockingGap: chosen.gap,
  };
}

/**
 * The furthest a restore of `storeId` can reach from `entries` without crossing a gap: the end of the newest
 * complete chain (a drill restores to it). Undefined when no chain starts with a full archive.
 */
export function newestRestorable(entries: readonly CatalogEntry[], storeId: string): { readonly position: number; readonly archive: string; readonly createdAt: string } | undefined {
  const present = entries.filter((e) => e.archiveBytes !== null && e.manifest.storeId === storeId);
  const ends = buildChains(present)
    .map(walkOf)
    .filter((w) => w.usable > 0)
    .map((w) => w.links[w.usable - 1]!);
  // The newest: the chain whose usable end was archived last (after a restore, the history that went on).
  const best = ends.sort((a, b) => newestFirst(a, b) || b.manifest.toPosition - a.manifest.toPosition)[0];
  return best === undefined ? undefined : { position: best.manifest.toPosition, archive: best.archive, createdAt: best.manifest.createdAt };
}
