/** What test/helpers/appendLoop.ts is told (argv[2], JSON) and what it prints (one JSON line per acknowledged append). */

export interface AppendLoopConfig {
  readonly store: string;
  /** Appends per worker; 0 appends until the process is killed. */
  readonly count: number;
  /** `queue`: `workers` concurrent `store.append()` loops (group commit); `now`: one `appendNow()` loop. */
  readonly mode: 'queue' | 'now';
  readonly workers: number;
  /** Worker w appends to stream `${streamPrefix}-${w}`; every third append goes to `sharedStream` if set. */
  readonly streamPrefix: string;
  readonly sharedStream?: string;
  /** Each append carries 1..maxBatch events. */
  readonly maxBatch: number;
  readonly durability?: 'full' | 'normal';
  /** Milliseconds each worker waits between appends (0: back to back). */
  readonly pauseMs?: number;
  /** Print READY_LINE once the store is open, then wait for a line on stdin before appending. */
  readonly waitForGo?: boolean;
}

/** Printed (before any acknowledgement) when the store is open, if `waitForGo` is set. */
export const READY_LINE = '{"ready":true}';

/** One printed line: an acknowledged append. */
export interface AppendAck {
  readonly w: number;
  readonly n: number;
  readonly streamId: string;
  readonly events: ReadonlyArray<{ readonly p: number; readonly id: string; readonly v: number }>;
}

/** The data of every event this script writes: which append it belongs to and how many events it had. */
export interface AppendLoopData {
  readonly tag: string;
  readonly w: number;
  readonly n: number;
  readonly i: number;
  readonly of: number;
}
