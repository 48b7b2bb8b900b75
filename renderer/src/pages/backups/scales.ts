/** Scales and ticks of the chain timeline (pure). */

/** About `count` round ticks from 0 to `max`: steps of 1, 2 or 5 × 10^k. */
export function positionTicks(max: number, count = 6): number[] {
  if (max <= 0) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = 0; t <= max; t += step) ticks.push(t);
  return ticks;
}

const MINUTE = 60_000;
const TIME_STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, 60 * MINUTE, 3 * 60 * MINUTE, 6 * 60 * MINUTE, 12 * 60 * MINUTE, 24 * 60 * MINUTE, 7 * 24 * 60 * MINUTE, 30 * 24 * 60 * MINUTE];

/** Round local times between `from` and `to`, about `count` of them, and the step they use. */
export function timeTicks(from: number, to: number, count = 6): { readonly ticks: number[]; readonly step: number } {
  const raw = (to - from) / count;
  const step = TIME_STEPS.find((s) => s >= raw) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  // Align to the step in local time (whole hours and days fall where the admin expects them).
  const offset = new Date(from).getTimezoneOffset() * MINUTE;
  const first = Math.ceil((from - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += step) ticks.push(t);
  return { ticks, step };
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatTimeTick(at: number, step: number): string {
  const d = new Date(at);
  if (step >= 24 * 60 * MINUTE) return `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A compact position for axis labels: 1,200 → "1.2k", 3,400,000 → "3.4M". */
export function formatPositionTick(p: number): string {
  if (p >= 1_000_000) return `${+(p / 1_000_000).toFixed(1)}M`;
  if (p >= 10_000) return `${+(p / 1000).toFixed(0)}k`;
  if (p >= 1000) return `${+(p / 1000).toFixed(1)}k`;
  return String(p);
}

/** A round step of about `raw`: 1, 2, 2.5 or 5 × 10^k. */
function niceStep(raw: number): number {
  if (raw <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}

/** Ticks in round numbers of one unit, from 0 to at least `max` (about `count` of them). */
function unitTicks(max: number, unit: number, count: number): number[] {
  const step = niceStep(max / unit / count);
  const top = Math.max(step, Math.ceil(max / unit / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v * 1000) / 1000 * unit);
  return ticks;
}

/** Byte ticks that read as round sizes (0, 512 KB, 1 MB, 1.5 MB …: powers of 1024 like formatBytes). */
export function byteTicks(max: number, count = 4): number[] {
  let unit = 1;
  while (unit * 1024 <= max && unit < 1024 ** 4) unit *= 1024;
  return unitTicks(Math.max(max, 1), unit, count);
}

/** Duration ticks in round milliseconds, seconds, minutes or hours. */
export function durationTicks(maxMs: number, count = 4): number[] {
  const unit = maxMs < 2000 ? 1 : maxMs < 120_000 ? 1000 : maxMs < 7_200_000 ? 60_000 : 3_600_000;
  return unitTicks(Math.max(maxMs, 1), unit, count);
}

/** A duration tick in the unit durationTicks chose for `maxMs`, without rounding it away (2.5 s, not 3 s). */
export function formatDurationTick(ms: number, maxMs: number): string {
  const [unit, label] = maxMs < 2000 ? [1, 'ms'] : maxMs < 120_000 ? [1000, 's'] : maxMs < 7_200_000 ? [60_000, 'min'] : [3_600_000, 'h'];
  return `${+(ms / unit).toFixed(2)} ${label}`;
}

/** A value axis: its ticks from 0 and how each reads. */
export interface ValueScale {
  readonly ticks: readonly number[];
  readonly format: (value: number) => string;
}

export function byteScale(max: number, format: (bytes: number) => string): ValueScale {
  return { ticks: byteTicks(max), format };
}

export function durationScale(maxMs: number): ValueScale {
  return { ticks: durationTicks(maxMs), format: (ms) => formatDurationTick(ms, maxMs) };
}
