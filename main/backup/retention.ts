import type { BackupChain, CatalogEntry, RetentionDecision, RetentionPlan, RetentionPolicy, RetentionReason } from '../../shared/backup.js';
import { archivesNeededBy, buildChains } from './chains.js';

/** The UTC day, ISO week and month an archive was made in: the grandfather-father-son buckets. */
function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function weekKey(ms: number): string {
  // ISO 8601 week: weeks start on Monday and belong to the year of their Thursday.
  const d = new Date(ms);
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - (d.getUTCDay() || 7)));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function monthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** Marks the newest archive of each of the newest `count` buckets. */
function keepNewestPerBucket(newestFirst: readonly CatalogEntry[], count: number, key: (ms: number) => string, reason: RetentionReason, mark: (e: CatalogEntry, r: RetentionReason) => void): void {
  const seen = new Set<string>();
  for (const e of newestFirst) {
    const k = key(Date.parse(e.manifest.createdAt));
    if (seen.has(k)) continue;
    if (seen.size >= count) break;
    seen.add(k);
    mark(e, reason);
  }
}

/**
 * Which archives of one store a policy keeps (pure; buckets are UTC days, ISO weeks and months). An archive
 * is kept when it is among the newest `keepLast`, or the newest of one of the newest `daily` days, `weekly`
 * weeks or `monthly` months — and then so is every archive its restore chain needs before it, whatever the
 * policy says of them. The newest archive is always kept. Everything else may be pruned.
 */
export function planRetention(entries: readonly CatalogEntry[], policy: RetentionPolicy, chains: readonly BackupChain[] = buildChains(entries)): RetentionPlan {
  const newestFirst = [...entries].sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt) || b.manifest.toPosition - a.manifest.toPosition || b.name.localeCompare(a.name));
  const reasons = new Map<string, Set<RetentionReason>>(entries.map((e) => [e.archive, new Set<RetentionReason>()]));
  const mark = (e: CatalogEntry, r: RetentionReason) => reasons.get(e.archive)!.add(r);
  if (newestFirst[0] !== undefined) mark(newestFirst[0], 'newest');
  if (policy.keepLast !== undefined) for (const e of newestFirst.slice(0, policy.keepLast)) mark(e, 'last');
  if (policy.daily !== undefined) keepNewestPerBucket(newestFirst, policy.daily, dayKey, 'daily', mark);
  if (policy.weekly !== undefined) keepNewestPerBucket(newestFirst, policy.weekly, weekKey, 'weekly', mark);
  if (policy.monthly !== undefined) keepNewestPerBucket(newestFirst, policy.monthly, monthKey, 'monthly', mark);
  const chosen = [...reasons].filter(([, r]) => r.size > 0).map(([a]) => a);
  for (const archive of chosen) for (const needed of archivesNeededBy(chains, archive)) reasons.get(needed)?.add('needed-by-chain');
  const decisions: RetentionDecision[] = newestFirst.map((e) => {
    const r = [...reasons.get(e.archive)!];
    return { archive: e.archive, keep: r.length > 0, reasons: r };
  });
  return { keep: decisions.filter((d) => d.keep).map((d) => d.archive), prune: decisions.filter((d) => !d.keep).map((d) => d.archive), decisions };
}

export { dayKey, monthKey, weekKey };
