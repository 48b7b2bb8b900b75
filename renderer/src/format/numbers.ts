const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 1234567 → "1,234,567": every count the console shows goes through here. */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** A rate such as 4,210/s or 12.5/s. */
export function formatRate(perSecond: number, unit: string): string {
  return `${(perSecond >= 100 ? integer : oneDecimal).format(perSecond)} ${unit}/s`;
}

export { formatBytes } from '../../../shared/format.js';

/** A percentage of done / total, clamped to 0–100. */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.max(0, Math.min(100, (done / total) * 100));
}
