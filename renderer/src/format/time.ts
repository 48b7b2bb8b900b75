const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local wall-clock time with milliseconds, e.g. "2026-05-01 14:03:11.204": the absolute form in tables. */
export function formatAbsolute(iso: string | number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Local time of day without the date, e.g. "14:03:11". */
export function formatClock(at: number): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The ISO-8601 UTC form that tooltips show. */
export function formatIsoUtc(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toISOString();
}

/** "just now", "42 s ago", "3 min ago", "5 h ago", "2 d ago" (or "in …" for the future). */
export function formatRelative(iso: string | number, now: number): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return '—';
  const diff = now - at;
  const ago = diff >= 0;
  const s = Math.abs(diff) / 1000;
  let text: string;
  // "Now" is refreshed every few seconds: a moment in its near future is also just now.
  if (s < 5 || (!ago && s < 60)) return 'just now';
  if (s < 60) text = `${Math.floor(s)} s`;
  else if (s < 3600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86_400) text = `${Math.floor(s / 3600)} h`;
  else text = `${Math.floor(s / 86_400)} d`;
  return ago ? `${text} ago` : `in ${text}`;
}

/** A duration such as "850 ms", "12 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${pad(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${pad(m % 60)} min`;
}

/** UTC to the second for sentences and printed reports: "2026-11-25 14:03:11 UTC". */
export function formatUtc(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
