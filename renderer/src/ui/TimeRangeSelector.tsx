/** The time ranges of history charts (backups, drills): a visible selector, as UI.md asks of every chart. */
export const TIME_RANGES = [
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '24h', label: '24 h', ms: 86_400_000 },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 d', ms: 30 * 86_400_000 },
  { id: 'all', label: 'All', ms: Infinity },
] as const;
export type TimeRangeId = (typeof TIME_RANGES)[number]['id'];

export function rangeMs(id: TimeRangeId): number {
  return TIME_RANGES.find((r) => r.id === id)!.ms;
}

/** The smallest range that shows every point (a new history is not squeezed into a month). */
export function fittingRange(times: readonly number[], now: number, empty: TimeRangeId = '7d'): TimeRangeId {
  if (times.length === 0) return empty;
  const oldest = Math.min(...times);
  return TIME_RANGES.find((r) => now - oldest <= r.ms * 0.95)?.id ?? 'all';
}

/** The start of the x axis for a range: `now - range`, or for "All" the oldest point (at least an hour back). */
export function rangeStart(id: TimeRangeId, times: readonly number[], now: number): number {
  const ms = rangeMs(id);
  return Number.isFinite(ms) ? now - ms : Math.min(now - 3_600_000, ...times);
}

export function TimeRangeSelector({ value, onChange }: { readonly value: TimeRangeId; readonly onChange: (range: TimeRangeId) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Time range">
      {TIME_RANGES.map((r) => (
        <button key={r.id} type="button" className={`segmented__item${r.id === value ? ' segmented__item--on' : ''}`} aria-pressed={r.id === value} onClick={() => onChange(r.id)}>
          {r.label}
        </button>
      ))}
    </div>
  );
}
