import { formatNumber } from './output.js';

/**
 * A one-line progress display on stderr: bar, counts, rate and ETA. It draws only when stderr is a
 * terminal (scripts and CI logs stay clean) and at most ~10 times a second.
 */
export class ProgressLine {
  private readonly enabled: boolean;
  private readonly started = performance.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = stream.isTTY === true;
  }

  /** `done` and `total` in `unit`s; `count` is the number shown (e.g. lines while bytes drive the bar). */
  update(done: number, total: number | null, count: number, unit: string, phase = this.label): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && (total === null || done < total)) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? count / seconds : 0;
    let line = `${phase} ${formatNumber(count)} ${unit}  ${formatNumber(Math.round(rate))}/s`;
    if (total !== null && total > 0) {
      const fraction = Math.min(1, done / total);
      const width = 24;
      const filled = Math.round(fraction * width);
      const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : 0;
      line = `${phase} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(1)}%  ${formatNumber(count)} ${unit}  ${formatNumber(Math.round(rate))}/s  ETA ${formatDuration(eta)}`;
    }
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  done(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[2K');
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
