import type { LossRecord } from './store.js';

/** Results of checking a log's integrity (verify), shared by the engine, the API, the CLI and the UI. */
export type VerifyProblemCode =
  | 'SQLITE_INTEGRITY'
  | 'POSITION_GAP'
  | 'HASH_MISMATCH'
  | 'STREAM_MISMATCH'
  | 'HEAD_REGRESSION'
  | 'HEAD_MISMATCH';

export interface VerifyProblem {
  readonly code: VerifyProblemCode;
  /** The global position concerned, or null for a problem of the file as a whole. */
  readonly position: number | null;
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly checkedEvents: number;
  readonly firstBadPosition: number | null;
  readonly headPosition: number;
  readonly headHash: string;
  readonly problems: readonly VerifyProblem[];
  /** True when more problems were found than are listed. */
  readonly truncated: boolean;
  readonly durationMs: number;
  /**
   * Every loss of events recorded in the store (integrity_losses), acknowledged or not: an acknowledged
   * one is history (verify passes), an unacknowledged one is also among `problems`.
   */
  readonly losses?: readonly LossRecord[];
}

export type VerifyPhase = 'integrity' | 'chain' | 'streams';

export interface VerifyProgress {
  readonly phase: VerifyPhase;
  readonly done: number;
  readonly total: number;
}
