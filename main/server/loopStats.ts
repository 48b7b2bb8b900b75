import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Set to a file path, serve mode records its event-loop delay and writes it there when it stops (benchmarks). */
export const LOOP_STATS_ENV = 'PCONSOLE_LOOP_STATS';

const RESOLUTION_MS = 5;

/** What the file holds: how late the loop ran its timers, in ms (the sampling interval already taken off). */
export interface LoopStats {
  readonly resolutionMs: number;
  readonly samples: number;
  readonly seconds: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * Starts recording when PCONSOLE_LOOP_STATS names a file; the returned function stops and writes the
 * figures. SIGUSR2 starts the record again (a benchmark marks the start of the window it measures).
 * Node's histogram records the time between samples, i.e. the interval plus the lateness, so the interval
 * is subtracted: an idle loop reads ≈ 0 ms.
 */
export function startLoopStats(file: string | undefined = process.env[LOOP_STATS_ENV]): () => void {
  if (file === undefined || file === '') return () => undefined;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  let started = performance.now();
  histogram.enable();
  const restart = () => {
    histogram.reset();
    started = performance.now();
  };
  if (process.platform !== 'win32') process.on('SIGUSR2', restart);
  let written = false;
  return () => {
    if (written) return;
    written = true;
    process.off('SIGUSR2', restart);
    histogram.disable();
    const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    const stats: LoopStats = {
      resolutionMs: RESOLUTION_MS,
      samples: histogram.count,
      seconds: (performance.now() - started) / 1000,
      meanMs: late(histogram.mean),
      p50Ms: late(histogram.percentile(50)),
      p90Ms: late(histogram.percentile(90)),
      p99Ms: late(histogram.percentile(99)),
      maxMs: late(histogram.max),
    };
    writeFileSync(file, JSON.stringify(stats) + '\n');
  };
}
